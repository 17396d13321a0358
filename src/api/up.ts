// `up`: converge the live stack on the project — GPU preflight, images, then every change — under the project lock,
// and optionally wait until the services are running and healthy.
import { asSurgeError, CancelledError, type SurgeError } from '../model/errors.js';
import type { Plan } from '../model/plan-types.js';
import { plan as makePlan, selectServices, type PlanOptions } from '../planner/plan.js';
import { emitter, signalsOf, type RunControl } from './control.js';
import { convergeLocked, type ConvergeResult } from './converge.js';
import { nothingDone, type ExecuteResult } from './execute.js';
import { withProjectLock } from './lock.js';
import { gpuPreflight } from './preflight.js';
import type { Stack } from './stack.js';
import { waitForServices } from './wait.js';

/** Options of `up`: what to plan for, whether to wait for the services, and the run control. */
export interface UpOptions extends PlanOptions, RunControl {
  /** wait until every selected service runs, and is healthy where it has a healthcheck */
  wait?: boolean;
  /** seconds; default 120 */
  waitTimeoutSeconds?: number;
}

/**
 * What `up` did: the plan it applied, each action's outcome, whether images failed, and why `--wait` failed if it did.
 */
export interface UpResult extends ExecuteResult {
  /** the plan that was applied (the image plan alone when images failed) */
  plan: Plan;
  /** pulling or building an image failed: no container, network or volume was changed */
  imagesFailed: boolean;
  /** with `wait`: null when every service came up, else why not (code `wait-failed`, or `cancelled`) */
  waitError: SurgeError | null;
}

/**
 * Converges the stack. Throws before touching anything when it cannot start (`config`, `lock-timeout`,
 * `gpu-unavailable`, `engine-unreachable`, `precondition`); otherwise returns what was done, failed and skipped.
 * @example
 * const result = await up(stack, { wait: true, signal: controller.signal, onEvent: render });
 * if (!result.ok) process.exitCode = 1;
 */
export async function up(stack: Stack, options: UpOptions = {}): Promise<UpResult> {
  const emit = emitter(options);
  const converged = (await upToDate(stack, options)) ?? (await withProjectLock(stack, options, 'up', async () => {
    await gpuPreflight(stack, options.services, options.noDeps);
    return convergeLocked(stack, options, options);
  }));
  const { plan, result, imagesFailed } = converged;
  emit({ type: 'converged', project: stack.project.name, changes: plan.actions.length, ok: result.ok });
  // The lock is released before waiting: waiting changes nothing, and another operator need not wait for our health
  // checks. A graceful stop ends the wait at once.
  let waitError: SurgeError | null = null;
  if (options.wait && result.ok && !options.signal?.aborted) {
    const { stop } = signalsOf(options);
    try {
      await waitForServices(stack, selectServices(stack.project, options.services, options.noDeps), options.waitTimeoutSeconds ?? 120, stop, emit);
    } catch (e) {
      waitError = e instanceof CancelledError ? e : asSurgeError(e);
    }
  }
  return { ...result, ok: result.ok && waitError === null, cancelled: result.cancelled || waitError?.code === 'cancelled', plan, imagesFailed, waitError };
}

/**
 * The common case of `up` on a converged stack, without the lock: observe and plan; when there is nothing to do,
 * that is the answer (null otherwise: the caller converges under the lock, observing again). A stack another surge
 * is changing shows a partial state here, so this sees changes and takes the lock — it never applies without it.
 */
async function upToDate(stack: Stack, options: UpOptions): Promise<ConvergeResult | null> {
  if (options.forceRecreate || options.build || options.pull === 'always') return null;
  const planned = makePlan(stack.project, await stack.observe(), options);
  if (planned.actions.length) return null;
  for (const message of planned.notices) emitter(options)({ type: 'notice', message });
  return { plan: planned, result: nothingDone(), imagesFailed: false };
}
