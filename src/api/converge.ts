// observe → plan → execute, as `up` and watch do it. Images are prepared first, as a plan of their own: a failed
// pull or build ends the run before any container is touched. Then the stack is observed again and planned against
// the images now present, so a rebuilt image recreates exactly the services that use it.
import type { Plan } from '../model/plan-types.js';
import { plan as makePlan, type PlanOptions } from '../planner/plan.js';
import { emitter, type RunControl } from './control.js';
import { execute, nothingDone, type ExecuteResult } from './execute.js';
import type { Stack } from './stack.js';

export interface ConvergeResult {
  /** the plan that was applied (the image plan alone when images failed) */
  plan: Plan;
  result: ExecuteResult;
  /** the image phase failed: nothing else was attempted */
  imagesFailed: boolean;
}

/** Converges without taking the lock or running the GPU preflight: callers do both (up, watch). */
export async function convergeLocked(stack: Stack, options: PlanOptions, control: RunControl): Promise<ConvergeResult> {
  const emit = emitter(control);
  let observed = await stack.observe();
  let plan = makePlan(stack.project, observed, options);
  const images = plan.actions.filter((a) => a.kind === 'image');
  if (images.length) {
    const imagePlan: Plan = { ...plan, actions: images, notices: [] };
    const result = await execute(stack, imagePlan, control);
    if (!result.ok) return { plan: imagePlan, result, imagesFailed: true };
    observed = await stack.observe();
    plan = makePlan(stack.project, observed, { ...options, build: false, pull: 'missing' });
  }
  for (const message of plan.notices) emit({ type: 'notice', message });
  if (!plan.actions.length) return { plan, result: nothingDone(), imagesFailed: false };
  const result = await execute(stack, plan, control);
  return { plan, result, imagesFailed: false };
}
