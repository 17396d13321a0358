export { runPause as run } from './replica-ops.js';
