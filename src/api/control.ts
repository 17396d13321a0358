// How a caller steers an operation that changes things: cancellation, events, parallelism, the lock timeout.
import { setMaxListeners } from 'node:events';
import type { OnEvent } from './events.js';

/** How many actions run at once unless `parallel` says otherwise: 16. */
export const DEFAULT_PARALLEL = 16;
/**
 * How long an operation waits for another surge applying the same project, unless `lockTimeoutMs` says otherwise: 300
 * s.
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 300_000;

/**
 * How a caller steers an operation that changes things: cancellation (two stages), events, parallelism, the lock
 * timeout.
 */
export interface RunControl {
  /**
   * Stops the operation gracefully: no new action starts, and waits (for a dependency's health, for `--wait`) end
   * at once; the engine mutations already in flight finish. The result then says what was not started.
   */
  signal?: AbortSignal;
  /** Also cuts short the actions in flight (a second Ctrl-C). Aborting it implies `signal`. */
  abortInFlight?: AbortSignal;
  /** every event of the run (actions, notices, lock waits) */
  onEvent?: OnEvent;
  /** how many actions run at once (default 16) */
  parallel?: number;
  /**
   * how long to wait for another surge applying the same project before failing with `lock-timeout` (default 300 s)
   */
  lockTimeoutMs?: number;
}

/** The two signals the executor takes, always defined. */
export function signalsOf(control: RunControl): { stop: AbortSignal; abort: AbortSignal } {
  const abort = control.abortInFlight ?? new AbortController().signal;
  const stop = control.signal ? AbortSignal.any([control.signal, abort]) : abort;
  // Every in-flight action and wait listens to these: more than Node's default of 10 listeners is normal.
  setMaxListeners(0, stop, abort);
  return { stop, abort };
}

export function emitter(control: RunControl): OnEvent {
  return control.onEvent ?? ((): void => {});
}
