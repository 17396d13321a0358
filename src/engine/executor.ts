// Runs a plan's DAG with bounded parallelism. It makes no decisions: each action starts as soon as what it depends
// on is done; a failure skips the failed action's dependents while independent branches finish.
import { setMaxListeners } from 'node:events';
import type { ActionContext, Driver } from '../drivers/driver.js';
import { CancelledError, errorMessage, UserError } from '../model/errors.js';
import type { DriverKind, Project } from '../model/model.js';
import type { Action, Plan, WaitFor } from '../model/plan-types.js';

export type ExecEvent =
  | { type: 'start'; project: string; actions: Action[] }
  | { type: 'action-start'; action: Action }
  | { type: 'action-log'; action: Action; line: string }
  | { type: 'action-done'; action: Action; durationMs: number }
  | { type: 'action-failed'; action: Action; error: string; durationMs: number }
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

export interface ExecuteResult {
  ok: boolean;
  cancelled: boolean;
  done: string[];
  failed: { id: string; error: string }[];
  skipped: string[];
  notStarted: string[];
}

export const DEFAULT_PARALLEL = 16;

export function validatePlanGraph(plan: Plan): void {
  const ids = new Set<string>();
  for (const a of plan.actions) {
    if (ids.has(a.id)) throw new Error(`bug: duplicate action id ${a.id} in plan`);
    ids.add(a.id);
  }
  for (const a of plan.actions) {
    for (const d of a.dependsOn) if (!ids.has(d)) throw new Error(`bug: action ${a.id} depends on unknown action ${d}`);
  }
}

export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
  validatePlanGraph(plan);
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? ((): void => {});
  const started = now();
  // NaN would make the scheduler wait forever on nothing: callers validate, this guards.
  if (!Number.isFinite(options.parallel)) throw new Error(`bug: parallel must be a number, got ${options.parallel}`);
  const parallel = Math.max(1, Math.floor(options.parallel));
  const abort = options.abort ?? new AbortController().signal;
  // Every in-flight action may listen to it (a wait, a stop to cut short): more than Node's default of 10 is normal.
  setMaxListeners(0, abort);

  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const a of plan.actions) {
    waiting.set(a.id, a.dependsOn.length);
    for (const d of a.dependsOn) {
      const list = dependents.get(d) ?? [];
      list.push(a.id);
      dependents.set(d, list);
    }
  }

  const done: string[] = [];
  const failed: { id: string; error: string }[] = [];
  const skipped = new Set<string>();
  const ready: string[] = plan.actions.filter((a) => a.dependsOn.length === 0).map((a) => a.id);
  let running = 0;
  emit({ type: 'start', project: plan.project, actions: plan.actions });

  const skipDependents = (id: string, because: string): void => {
    const stack = [...(dependents.get(id) ?? [])];
    while (stack.length) {
      const next = stack.pop() as string;
      if (skipped.has(next)) continue;
      skipped.add(next);
      emit({ type: 'action-skipped', action: byId.get(next) as Action, because: [because] });
      stack.push(...(dependents.get(next) ?? []));
    }
  };

  const runOne = async (action: Action): Promise<void> => {
    const t0 = now();
    emit({ type: 'action-start', action });
    const ctx: ActionContext = { signal: abort, log: (line) => emit({ type: 'action-log', action, line }) };
    try {
      if (abort.aborted) throw new CancelledError();
      for (const w of action.waitFor ?? []) await waitForDependency(w, action, options, ctx);
      const driver = await options.drivers(action.driver);
      await driver.apply(action, options.project, ctx);
      done.push(action.id);
      emit({ type: 'action-done', action, durationMs: now() - t0 });
      for (const d of dependents.get(action.id) ?? []) {
        const left = (waiting.get(d) ?? 0) - 1;
        waiting.set(d, left);
        if (left === 0 && !skipped.has(d)) ready.push(d);
      }
    } catch (err) {
      const message = errorMessage(err);
      failed.push({ id: action.id, error: message });
      emit({ type: 'action-failed', action, error: message, durationMs: now() - t0 });
      skipDependents(action.id, action.id);
      if (!(err instanceof UserError) && !(err instanceof CancelledError) && process.env.SURGE_DEBUG) {
        process.stderr.write(`${(err as Error).stack ?? message}\n`);
      }
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

  const finished = new Set([...done, ...failed.map((f) => f.id), ...skipped]);
  const notStarted = plan.actions.map((a) => a.id).filter((id) => !finished.has(id));
  for (const id of notStarted) emit({ type: 'action-cancelled', action: byId.get(id) as Action });
  const ok = failed.length === 0 && skipped.size === 0 && notStarted.length === 0;
  emit({
    type: 'finish',
    ok,
    durationMs: now() - started,
    done: done.length,
    failed: failed.length,
    skipped: skipped.size,
    cancelled: notStarted.length,
  });
  return { ok, cancelled: notStarted.length > 0, done, failed, skipped: [...skipped], notStarted };
}

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
