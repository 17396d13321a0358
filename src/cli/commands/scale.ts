import { parseScale, scale } from '../../api/scale.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { err } from '../output.js';

export async function run(args: GlobalArgs & ApplyArgs & { scales: string[] }): Promise<number> {
  const replicas = Object.fromEntries(args.scales.map(parseScale));
  return withStack(await open(args), (stack) =>
    runOperation(
      args,
      ({ control }) => scale(stack, replicas, control),
      (result) => {
        if (!result.plan.actions.length) err('Already at that scale.');
        else if (result.ok) {
          err(`Scaled ${Object.entries(replicas).map(([n, r]) => `${n}=${r}`).join(', ')}. Set \`replicas\` in the Boltfile to keep it on the next \`surge up\`.`);
        }
      },
    ),
  );
}
