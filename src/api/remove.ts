// `rm` and `create`: compose's commands for containers that are not running, as plans through the executor (so
// they show progress, respect dependency order and hold the project lock like every change).
import type { Plan } from '../model/plan-types.js';
import { planCreate, planRemove, type PlanOptions, type RemoveOptions } from '../planner/plan.js';
import { emitter, type RunControl } from './control.js';
import { execute, nothingDone, type ExecuteResult } from './execute.js';
import { withProjectLock } from './lock.js';
import type { Stack } from './stack.js';

/** Options of `removeStopped` (compose's `rm`): what to remove, a confirmation asked first, and the run control. */
export interface RemoveStoppedOptions extends RemoveOptions, RunControl {
  /**
   * Asked with the names of what would be removed before anything is (compose's "Going to remove …" prompt);
   * resolve false to remove nothing. Default: go ahead.
   */
  confirm?: (names: string[]) => Promise<boolean>;
}

/** What a removal did: the plan, each action's outcome, and whether the confirmation said no. */
export interface PlanResult extends ExecuteResult {
  plan: Plan;
  /** `confirm` said no: nothing was removed */
  declined?: boolean;
}

/**
 * Removes the stopped containers (and host process records) of `services` — with `stop`, the running ones too —
 * under the project lock.
 * @example
 * await removeStopped(stack, { services: ['worker'], stop: true, volumes: true });
 */
export async function removeStopped(stack: Stack, options: RemoveStoppedOptions = {}): Promise<PlanResult> {
  return withProjectLock(stack, options, 'rm', async () => {
    const plan = planRemove(stack.project, await stack.observe(), options);
    if (!plan.actions.length) return { ...nothingDone(), plan };
    const names = plan.actions.map((a) => a.containerName ?? a.id);
    if (options.confirm && !(await options.confirm(names))) return { ...nothingDone(), plan, declined: true };
    return { ...(await execute(stack, plan, options)), plan };
  });
}

/**
 * Creates what `up` would, leaving containers created, not started (compose's `create`): images are pulled or
 * built first, then networks, volumes and containers; `surge start` or `surge up` starts them.
 */
export async function create(stack: Stack, options: PlanOptions & RunControl = {}): Promise<PlanResult> {
  return withProjectLock(stack, options, 'create', async () => {
    const emit = emitter(options);
    let plan = planCreate(stack.project, await stack.observe(), options);
    const images = plan.actions.filter((a) => a.kind === 'image');
    if (images.length) {
      const imagePlan: Plan = { ...plan, actions: images, notices: [] };
      const result = await execute(stack, imagePlan, options);
      if (!result.ok) return { ...result, plan: imagePlan };
      plan = planCreate(stack.project, await stack.observe(), { ...options, build: false, pull: 'missing' });
    }
    for (const message of plan.notices) emit({ type: 'notice', message });
    if (!plan.actions.length) return { ...nothingDone(), plan };
    return { ...(await execute(stack, plan, options)), plan };
  });
}
