// observe → plan → execute, as `up` and `watch` do it. Images are prepared first, as a plan of their own: a failed
// pull or build ends the run before any container is touched. Then the stack is observed again and planned against
// the images now present, so a rebuilt image recreates exactly the services that use it.
import type { ExecuteResult } from '../engine/executor.js';
import type { Reporter } from '../cli/render/reporter.js';
import type { Project } from '../model/model.js';
import { plan as makePlan, type PlanOptions } from '../planner/plan.js';
import type { Plan } from '../model/plan-types.js';
import { runPlan, type ApplyArgs, type interruptSignals } from './apply.js';
import { observeAll, type Drivers } from './stack.js';
import { gpuPreflight } from './preflight.js';

export interface ConvergeResult {
  plan: Plan;
  result: ExecuteResult;
  /** the image phase failed: nothing else was attempted */
  imagesFailed: boolean;
}

export async function converge(
  project: Project,
  drivers: Drivers,
  options: PlanOptions,
  args: ApplyArgs,
  reporter: Reporter,
  signals: ReturnType<typeof interruptSignals>,
): Promise<ConvergeResult> {
  await gpuPreflight(project, drivers, options.services, options.noDeps);
  let observed = await observeAll(project, drivers);
  let plan = makePlan(project, observed, options);
  const images = plan.actions.filter((a) => a.kind === 'image');
  if (images.length) {
    const imagePlan: Plan = { ...plan, actions: images, notices: [] };
    const result = await runPlan(imagePlan, project, drivers, args, { reporter, signals });
    if (!result.ok) return { plan: imagePlan, result, imagesFailed: true };
    observed = await observeAll(project, drivers);
    plan = makePlan(project, observed, { ...options, build: false, pull: 'missing' });
  }
  for (const n of plan.notices) reporter.note(`! ${n}`);
  if (!plan.actions.length) {
    return { plan, result: { ok: true, cancelled: false, done: [], failed: [], skipped: [], notStarted: [] }, imagesFailed: false };
  }
  const result = await runPlan(plan, project, drivers, args, { reporter, signals });
  return { plan, result, imagesFailed: false };
}
