// One cancellable pause for every wait, poll and retry loop: an abort ends it at once with CancelledError, so a
// Ctrl-C never sits out a poll interval (issue 14: waits end at once).
import { CancelledError } from './errors.js';

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
