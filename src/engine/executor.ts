// Runs a plan's DAG with bounded parallelism. It makes no decisions: each action starts as soon as what it depends
// on is done; a failure skips the failed action's dependents while independent branches finish.
// Two signals: `stopScheduling` (the first Ctrl-C) starts nothing new and cancels waits for dependencies at once;
// `abort` (the second) also cuts the engine mutations in flight short.
import { setMaxListeners } from 'node:events';
import type { ActionContext, Driver } from '../drivers/driver.js';
import { Dag } from '../model/dag.js';
import { asSurgeError, CancelledError, errorMessage, InternalError, UserError, type SurgeError } from '../model/errors.js';
import type { DriverKind, Project } from '../model/model.js';
import type { Action, Plan, WaitFor } from '../model/plan-types.js';

/** What the executor reports while it runs: the same events drive the CLI's tree, plain and JSON progress. */
export type ExecEvent =
  | { type: 'start'; project: string; actions: Action[] }
  | { type: 'action-start'; action: Action }
  | { type: 'action-log'; action: Action; line: string }
  | { type: 'action-done'; action: Action; durationMs: number }
  | { type: 'action-failed'; action: Action; error: SurgeError; durationMs: number }
  | { type: 'action-skipped'; action: Action; because: string[] }
  | { type: 'action-cancelled'; action: Action }
  | { type: 'finish'; ok: boolean; durationMs: number; done: number; failed: number; skipped: number; cancelled: number };

export type DriverFor = (kind: DriverKind) => Promise<Driver>;

export interface ExecuteOptions {
  project: Project;
  drivers: DriverFor;
  parallel: number;
  /** first Ctrl-C: stop scheduling new actions */
  stopScheduling?: AbortSignal;
  /** second Ctrl-C: abort what is in flight */
  abort?: AbortSignal;
  onEvent?: (event: ExecEvent) => void;
  now?: () => number;
}

/** An action that failed, and the typed error that says why. */
export interface FailedAction {
  action: Action;
  error: SurgeError;
}

/** An action not run because an action it depends on failed. */
export interface SkippedAction {
  action: Action;
  /** ids of the failed actions it depends on */
  because: string[];
}

/**
 * What running a plan did: the actions done, failed (each with its error object), skipped (because something they need
 * failed) and not started (the run was stopped), and how long it took.
 */
export interface ExecuteResult {
  ok: boolean;
  /** some actions were not started because the caller stopped the run */
  cancelled: boolean;
  done: Action[];
  failed: FailedAction[];
  skipped: SkippedAction[];
  /** not started: the run was stopped first, or the action was cancelled while waiting for a dependency */
  notStarted: Action[];
  durationMs: number;
}

export const DEFAULT_PARALLEL = 16;

export function validatePlanGraph(plan: Plan): void {
  const ids = new Set<string>();
  for (const a of plan.actions) {
    if (ids.has(a.id)) throw new InternalError(`bug: duplicate action id ${a.id} in plan`);
    ids.add(a.id);
  }
  for (const a of plan.actions) {
    for (const d of a.dependsOn) if (!ids.has(d)) throw new InternalError(`bug: action ${a.id} depends on unknown action ${d}`);
  }
}

export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
  validatePlanGraph(plan);
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? ((): void => {});
  const started = now();
  // NaN would make the scheduler wait forever on nothing: callers validate, this guards.
  if (!Number.isFinite(options.parallel)) throw new InternalError(`bug: parallel must be a number, got ${options.parallel}`);
  const parallel = Math.max(1, Math.floor(options.parallel));
  const abort = options.abort ?? new AbortController().signal;
  // Every in-flight action may listen to it (a wait, a stop to cut short): more than Node's default of 10 is normal.
  setMaxListeners(0, abort);

  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const graph = new Dag(
    plan.actions.map((a) => a.id),
    plan.actions.flatMap((a) => a.dependsOn.map((d) => ({ from: d, to: a.id }))),
  );
  const waiting = new Map(plan.actions.map((a) => [a.id, graph.predecessors(a.id).length]));
  // Waits for dependencies end on the first stop as well: nothing has been changed yet while an action waits.
  const stopWaits = options.stopScheduling ? AbortSignal.any([options.stopScheduling, abort]) : abort;
  setMaxListeners(0, stopWaits);

  const done: Action[] = [];
  const failed: FailedAction[] = [];
  const skipped = new Map<string, SkippedAction>();
  const cancelled: Action[] = [];
  const ready: string[] = graph.nodes.filter((id) => waiting.get(id) === 0);
  let running = 0;
  emit({ type: 'start', project: plan.project, actions: plan.actions });

  const skipDependents = (id: string): void => {
    for (const next of graph.descendantsOf([id])) {
      if (skipped.has(next)) continue;
      const action = byId.get(next) as Action;
      skipped.set(next, { action, because: [id] });
      emit({ type: 'action-skipped', action, because: [id] });
    }
  };

  const runOne = async (action: Action): Promise<void> => {
    const t0 = now();
    emit({ type: 'action-start', action });
    const log = (line: string): void => emit({ type: 'action-log', action, line });
    try {
      if (abort.aborted) throw new CancelledError();
      try {
        for (const w of action.waitFor ?? []) await waitForDependency(w, action, options, { signal: stopWaits, log });
      } catch (err) {
        if (err instanceof CancelledError) {
          cancelled.push(action);
          emit({ type: 'action-cancelled', action });
          return;
        }
        throw err;
      }
      const driver = await options.drivers(action.driver);
      await driver.apply(action, options.project, { signal: abort, log });
      done.push(action);
      emit({ type: 'action-done', action, durationMs: now() - t0 });
      for (const d of graph.successors(action.id)) {
        const left = (waiting.get(d) ?? 0) - 1;
        waiting.set(d, left);
        if (left === 0 && !skipped.has(d)) ready.push(d);
      }
    } catch (err) {
      const error = asSurgeError(err);
      failed.push({ action, error });
      emit({ type: 'action-failed', action, error, durationMs: now() - t0 });
      skipDependents(action.id);
    }
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      const stopping = options.stopScheduling?.aborted === true || abort.aborted;
      while (!stopping && running < parallel && ready.length) {
        const id = ready.shift() as string;
        running++;
        void runOne(byId.get(id) as Action).finally(() => {
          running--;
          pump();
        });
      }
      if (running === 0 && (stopping || ready.length === 0)) resolve();
    };
    options.stopScheduling?.addEventListener('abort', pump, { once: true });
    pump();
  });

  const finished = new Set([...done, ...failed.map((f) => f.action), ...cancelled].map((a) => a.id));
  for (const id of skipped.keys()) finished.add(id);
  const neverStarted = plan.actions.filter((a) => !finished.has(a.id));
  for (const action of neverStarted) emit({ type: 'action-cancelled', action });
  const notStarted = [...cancelled, ...neverStarted];
  const ok = failed.length === 0 && skipped.size === 0 && notStarted.length === 0;
  const durationMs = now() - started;
  emit({ type: 'finish', ok, durationMs, done: done.length, failed: failed.length, skipped: skipped.size, cancelled: notStarted.length });
  return { ok, cancelled: notStarted.length > 0, done, failed, skipped: [...skipped.values()], notStarted, durationMs };
}

/** A `depends_on` condition; an optional dependency (required = false) that is not ready only logs a line. */
async function waitForDependency(w: WaitFor, action: Action, options: ExecuteOptions, ctx: ActionContext): Promise<void> {
  const dep = options.project.services[w.service];
  if (!dep) return;
  const driver = await options.drivers(dep.driver);
  try {
    await driver.waitFor(options.project, w.service, w.condition, ctx);
  } catch (err) {
    if (err instanceof CancelledError || w.required) {
      if (err instanceof CancelledError) throw err;
      throw new UserError(`${action.name} needs ${w.service} (${w.condition.replace('service_', '').replace(/_/g, ' ')}): ${errorMessage(err)}`, 'wait-failed');
    }
    ctx.log(`dependency ${w.service} is optional (required = false) and not ready: ${errorMessage(err)}`);
  }
}
