export { runBuild as run } from './images.js';
