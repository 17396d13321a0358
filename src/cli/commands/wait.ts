import { waitForExit } from '../../api/live.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';
import { untilInterrupted } from '../until-interrupted.js';

/**
 * Blocks until every replica of the services has exited, printing each exit code as it comes (compose's `wait`);
 * exits with the code of the last one to exit. Ctrl-C: 130.
 */
export async function run(args: GlobalArgs & { services: string[] }): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), (stack) =>
    untilInterrupted(async (signal) => {
      const results = await waitForExit(stack, args.services, { signal }, (r) => out(`${r.container.name} exited with code ${r.exitCode ?? 'unknown'}`));
      return results.at(-1)?.exitCode ?? 1;
    }),
  );
}
