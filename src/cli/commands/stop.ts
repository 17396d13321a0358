export { runStop as run } from './lifecycle.js';
