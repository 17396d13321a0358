// Ctrl-C and SIGTERM, in two stages, for commands that change things: the first stops scheduling and ends waits at
// once (engine mutations in flight finish); the second aborts those too. SIGTERM behaves as Ctrl-C, so `timeout`,
// CI runners and process managers can always stop surge.
import { err } from './output.js';

export const EXIT_CANCELLED = 130;

export interface Interrupt {
  /** aborted on the first signal */
  signal: AbortSignal;
  /** aborted on the second */
  abortInFlight: AbortSignal;
  interrupted(): boolean;
  dispose(): void;
}

export function onInterrupt(messages = true): Interrupt {
  const soft = new AbortController();
  const hard = new AbortController();
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) {
      if (messages) err('\nStopping: no new actions start and waits end; in-flight ones finish (Ctrl-C again to abort them).');
      soft.abort();
    } else {
      if (messages) err('\nAborting in-flight actions.');
      hard.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: soft.signal,
    abortInFlight: hard.signal,
    interrupted: () => count > 0,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
