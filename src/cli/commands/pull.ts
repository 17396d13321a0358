export { runPull as run } from './lifecycle.js';
