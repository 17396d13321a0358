import { ConfigError } from '../../model/errors.js';
import { emptyProject, type Project } from '../../model/model.js';
import { planDown } from '../../planner/plan.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, withProjectLock, type ApplyArgs } from '../../api/apply.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';
import { err } from '../output.js';

export interface DownArgs extends GlobalArgs, ApplyArgs {
  volumes?: boolean;
  'remove-orphans'?: boolean;
  rmi?: 'local' | 'all';
  timeout?: number;
}

/**
 * Without a Boltfile, `down -p NAME` still takes the project away (like `docker compose -p NAME down`): every object
 * labelled with the project goes, since none of its services is declared any more.
 */
function projectFor(args: DownArgs): { project: Project; everything: boolean } {
  try {
    return { project: load(args).project, everything: false };
  } catch (err) {
    const name = args['project-name'];
    const noFile = err instanceof ConfigError && err.diagnostics.length === 1 && err.diagnostics[0]?.location === null && /^no Boltfile/.test(err.message);
    if (!name || !noFile) throw err;
    return { project: emptyProject(name.toLowerCase(), process.cwd()), everything: true };
  }
}

export async function run(args: DownArgs): Promise<number> {
  const { project, everything } = projectFor(args);
  const drivers = new Drivers(project);
  try {
    return await withProjectLock(project, args, async () => {
      const observed = await observeAll(project, drivers, everything ? new Set(['docker', 'process']) : undefined);
      const plan = planDown(project, observed, {
        removeVolumes: args.volumes ?? false,
        removeOrphans: everything || (args['remove-orphans'] ?? false),
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
