import { readFileSync } from 'node:fs';
import { UserError } from '../../model/errors.js';
import { observedFingerprint } from '../../planner/plan.js';
import type { SavedPlan } from '../../model/plan-types.js';
import { exitCodeOf, interruptSignals, reportFailures, runPlan, withProjectLock, type ApplyArgs } from '../../api/apply.js';
import { Drivers, observeAll, type GlobalArgs } from '../../api/stack.js';
import { gpuPreflightFor, gpuServicesOfActions } from '../../api/preflight.js';
import { err } from '../output.js';

function readPlan(file: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read plan file ${file}`);
  }
  let saved: SavedPlan;
  try {
    saved = JSON.parse(text) as SavedPlan;
  } catch {
    throw new UserError(`${file} is not a surge plan (not JSON)`);
  }
  if (saved?.format !== 'surge-plan/1' || !saved.plan || !saved.model) {
    throw new UserError(`${file} is not a surge plan (expected format "surge-plan/1"; make one with \`surge plan -o ${file}\`)`);
  }
  return saved;
}

export async function run(args: GlobalArgs & ApplyArgs & { planfile?: string }): Promise<number> {
  if (!args.planfile) {
    const up = await import('./up.js');
    return up.run({ ...args, pull: 'missing' });
  }
  const saved = readPlan(args.planfile);
  const project = saved.model;
  const drivers = new Drivers(project);
  try {
    return await withProjectLock(project, args, async () => {
      // Only the GPU services this plan creates, recreates or starts: a plan for other services needs no GPU.
      await gpuPreflightFor(project, drivers, gpuServicesOfActions(project, saved.plan.actions));
      const observed = await observeAll(project, drivers);
      if (observedFingerprint(observed) !== saved.plan.observedFingerprint) {
        throw new UserError(
          `the live state of project ${project.name} changed since this plan was made (${saved.createdAt}); ` +
            'nothing was applied. Make a new plan with `surge plan -o FILE` and review it.',
        );
      }
      if (!saved.plan.actions.length) {
        err('The plan has no changes; nothing to do.');
        return 0;
      }
      const signals = interruptSignals();
      try {
        const result = await runPlan(saved.plan, project, drivers, args, { signals });
        reportFailures(result);
        return exitCodeOf(result, signals.interrupted());
      } finally {
        signals.dispose();
      }
    });
  } finally {
    await drivers.close();
  }
}
