export { runPull as run } from './images.js';
