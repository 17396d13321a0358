import { apply } from '../../api/apply.js';
import { readPlanFile } from '../../api/saved-plan-file.js';
import { connect } from '../../api/stack.js';
import { StalePlanError } from '../../model/errors.js';
import { withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { err } from '../output.js';

export async function run(args: GlobalArgs & ApplyArgs & { planfile?: string }): Promise<number> {
  if (!args.planfile) {
    const up = await import('./up.js');
    return up.run({ ...args, pull: 'missing' });
  }
  const saved = readPlanFile(args.planfile);
  return withStack(await connect(saved.model), async (stack) => {
    try {
      return await runOperation(
        args,
        ({ control }) => apply(stack, saved.plan, control),
        () => {
          if (!saved.plan.actions.length) err('The plan has no changes; nothing to do.');
        },
      );
    } catch (e) {
      if (!(e instanceof StalePlanError)) throw e;
      err(`surge: ${e.message} (plan made ${saved.createdAt})`);
      err('Make a new plan with `surge plan -o FILE` and review it.');
      return 1;
    }
  });
}
