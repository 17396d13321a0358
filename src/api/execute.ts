// Runs a plan through the executor with the stack's drivers and the caller's control.
import { executePlan, type ExecuteResult } from '../engine/executor.js';
import type { Project } from '../model/model.js';
import type { Plan } from '../model/plan-types.js';
import { DEFAULT_PARALLEL, emitter, signalsOf, type RunControl } from './control.js';
import type { Stack } from './stack.js';

export type { ExecuteResult };

/** `project`: the model the actions refer to (scale runs a copy of the stack's with other replica counts). */
export function execute(stack: Stack, plan: Plan, control: RunControl, project: Project = stack.project): Promise<ExecuteResult> {
  const { stop, abort } = signalsOf(control);
  const emit = emitter(control);
  return executePlan(plan, { project, drivers: stack.driver, parallel: control.parallel ?? DEFAULT_PARALLEL, stopScheduling: stop, abort, onEvent: emit });
}

/** The result of a plan with nothing to do. */
export function nothingDone(): ExecuteResult {
  return { ok: true, cancelled: false, done: [], failed: [], skipped: [], notStarted: [], durationMs: 0 };
}
