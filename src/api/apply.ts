// `apply`: carries out a plan made earlier, refusing it when the live state moved since it was made.
import { StalePlanError } from '../model/errors.js';
import type { Plan } from '../model/plan-types.js';
import { observedFingerprint } from '../planner/plan.js';
import type { RunControl } from './control.js';
import { execute, nothingDone, type ExecuteResult } from './execute.js';
import { withProjectLock } from './lock.js';
import { gpuPreflightOfActions } from './preflight.js';
import type { Stack } from './stack.js';

/** What an apply did: `done`, `failed` (with the error objects), `skipped` (their dependents), `notStarted`. */
export type ApplyResult = ExecuteResult;

/**
 * Applies `plan` under the project lock. Before touching anything it observes again: if the live state is not the
 * one the plan was made from (a container changed, an image was retagged), it throws a `StalePlanError` (code
 * `stale-plan`) and applies nothing. A failed action skips only its dependents; the result lists each outcome.
 * @example
 * const p = await plan(stack);
 * const result = await apply(stack, p, { signal: AbortSignal.timeout(600_000), onEvent: (e) => log(e) });
 * if (!result.ok) for (const f of result.failed) console.error(f.action.id, f.error.code, f.error.message);
 */
export async function apply(stack: Stack, plan: Plan, control: RunControl = {}): Promise<ApplyResult> {
  return withProjectLock(stack, control, 'apply', async () => {
    // Only the GPU services this plan creates, recreates or starts: a plan for other services needs no GPU.
    await gpuPreflightOfActions(stack, plan.actions);
    const observed = await stack.observe();
    if (observedFingerprint(observed) !== plan.observedFingerprint) {
      throw new StalePlanError(
        `the live state of project ${stack.project.name} changed since this plan was made; nothing was applied. Make a new plan and review it.`,
      );
    }
    if (!plan.actions.length) return nothingDone();
    return execute(stack, plan, control);
  });
}
