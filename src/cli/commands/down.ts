import { planDown } from '../../planner/plan.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, withProjectLock, type ApplyArgs } from '../apply-plan.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../context.js';
import { err } from '../output.js';

export interface DownArgs extends GlobalArgs, ApplyArgs {
  volumes?: boolean;
  'remove-orphans'?: boolean;
  rmi?: 'local' | 'all';
  timeout?: number;
}

export async function run(args: DownArgs): Promise<number> {
  const { project } = load(args);
  const drivers = new Drivers(project);
  try {
    return await withProjectLock(project, args, async () => {
      const observed = await observeAll(project, drivers);
      const plan = planDown(project, observed, {
        removeVolumes: args.volumes ?? false,
        removeOrphans: args['remove-orphans'] ?? false,
        timeoutSeconds: args.timeout ?? null,
        rmi: args.rmi ?? null,
      });
      for (const n of plan.notices) err(`! ${n}`);
      if (!plan.actions.length) {
        err(`Nothing to take down for project ${project.name}.`);
        return 0;
      }
      const signals = interruptSignals();
      try {
        const result = await runPlan(plan, project, drivers, args, { signals });
        reportFailures(result);
        return exitCodeOf(result, signals.interrupted());
      } finally {
        signals.dispose();
      }
    });
  } finally {
    await drivers.close();
  }
}
