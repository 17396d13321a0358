// The one block every command that changes things shares: progress display, Ctrl-C, running the library
// operation, reporting failures, and the exit code.
import type { RunControl } from '../api/control.js';
import type { ExecuteResult } from '../api/execute.js';
import type { SurgeEvent } from '../api/events.js';
import { EXIT_CANCELLED, onInterrupt } from './interrupt.js';
import { err } from './output.js';
import { createReporter, type ProgressMode, type Reporter } from './render/reporter.js';

export interface ApplyArgs {
  parallel?: number;
  progress?: ProgressMode;
  'lock-timeout'?: number;
}

export interface OperationContext {
  control: RunControl;
  reporter: Reporter;
  interrupted(): boolean;
}

/** Routes the library's events to the progress display; waiting for the lock is said on stderr, in words. */
export function renderEvents(reporter: Reporter): (e: SurgeEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'notice':
        reporter.note(`! ${e.message}`);
        return;
      case 'lock-wait':
        err(`waiting for another surge${e.holder ? ` (${e.holder.description})` : ''} applying project ${e.project} ...`);
        return;
      case 'converged':
      case 'wait-start':
      case 'wait-ready':
        return;
      default:
        reporter.onEvent(e);
    }
  };
}

/**
 * Runs a library operation with the CLI's progress display and two-stage Ctrl-C, then says what failed. `finish`
 * turns the operation's result into the exit code (default: 0 when ok, 1 otherwise; 130 whenever interrupted).
 */
export async function runOperation<R extends ExecuteResult>(
  args: ApplyArgs,
  operation: (ctx: OperationContext) => Promise<R>,
  finish: (result: R, ctx: OperationContext) => number | void = () => undefined,
  /** said after a failure; null for none */
  hint: string | null = 'Run the command again to converge once the cause is fixed.',
): Promise<number> {
  const shown = await createReporter(args.progress ?? 'auto');
  let closed = false;
  const reporter: Reporter = {
    onEvent: (e) => shown.onEvent(e),
    note: (m) => shown.note(m),
    close: async () => {
      if (closed) return;
      closed = true;
      await shown.close();
    },
  };
  const interrupt = onInterrupt();
  const ctx: OperationContext = {
    reporter,
    interrupted: interrupt.interrupted,
    control: {
      signal: interrupt.signal,
      abortInFlight: interrupt.abortInFlight,
      onEvent: renderEvents(reporter),
      ...(args.parallel !== undefined ? { parallel: args.parallel } : {}),
      lockTimeoutMs: (args['lock-timeout'] ?? 300) * 1000,
    },
  };
  try {
    const result = await operation(ctx);
    await reporter.close();
    reportFailures(result, hint);
    const code = finish(result, ctx);
    if (interrupt.interrupted()) return EXIT_CANCELLED;
    return typeof code === 'number' ? code : result.ok ? 0 : 1;
  } finally {
    await reporter.close();
    interrupt.dispose();
  }
}

export function reportFailures(result: ExecuteResult, hint: string | null = 'Run the command again to converge once the cause is fixed.'): void {
  for (const f of result.failed) {
    err(`surge: ${f.action.id}: ${f.error.message}`);
    if (process.env.SURGE_DEBUG && f.error.code === 'internal') {
      const cause = f.error.cause instanceof Error ? f.error.cause : f.error;
      if (cause.stack) err(cause.stack);
    }
  }
  if (result.skipped.length) err(`surge: skipped because something they depend on failed: ${result.skipped.map((s) => s.action.id).join(', ')}`);
  if (hint && (result.failed.length || result.skipped.length)) err(hint);
}
