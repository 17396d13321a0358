import { formatPlan } from '../../api/format.js';
import { plan } from '../../api/plan.js';
import { up } from '../../api/up.js';
import { open, withStack } from '../context.js';
import { EXIT_CANCELLED } from '../interrupt.js';
import { runOperation, type ApplyArgs } from '../operation.js';
import { err, out, styleFor } from '../output.js';
import { planOptionsFrom, type PlanArgs } from './plan.js';

export interface UpArgs extends PlanArgs, ApplyArgs {
  wait?: boolean;
  'wait-timeout'?: number;
  'dry-run'?: boolean;
  watch?: boolean;
  attach?: boolean;
  debounce?: number;
}

export async function run(args: UpArgs): Promise<number> {
  const startedAt = Date.now();
  const stack = await open(args);
  const options = planOptionsFrom(args);
  const code = await withStack(stack, async () => {
    if (args['dry-run']) {
      out(formatPlan(await plan(stack, options), stack.project, styleFor(process.stdout)));
      return 0;
    }
    return runOperation(
      args,
      ({ control, reporter }) =>
        up(stack, {
          ...options,
          ...control,
          wait: args.wait ?? false,
          waitTimeoutSeconds: args['wait-timeout'] ?? 120,
          onEvent: (e) => {
            // Said as soon as the converge is done, before any --wait.
            if (e.type === 'converged' && e.ok && e.changes === 0) {
              reporter.note(options.noRecreate ? `Nothing to do for project ${stack.project.name} (--no-recreate).` : `Project ${stack.project.name} is up to date: the live stack matches the Boltfile.`);
            }
            control.onEvent?.(e);
          },
        }),
      (result) => {
        if (result.imagesFailed) err('No container, network or volume was changed.');
        if (result.waitError?.code === 'cancelled') {
          err('--wait interrupted; the stack is left as it is.');
          return EXIT_CANCELLED;
        }
        if (result.waitError) {
          err(`surge: ${result.waitError.message}`);
          return 1;
        }
        if (args.wait && result.ok) err('All services are up.');
        return undefined;
      },
    );
  });
  if (code !== 0 || !(args.watch || args.attach)) return code;
  const { runWatchCommand } = await import('./watch.js');
  return runWatchCommand(args, { skipInitialConverge: true, attachOnly: !args.watch, attachSinceMs: startedAt });
}
