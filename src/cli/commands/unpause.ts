export { runUnpause as run } from './replica-ops.js';
