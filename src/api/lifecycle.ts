// `start`, `stop`, `restart`: existing containers and processes in dependency order (stop: dependents first); and
// `build` / `pull`: refresh images. Nothing is created.
import type { Plan } from '../model/plan-types.js';
import { planImages, planLifecycle, type LifecycleOp } from '../planner/plan.js';
import type { RunControl } from './control.js';
import { execute, nothingDone, type ExecuteResult } from './execute.js';
import { withProjectLock } from './lock.js';
import type { Stack } from './stack.js';

/** What a lifecycle, build, pull or scale operation did: the plan and each action's outcome. */
export interface PlannedResult extends ExecuteResult {
  plan: Plan;
  /** the project has no containers or processes at all */
  nothingThere: boolean;
}

/** Options of `start`, `stop` and `restart`: which services, the stop timeout, and the run control. */
export interface LifecycleOptions extends RunControl {
  services?: string[];
  /** seconds to wait for a graceful stop before killing */
  timeoutSeconds?: number | null;
}

async function lifecycle(stack: Stack, op: LifecycleOp, options: LifecycleOptions): Promise<PlannedResult> {
  return withProjectLock(stack, options, op, async () => {
    const observed = await stack.observe();
    const plan = planLifecycle(stack.project, observed, op, options.services, options.timeoutSeconds ?? null);
    const result = plan.actions.length ? await execute(stack, plan, options) : nothingDone();
    return { ...result, plan, nothingThere: observed.containers.length === 0 };
  });
}

/** Starts existing, stopped containers and processes, dependencies first. */
export const start = (stack: Stack, options: LifecycleOptions = {}): Promise<PlannedResult> => lifecycle(stack, 'start', options);
/** Stops running containers and processes without removing them, dependents first. */
export const stop = (stack: Stack, options: LifecycleOptions = {}): Promise<PlannedResult> => lifecycle(stack, 'stop', options);
/** Stops then starts them again. */
export const restart = (stack: Stack, options: LifecycleOptions = {}): Promise<PlannedResult> => lifecycle(stack, 'restart', options);

async function images(stack: Stack, mode: 'build' | 'pull', options: RunControl & { services?: string[] }): Promise<PlannedResult> {
  return withProjectLock(stack, options, mode, async () => {
    const observed = await stack.observe();
    const plan = planImages(stack.project, observed, mode, options.services);
    const result = plan.actions.length ? await execute(stack, plan, options) : nothingDone();
    return { ...result, plan, nothingThere: false };
  });
}

/** Builds the images of services with `build` (all, or the named ones). */
export const build = (stack: Stack, options: RunControl & { services?: string[] } = {}): Promise<PlannedResult> => images(stack, 'build', options);
/** Pulls the images of services without `build`. */
export const pull = (stack: Stack, options: RunControl & { services?: string[] } = {}): Promise<PlannedResult> => images(stack, 'pull', options);
