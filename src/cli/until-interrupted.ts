// For commands that block until Ctrl-C (events, stats, wait, logs -f): the first SIGINT or SIGTERM aborts the
// signal they run with, and the command exits 130, as every interrupted command does.
import { CancelledError } from '../model/errors.js';
import { EXIT_CANCELLED } from './interrupt.js';

/** Runs `fn` until it returns or Ctrl-C aborts its signal; an interrupted run exits 130 whatever `fn` returned. */
export async function untilInterrupted(fn: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await fn(controller.signal);
    return controller.signal.aborted ? EXIT_CANCELLED : code;
  } catch (e) {
    if (controller.signal.aborted && (e instanceof CancelledError || (e as { name?: string }).name === 'AbortError')) return EXIT_CANCELLED;
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
