// Watch mode as a library function: converge, then keep the stack converged on every edit of the Boltfile or the
// services' sources, until the signal aborts. Yields typed events; `surge watch` only renders them.
import type { Stack } from '../api/stack.js';
import { selectServices } from '../planner/plan.js';
import type { WatchChange, WatchEvent } from './events.js';
import type { WatchOptions } from './options.js';
import { WatchSession } from './session.js';

export type { WatchChange, WatchEvent, WatchOptions };

/**
 * Runs watch mode, calling `onEvent` for each event; resolves when `options.signal` aborts and watching has
 * stopped. Throws before watching when the initial converge cannot start (`no-such-service`, `lock-timeout`…).
 */
export async function runWatch(stack: Stack, options: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<void> {
  // `watch NOSUCH` is a user error up front, as for `up`, not a failed reconcile followed by a watcher.
  selectServices(stack.project, options.services, false);
  await new WatchSession(stack, options, onEvent).run();
}

/**
 * Watch mode as an async iterable: iterate to receive events; abort `options.signal` to stop (the iteration ends
 * after the `stopped` event). Breaking out of the loop also stops watching.
 * @example
 * const controller = new AbortController();
 * for await (const event of watch(stack, { signal: controller.signal })) {
 *   if (event.type === 'reconcile') console.log(event.trigger, event.description);
 * }
 */
export function watch(stack: Stack, options: WatchOptions = {}): AsyncIterable<WatchEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
      const queue: WatchEvent[] = [];
      let wake: (() => void) | null = null;
      let finished = false;
      let failure: unknown = null;
      const own = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, own.signal]) : own.signal;
      const done = runWatch(stack, { ...options, signal }, (e) => {
        queue.push(e);
        wake?.();
      }).then(
        () => {
          finished = true;
          wake?.();
        },
        (e: unknown) => {
          failure = e;
          finished = true;
          wake?.();
        },
      );
      return {
        async next(): Promise<IteratorResult<WatchEvent>> {
          for (;;) {
            const e = queue.shift();
            if (e) return { value: e, done: false };
            if (finished) {
              if (failure) throw failure;
              return { value: undefined, done: true };
            }
            await new Promise<void>((r) => (wake = r));
            wake = null;
          }
        },
        async return(): Promise<IteratorResult<WatchEvent>> {
          own.abort();
          await done;
          return { value: undefined, done: true };
        },
      };
    },
  };
}
