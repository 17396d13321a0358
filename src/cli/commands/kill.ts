export { runKill as run } from './replica-ops.js';
