import { UserError } from '../../model/errors.js';
import { plan as makePlan } from '../../planner/plan.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, withProjectLock, type ApplyArgs } from '../../api/apply.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';
import { gpuPreflightFor, gpuServicesOfActions } from '../../api/preflight.js';
import { err } from '../output.js';

export async function run(args: GlobalArgs & ApplyArgs & { scales: string[] }): Promise<number> {
  const { project } = load(args);
  const names: string[] = [];
  for (const spec of args.scales) {
    const m = /^([^=]+)=(\d+)$/.exec(spec);
    if (!m) throw new UserError(`invalid scale "${spec}": write SERVICE=N, e.g. web=3`);
    const s = project.services[m[1] as string];
    if (!s) throw new UserError(`no such service: ${m[1]}`);
    if (s.gpu?.isolation === 'exclusive' && Number(m[2]) > 1) {
      throw new UserError(`service ${s.name} claims its GPUs exclusively (isolation_level = "exclusive"): more than one replica would share them`);
    }
    s.replicas = Number(m[2]);
    names.push(s.name);
  }
  const drivers = new Drivers(project);
  try {
    return await withProjectLock(project, args, async () => {
      const observed = await observeAll(project, drivers);
      // Scaling adds or removes replicas; it never recreates the ones that exist.
      const plan = makePlan(project, observed, { services: names, noDeps: true, noRecreate: true });
      if (!plan.actions.length) {
        err('Already at that scale.');
        return 0;
      }
      // New replicas of a GPU service need an engine that can give GPUs: check before creating anything.
      await gpuPreflightFor(project, drivers, gpuServicesOfActions(project, plan.actions));
      const signals = interruptSignals();
      try {
        const result = await runPlan(plan, project, drivers, args, { signals });
        reportFailures(result);
        if (result.ok) err(`Scaled ${names.map((n) => `${n}=${project.services[n]?.replicas}`).join(', ')}. Set \`replicas\` in the Boltfile to keep it on the next \`surge up\`.`);
        return exitCodeOf(result, signals.interrupted());
      } finally {
        signals.dispose();
      }
    });
  } finally {
    await drivers.close();
  }
}
