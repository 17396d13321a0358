// What a caller chooses about a watch session.
import type { RunControl } from '../api/control.js';

/** Options of `watch`: which services, the debounce, attach mode, poll interval, and the signals that stop it. */
export interface WatchOptions extends Omit<RunControl, 'onEvent'> {
  /** only these services (and what they depend on) */
  services?: string[];
  /** quiet period after the last change before re-converging, ms (default 300) */
  debounceMs?: number;
  /** the stack was just converged (`up --watch`): start watching without converging first */
  skipInitialConverge?: boolean;
  /** `up --attach`: no file watching; supervise the stack and stream what the services print */
  attachOnly?: boolean;
  /** `attachOnly`: show output since this time (unix ms; default: now) */
  attachSinceMs?: number;
  /** how often the drift check runs, ms (default 1000) */
  pollMs?: number;
  /** where `sync+exec` commands write their output (default: this process's stdout) */
  execOutput?: NodeJS.WritableStream;
  /** how long stopping waits for an apply in flight, ms (default 3000) */
  stopGraceMs?: number;
}
