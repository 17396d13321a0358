// `scale`: add or remove replicas of services; existing replicas are never recreated.
import { UserError } from '../model/errors.js';
import type { Project } from '../model/model.js';
import { checkServiceNames, plan as makePlan } from '../planner/plan.js';
import type { RunControl } from './control.js';
import { execute, nothingDone } from './execute.js';
import type { PlannedResult } from './lifecycle.js';
import { withProjectLock } from './lock.js';
import { gpuPreflightOfActions } from './preflight.js';
import type { Stack } from './stack.js';

/** `web=3` → ["web", 3]; a user error for anything else. */
export function parseScale(spec: string): [string, number] {
  const m = /^([^=]+)=(\d+)$/.exec(spec);
  if (!m) throw new UserError(`invalid scale "${spec}": write SERVICE=N, e.g. web=3`);
  return [m[1] as string, Number(m[2])];
}

function scaled(project: Project, replicas: Record<string, number>): Project {
  checkServiceNames(project, Object.keys(replicas));
  const services = { ...project.services };
  for (const [name, n] of Object.entries(replicas)) {
    const s = services[name];
    if (!s) continue;
    if (!Number.isInteger(n) || n < 0) throw new UserError(`invalid replica count ${n} for ${name}: a whole number, 0 or more`);
    if (s.gpu?.isolation === 'exclusive' && n > 1) {
      throw new UserError(`service ${name} claims its GPUs exclusively (isolation_level = "exclusive"): more than one replica would share them`);
    }
    services[name] = { ...s, replicas: n };
  }
  return { ...project, services };
}

/**
 * Sets replica counts for this run (the Boltfile's `replicas` applies again on the next `up`).
 * @example
 * await scale(stack, { web: 3, worker: 2 });
 */
export async function scale(stack: Stack, replicas: Record<string, number>, control: RunControl = {}): Promise<PlannedResult> {
  const project = scaled(stack.project, replicas);
  return withProjectLock(stack, control, 'scale', async () => {
    const observed = await stack.observe();
    const plan = makePlan(project, observed, { services: Object.keys(replicas), noDeps: true, noRecreate: true });
    if (!plan.actions.length) return { ...nothingDone(), plan, nothingThere: false };
    // New replicas of a GPU service need a target that can give GPUs: check before creating anything.
    await gpuPreflightOfActions(stack, plan.actions);
    const result = await execute(stack, plan, control, project);
    return { ...result, plan, nothingThere: false };
  });
}
