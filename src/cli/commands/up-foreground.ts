// `up --attach`, `--abort-on-container-exit`, `--exit-code-from`: compose's foreground `up`. Logs stream and host
// processes are supervised (the attach session); Ctrl-C stops the services gracefully, a second Ctrl-C kills them;
// with --abort-on-container-exit the first replica to exit stops them all and its exit code (or that of the
// --exit-code-from service) is surge's.
import { abortOnExit } from '../../api/foreground.js';
import { stop } from '../../api/lifecycle.js';
import { kill } from '../../api/replica-ops.js';
import { connect } from '../../api/stack.js';
import { load } from '../context.js';
import { EXIT_CANCELLED } from '../interrupt.js';
import { renderEvents, reportFailures } from '../operation.js';
import { err } from '../output.js';
import { createReporter } from '../render/reporter.js';
import { runWatchCommand, type WatchArgs } from './watch.js';

/** What the foreground reads of `up`'s arguments. */
export interface ForegroundArgs extends WatchArgs {
  'abort-on-container-exit'?: boolean;
  'exit-code-from'?: string;
  timeout?: number;
}

export async function runForeground(args: ForegroundArgs, started: string[], startedAt: number): Promise<number> {
  const services = args.services ?? [];
  const abortOnContainerExit = Boolean(args['abort-on-container-exit'] || args['exit-code-from']);
  const stack = await connect(load(args, { quietWarnings: true }));
  const session = new AbortController();
  /** ends watching for an exit: a Ctrl-C is stopping the services already */
  const exitWatch = new AbortController();
  const hard = new AbortController();
  const reporter = await createReporter(args.progress ?? 'auto');
  const control = { onEvent: renderEvents(reporter), abortInFlight: hard.signal, timeoutSeconds: args.timeout ?? null, services };
  let stopping: Promise<unknown> | null = null;
  let interrupted = false;
  const killAll = (): void => {
    err('Killing ...');
    hard.abort();
    void kill(stack, { services }).catch((e: unknown) => err(`surge: ${(e as Error).message}`));
  };
  const onSignal = (): void => {
    if (stopping) return killAll();
    interrupted = true;
    exitWatch.abort();
    err('Gracefully stopping ... (press Ctrl-C again to force)');
    // What the services print while they stop is still shown: the session ends once they have.
    stopping = stop(stack, control)
      .then((r) => reportFailures(r, null))
      .finally(() => session.abort());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const attached = runWatchCommand(args, { skipInitialConverge: true, attachOnly: true, attachSinceMs: startedAt, signal: session.signal });
    let code = 0;
    if (abortOnContainerExit) {
      const r = await abortOnExit(stack, {
        ...control,
        services,
        started,
        exitCodeFrom: args['exit-code-from'] ?? null,
        signal: exitWatch.signal,
        onAbort: (exit) => {
          err(`${exit.container.name} exited with code ${exit.exitCode ?? 'unknown'}: aborting on container exit ...`);
          stopping = Promise.resolve();
        },
      });
      if (r.trigger) {
        if (r.stopped) reportFailures(r.stopped, null);
        code = r.exitCode;
        session.abort();
      }
    }
    await attached;
    if (stopping) await stopping;
    await reporter.close();
    return interrupted ? EXIT_CANCELLED : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stack.close();
  }
}
