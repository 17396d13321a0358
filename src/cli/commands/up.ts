import { formatPlan, planJson } from '../../api/format.js';
import { plan } from '../../api/plan.js';
import { up } from '../../api/up.js';
import { UserError } from '../../model/errors.js';
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
  detach?: boolean;
  'abort-on-container-exit'?: boolean;
  'exit-code-from'?: string;
  timeout?: number;
  debounce?: number;
}

/** compose refuses these together; so does surge, before touching anything. */
function checkForeground(args: UpArgs): void {
  const abort = args['abort-on-container-exit'] || args['exit-code-from'] !== undefined;
  if (!abort) return;
  const flag = args['exit-code-from'] !== undefined ? '--exit-code-from' : '--abort-on-container-exit';
  if (args.detach) throw new UserError(`--detach cannot be combined with ${flag}: it runs in the foreground`);
  if (args.wait) throw new UserError(`--wait cannot be combined with ${flag}`);
  if (args.watch) throw new UserError(`--watch cannot be combined with ${flag}`);
}

export async function run(args: UpArgs): Promise<number> {
  checkForeground(args);
  const startedAt = Date.now();
  const stack = await open(args);
  const options = planOptionsFrom(args);
  if (args['exit-code-from'] !== undefined && !stack.project.services[args['exit-code-from']]) {
    await stack.close();
    throw new UserError(`--exit-code-from: no such service: ${args['exit-code-from']}`, 'no-such-service');
  }
  /** replicas this up created, recreated or started: the foreground watches them exit */
  const started: string[] = [];
  const code = await withStack(stack, async () => {
    if (args['dry-run']) {
      const p = await plan(stack, options);
      out(args.progress === 'json' ? JSON.stringify(planJson(p), null, 2) : formatPlan(p, stack.project, styleFor(process.stdout)));
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
        for (const a of result.done) if (a.kind === 'service' && a.op !== 'remove' && a.op !== 'stop' && a.containerName) started.push(a.containerName);
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
  const foreground = args.attach || args['abort-on-container-exit'] || args['exit-code-from'] !== undefined;
  if (code !== 0 || !(args.watch || foreground)) return code;
  if (foreground && !args.watch) {
    const { runForeground } = await import('./up-foreground.js');
    return runForeground(args, started, startedAt);
  }
  const { runWatchCommand } = await import('./watch.js');
  return runWatchCommand(args, { skipInitialConverge: true, attachOnly: !args.watch, attachSinceMs: startedAt });
}
