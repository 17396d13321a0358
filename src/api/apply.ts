// Shared by every command that changes things: the project lock, Ctrl-C handling, progress and the exit code.
import { acquireProjectLock } from '../engine/project-lock.js';
import { DEFAULT_PARALLEL, executePlan, type ExecuteResult } from '../engine/executor.js';
import { createReporter, type ProgressMode, type Reporter } from '../cli/render/reporter.js';
import type { Project } from '../model/model.js';
import type { Plan } from '../model/plan-types.js';
import { dockerEndpoint, driversUsed, type Drivers } from './stack.js';
import { err } from '../cli/output.js';

export interface ApplyArgs {
  parallel?: number;
  progress?: ProgressMode;
  'lock-timeout'?: number;
}

export const EXIT_CANCELLED = 130;

export async function withProjectLock<T>(project: Project, args: ApplyArgs, fn: () => Promise<T>): Promise<T> {
  const scope = driversUsed(project).has('docker') ? `docker:${dockerEndpoint()}` : `dir:${project.workingDir}`;
  const lock = await acquireProjectLock(project.name, scope, {
    timeoutMs: (args['lock-timeout'] ?? 300) * 1000,
    onWait: (pid) => err(`waiting for another surge${pid ? ` (pid ${pid})` : ''} applying project ${project.name} ...`),
  });
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** First Ctrl-C stops scheduling and lets in-flight actions finish; the second aborts them. */
export function interruptSignals(): { stopScheduling: AbortSignal; abort: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const soft = new AbortController();
  const hard = new AbortController();
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) {
      err('\nStopping: no new actions start; in-flight ones finish (Ctrl-C again to abort them).');
      soft.abort();
    } else {
      err('\nAborting in-flight actions.');
      hard.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopScheduling: soft.signal,
    abort: hard.signal,
    interrupted: () => count > 0,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export interface RunPlanOptions {
  reporter?: Reporter;
  signals?: ReturnType<typeof interruptSignals>;
}

export async function runPlan(plan: Plan, project: Project, drivers: Drivers, args: ApplyArgs, options: RunPlanOptions = {}): Promise<ExecuteResult> {
  const reporter = options.reporter ?? (await createReporter(args.progress ?? 'auto'));
  const signals = options.signals ?? interruptSignals();
  try {
    return await executePlan(plan, {
      project,
      drivers: drivers.get,
      parallel: args.parallel ?? DEFAULT_PARALLEL,
      stopScheduling: signals.stopScheduling,
      abort: signals.abort,
      onEvent: (e) => reporter.onEvent(e),
    });
  } finally {
    if (!options.reporter) await reporter.close();
    if (!options.signals) signals.dispose();
  }
}

/** Ctrl-C always exits 130, even when every in-flight action went on to finish. */
export function exitCodeOf(result: ExecuteResult, interrupted: boolean): number {
  if (interrupted) return EXIT_CANCELLED;
  if (result.ok) return 0;
  return 1;
}

export function reportFailures(result: ExecuteResult): void {
  for (const f of result.failed) err(`surge: ${f.id}: ${f.error}`);
  if (result.skipped.length) err(`surge: skipped because something they depend on failed: ${result.skipped.join(', ')}`);
  if (!result.ok) err('Run the command again to converge once the cause is fixed.');
}
