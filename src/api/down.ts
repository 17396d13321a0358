// `down`: remove the stack — containers and processes (dependents first), then networks; named volumes only when
// asked (data is sacred), images when asked.
import type { Plan } from '../model/plan-types.js';
import { planDown, type DownOptions as PlanDownOptions } from '../planner/plan.js';
import { emitter, type RunControl } from './control.js';
import { execute, nothingDone, type ExecuteResult } from './execute.js';
import { withProjectLock } from './lock.js';
import type { Stack } from './stack.js';

/**
 * What `down` removes besides containers and networks, and how (volumes, orphans, images, stop timeout), plus the run
 * control.
 */
export interface DownOptions extends PlanDownOptions, RunControl {
  /**
   * The project has no Boltfile (`surge -p NAME down`): take away everything labelled with it, on every driver,
   * orphans included.
   */
  everything?: boolean;
}

/** What `down` did: the plan it carried out and each action's outcome. */
export interface DownResult extends ExecuteResult {
  plan: Plan;
}

/**
 * Takes the stack down under the project lock.
 * @example
 * await down(stack, { removeVolumes: false, removeOrphans: true });
 */
export async function down(stack: Stack, options: DownOptions = {}): Promise<DownResult> {
  const kinds = options.everything ? (['docker', 'process'] as const) : undefined;
  return withProjectLock(
    stack,
    options,
    'down',
    async () => {
      const observed = await stack.observe(kinds);
      const plan = planDown(stack.project, observed, { ...options, removeOrphans: options.everything || (options.removeOrphans ?? false) });
      const emit = emitter(options);
      for (const message of plan.notices) emit({ type: 'notice', message });
      const result = plan.actions.length ? await execute(stack, plan, options) : nothingDone();
      return { ...result, plan };
    },
    kinds,
  );
}
