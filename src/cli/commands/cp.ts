import { copy } from '../../api/copy.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err } from '../output.js';

export async function run(args: GlobalArgs & { source: string; destination: string; index?: number }): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) => {
    const r = await copy(stack, args.source, args.destination, args.index !== undefined ? { index: args.index } : {});
    for (const d of r.descriptions) err(`Copied ${d}`);
    return 0;
  });
}
