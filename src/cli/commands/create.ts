import { create } from '../../api/remove.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { err } from '../output.js';

interface CreateArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
  build?: boolean;
  pull?: 'always' | 'missing' | 'never';
  'force-recreate'?: boolean;
  'no-recreate'?: boolean;
  'remove-orphans'?: boolean;
}

export async function run(args: CreateArgs): Promise<number> {
  return withStack(await open(args), (stack) =>
    runOperation(
      args,
      ({ control }) =>
        create(stack, {
          ...control,
          services: args.services ?? [],
          build: args.build ?? false,
          pull: args.pull ?? 'missing',
          forceRecreate: args['force-recreate'] ?? false,
          noRecreate: args['no-recreate'] ?? false,
          removeOrphans: args['remove-orphans'] ?? false,
        }),
      (result) => {
        if (!result.plan.actions.length) err(`Nothing to create for project ${stack.project.name}.`);
        else if (result.ok) err('Created; `surge start` (or `surge up`) starts them.');
      },
    ),
  );
}
