export { runStart as run } from './lifecycle.js';
