// `plan`: what `up` would do, as a Plan value (the one `surge plan --json` prints), and saved plans.
import type { Project } from '../model/model.js';
import type { Plan, SavedPlan } from '../model/plan-types.js';
import { surgeVersion } from '../model/version.js';
import { plan as makePlan, type PlanOptions } from '../planner/plan.js';
import { gpuPreflightNotice } from './preflight.js';
import type { Stack } from './stack.js';

export type { PlanOptions };

/**
 * Observes the live state and plans against it. Changes nothing: when `up` would stop at the GPU preflight, the plan
 * says so in its notices instead of failing.
 * @example
 * const p = await plan(stack, { removeOrphans: true });
 * if (p.actions.length) console.log(formatPlan(p, stack.project));
 */
export async function plan(stack: Stack, options: PlanOptions = {}): Promise<Plan> {
  const observed = await stack.observe();
  const result = makePlan(stack.project, observed, options);
  const refused = await gpuPreflightNotice(stack, options.services, options.noDeps);
  if (refused) result.notices.push(refused);
  return result;
}

/**
 * A plan with the model it was made for, to apply later (`surge plan -o FILE`): applying it needs no Boltfile, and
 * is refused with a `stale-plan` error when the live state moved since.
 */
export function savePlan(project: Project, plan: Plan, now: Date = new Date()): SavedPlan {
  return { format: 'surge-plan/1', createdAt: now.toISOString(), surgeVersion: surgeVersion(), model: project, plan };
}
