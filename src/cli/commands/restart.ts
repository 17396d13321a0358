export { runRestart as run } from './lifecycle.js';
