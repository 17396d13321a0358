import { plan, savePlan, type PlanOptions } from '../../api/plan.js';
import { writePlanFile } from '../../api/saved-plan-file.js';
import { formatPlan, planJson } from '../../api/format.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err, out, styleFor } from '../output.js';

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

export async function run(args: PlanArgs): Promise<number> {
  return withStack(await open(args), async (stack) => {
    const p = await plan(stack, planOptionsFrom(args));
    if (args.out) {
      writePlanFile(args.out, savePlan(stack.project, p));
      err(`Saved the plan to ${args.out}; apply it with: surge apply ${args.out}`);
    }
    if (args.json) out(JSON.stringify(planJson(p), null, 2));
    else out(formatPlan(p, stack.project, styleFor(process.stdout)));
    if (args['detailed-exitcode']) return p.actions.length ? 2 : 0;
    return 0;
  });
}
