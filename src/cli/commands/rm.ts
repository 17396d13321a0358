import { createInterface } from 'node:readline/promises';
import { removeStopped } from '../../api/remove.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { err } from '../output.js';

interface RmArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
  force?: boolean;
  stop?: boolean;
  volumes?: boolean;
  timeout?: number;
}

/** compose asks before removing, unless -f; with no terminal to ask on, it removes nothing and says why. */
async function ask(names: string[]): Promise<boolean> {
  err(`Going to remove ${names.join(', ')}`);
  if (!process.stdin.isTTY) {
    err('Not removing: no terminal to confirm on. Add -f (--force) to remove without asking.');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question('Are you sure? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}

export async function run(args: RmArgs): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), (stack) => {
    let declined = false;
    return runOperation(
      args,
      async ({ control }) => {
        const r = await removeStopped(stack, {
          ...control,
          services: args.services ?? [],
          stop: args.stop ?? false,
          volumes: args.volumes ?? false,
          timeoutSeconds: args.timeout ?? null,
          ...(args.force ? {} : { confirm: ask }),
        });
        declined = r.declined ?? false;
        return r;
      },
      (result) => {
        if (!result.plan.actions.length) err(args.stop ? 'No container or process to remove.' : 'No stopped containers.');
        return declined ? 1 : undefined;
      },
      null,
    );
  });
}
