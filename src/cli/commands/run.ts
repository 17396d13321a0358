import { createReporter } from '../render/reporter.js';
import { UserError } from '../../model/errors.js';
import { splitShellWords } from '../../planner/load/shell-words.js';
import { planRun } from '../../planner/plan.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, withProjectLock, type ApplyArgs } from '../../api/apply.js';
import { Drivers, load, observeAll, type GlobalArgs } from '../../api/stack.js';
import { gpuPreflightFor, gpuServicesOfActions } from '../../api/preflight.js';
import { envPairs } from './exec.js';

interface RunArgs extends GlobalArgs, ApplyArgs {
  service: string;
  rm?: boolean;
  'no-deps'?: boolean;
  T?: boolean;
  user?: string;
  workdir?: string;
  entrypoint?: string;
  env?: string[];
  '--'?: (string | number)[];
}

export async function run(args: RunArgs): Promise<number> {
  const { project } = load(args);
  const s = project.services[args.service];
  if (!s) throw new UserError(`no such service: ${args.service}`);
  const command = (args['--'] ?? []).map(String);
  let entrypoint: string[] | null = null;
  if (args.entrypoint !== undefined) {
    const split = splitShellWords(args.entrypoint);
    if (!split.ok) throw new UserError(`--entrypoint: ${split.message}`);
    entrypoint = split.words;
  }
  const drivers = new Drivers(project);
  try {
    // What the one-off needs (image, networks, volumes, dependencies) is converged first, under the project lock.
    const prepared = await withProjectLock(project, args, async () => {
      const observed = await observeAll(project, drivers);
      const plan = planRun(project, observed, s.name, { noDeps: args['no-deps'] ?? false });
      // The one-off container and the dependencies the plan starts: if any needs a GPU the engine cannot give,
      // stop before creating its networks, volumes or dependencies.
      const gpu = gpuServicesOfActions(project, plan.actions);
      if (s.driver === 'docker' && s.gpu !== null && !gpu.includes(s.name)) gpu.unshift(s.name);
      await gpuPreflightFor(project, drivers, gpu);
      if (!plan.actions.length) return 0;
      const signals = interruptSignals();
      try {
        const reporter = await createReporter(args.progress ?? 'auto');
        const result = await runPlan(plan, project, drivers, args, { signals, reporter });
        await reporter.close();
        reportFailures(result);
        return exitCodeOf(result, signals.interrupted());
      } finally {
        signals.dispose();
      }
    });
    if (prepared !== 0) return prepared;
    const driver = await drivers.get(s.driver);
    const tty = !args.T && process.stdin.isTTY === true && process.stdout.isTTY === true;
    return await driver.run(project, s, {
      remove: args.rm ?? false,
      command: command.length ? command : null,
      entrypoint,
      interactive: true,
      tty,
      user: args.user ?? null,
      workdir: args.workdir ?? null,
      env: envPairs(args.env),
    });
  } finally {
    await drivers.close();
  }
}
