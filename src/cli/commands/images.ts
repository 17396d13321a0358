import { planImages } from '../../planner/plan.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, type ApplyArgs } from '../../api/apply.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';
import { err } from '../output.js';

interface ImageArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
}

async function images(mode: 'build' | 'pull', args: ImageArgs): Promise<number> {
  const { project } = load(args);
  const drivers = new Drivers(project);
  try {
    const observed = await observeAll(project, drivers);
    const plan = planImages(project, observed, mode, args.services);
    if (!plan.actions.length) {
      const who = args.services?.length ? `None of ${args.services.join(', ')}` : 'No service';
      err(mode === 'build' ? `${who} has \`build\`: nothing to build.` : `${who} pulls an image: nothing to pull.`);
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
  } finally {
    await drivers.close();
  }
}

export const runBuild = (args: ImageArgs): Promise<number> => images('build', args);
export const runPull = (args: ImageArgs): Promise<number> => images('pull', args);
