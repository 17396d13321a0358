import { build, pull, restart, start, stop, type PlannedResult } from '../../api/lifecycle.js';
import type { RunControl } from '../../api/control.js';
import type { Stack } from '../../api/stack.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { err } from '../output.js';

interface LifecycleArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
  timeout?: number;
}

type Op = (stack: Stack, options: RunControl & { services?: string[]; timeoutSeconds?: number | null }) => Promise<PlannedResult>;

async function lifecycle(name: 'start' | 'stop' | 'restart', op: Op, args: LifecycleArgs): Promise<number> {
  return withStack(await open(args), (stack) =>
    runOperation(
      args,
      ({ control }) => op(stack, { ...control, services: args.services ?? [], timeoutSeconds: args.timeout ?? null }),
      (result) => {
        if (!result.plan.actions.length) err(result.nothingThere ? `Project ${stack.project.name} has no containers or processes; run \`surge up\` first.` : `Nothing to ${name}.`);
      },
    ),
  );
}

async function images(mode: 'build' | 'pull', args: LifecycleArgs): Promise<number> {
  const op = mode === 'build' ? build : pull;
  return withStack(await open(args), (stack) =>
    runOperation(
      args,
      ({ control }) => op(stack, { ...control, services: args.services ?? [] }),
      (result) => {
        if (result.plan.actions.length) return;
        const who = args.services?.length ? `None of ${args.services.join(', ')}` : 'No service';
        err(mode === 'build' ? `${who} has \`build\`: nothing to build.` : `${who} pulls an image: nothing to pull.`);
      },
      mode === 'build' ? 'Fix the build and run `surge build` again.' : 'Check the image names and that the registry is reachable, then run `surge pull` again.',
    ),
  );
}

export const runStart = (args: LifecycleArgs): Promise<number> => lifecycle('start', start, args);
export const runStop = (args: LifecycleArgs): Promise<number> => lifecycle('stop', stop, args);
export const runRestart = (args: LifecycleArgs): Promise<number> => lifecycle('restart', restart, args);
export const runBuild = (args: LifecycleArgs): Promise<number> => images('build', args);
export const runPull = (args: LifecycleArgs): Promise<number> => images('pull', args);
