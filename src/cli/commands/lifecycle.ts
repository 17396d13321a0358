import { planLifecycle, type LifecycleOp } from '../../planner/plan.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, withProjectLock, type ApplyArgs } from '../../api/apply.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';
import { err } from '../output.js';

interface LifecycleArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
  timeout?: number;
}

async function lifecycle(op: LifecycleOp, args: LifecycleArgs): Promise<number> {
  const { project } = load(args);
  const drivers = new Drivers(project);
  try {
    return await withProjectLock(project, args, async () => {
      const observed = await observeAll(project, drivers);
      const plan = planLifecycle(project, observed, op, args.services, args.timeout ?? null);
      if (!plan.actions.length) {
        err(observed.containers.length ? `Nothing to ${op}.` : `Project ${project.name} has no containers or processes; run \`surge up\` first.`);
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

export const runStart = (args: LifecycleArgs): Promise<number> => lifecycle('start', args);
export const runStop = (args: LifecycleArgs): Promise<number> => lifecycle('stop', args);
export const runRestart = (args: LifecycleArgs): Promise<number> => lifecycle('restart', args);
