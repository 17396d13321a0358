export { runBuild as run } from './lifecycle.js';
