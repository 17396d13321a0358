import { resolve } from 'node:path';
import { UserError, errorMessage } from '../../model/errors.js';
import { writePrivateFile } from '../../model/private-file.js';
import { plan as makePlan, type PlanOptions } from '../../planner/plan.js';
import { formatPlan, planJson } from '../../planner/plan-format.js';
import type { Project } from '../../model/model.js';
import type { Plan, SavedPlan } from '../../model/plan-types.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';
import { gpuPreflightNotice } from '../../api/preflight.js';
import { out, styleFor, err } from '../output.js';
import { surgeVersion } from '../../model/version.js';

export interface PlanArgs extends GlobalArgs {
  services?: string[];
  json?: boolean;
  out?: string;
  'detailed-exitcode'?: boolean;
  'remove-orphans'?: boolean;
  'force-recreate'?: boolean;
  'no-recreate'?: boolean;
  'no-deps'?: boolean;
  build?: boolean;
  pull?: 'always' | 'missing' | 'never';
}

export function planOptionsFrom(args: PlanArgs): PlanOptions {
  return {
    services: args.services ?? [],
    noDeps: args['no-deps'] ?? false,
    forceRecreate: args['force-recreate'] ?? false,
    noRecreate: args['no-recreate'] ?? false,
    removeOrphans: args['remove-orphans'] ?? false,
    build: args.build ?? false,
    pull: args.pull ?? 'missing',
  };
}

/**
 * The plan `up` would carry out, for showing (`plan`, `up --dry-run`): they change nothing, so the GPU preflight's
 * refusal becomes a notice instead of an error.
 */
export async function previewPlan(project: Project, drivers: Drivers, options: PlanOptions): Promise<Plan> {
  const observed = await observeAll(project, drivers);
  const plan = makePlan(project, observed, options);
  const refused = await gpuPreflightNotice(project, drivers, options.services, options.noDeps);
  if (refused) plan.notices.push(refused);
  return plan;
}

export async function run(args: PlanArgs): Promise<number> {
  const { project } = load(args);
  const drivers = new Drivers(project);
  try {
    const plan = await previewPlan(project, drivers, planOptionsFrom(args));
    if (args.out) {
      const saved: SavedPlan = { format: 'surge-plan/1', createdAt: new Date().toISOString(), surgeVersion: surgeVersion(), model: project, plan };
      const file = resolve(args.out);
      // The saved plan holds the full model, environment values included: keep it private like a Terraform plan file
      // (0600 even over an existing 0644 file).
      try {
        writePrivateFile(file, `${JSON.stringify(saved, null, 2)}\n`);
      } catch (e) {
        // A path the user gave that cannot be written is theirs to fix, not a bug in surge.
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : errorMessage(e);
        throw new UserError(`cannot save the plan to ${args.out}: ${why}`);
      }
      err(`Saved the plan to ${args.out}; apply it with: surge apply ${args.out}`);
    }
    if (args.json) out(JSON.stringify(planJson(plan), null, 2));
    else out(formatPlan(plan, project, styleFor(process.stdout)));
    if (args['detailed-exitcode']) return plan.actions.length ? 2 : 0;
    return 0;
  } finally {
    await drivers.close();
  }
}
