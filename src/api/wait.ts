// `up --wait`: every selected service running, and healthy where it has a healthcheck; a one-shot job that finished
// successfully counts as done (the planner's one rule: isFinishedOneShot).
import { setMaxListeners } from 'node:events';
import { CancelledError, UserError, errorMessage } from '../model/errors.js';
import type { Driver } from '../drivers/driver.js';
import type { Project } from '../model/model.js';
import { isAwaitedToComplete, isFinishedOneShot } from '../planner/plan.js';
import type { OnEvent } from './events.js';
import type { Stack } from './stack.js';

/** How long `--wait` watches a service without a healthcheck after it started, to catch one that dies at once. */
const SETTLE_MS = 300;

/**
 * A started service is not "up" if it already ended badly: a replica that exited (or keeps restarting) fails the
 * wait, as with compose, unless it is a one-shot job that finished successfully.
 */
async function checkStillUp(project: Project, driver: Driver, name: string): Promise<void> {
  const s = project.services[name];
  if (!s) return;
  const { containers } = await driver.observe(project);
  for (const c of containers.filter((x) => x.service === name && !x.oneoff)) {
    if (c.state === 'restarting') throw new UserError(`--wait: ${name} keeps restarting`, 'wait-failed');
    const ended = c.state === 'exited' || c.state === 'dead';
    if (ended && !isFinishedOneShot(c, s, project)) {
      const hint = c.exitCode === 0 && !isAwaitedToComplete(project, name) ? ' (a one-shot job counts as done only when another service depends on it with service_completed_successfully)' : '';
      throw new UserError(`--wait: ${name} exited${c.exitCode === null ? '' : ` with code ${c.exitCode}`}${hint}; see \`surge logs ${name}\``, 'wait-failed');
    }
  }
}

/**
 * Resolves when every service is up; rejects with a `wait-failed` error naming the first that is not (or did not
 * become so within `timeoutSeconds`), or a CancelledError when `signal` aborts.
 */
export async function waitForServices(stack: Stack, services: string[], timeoutSeconds: number, signal: AbortSignal, onEvent: OnEvent): Promise<void> {
  const project = stack.project;
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const any = AbortSignal.any([timeout, signal]);
  setMaxListeners(0, any); // one wait per service listens to it
  onEvent({ type: 'wait-start', services });
  await Promise.all(
    services.map(async (name) => {
      const s = project.services[name];
      if (!s || s.replicas === 0) return;
      const oneShot = isAwaitedToComplete(project, name);
      const condition = oneShot ? 'service_completed_successfully' : s.healthcheck && s.healthcheck.test[0] !== 'NONE' ? 'service_healthy' : 'service_started';
      const driver = await stack.driver(s.driver);
      try {
        await driver.waitFor(project, name, condition, { signal: any, log: () => {} });
        if (condition === 'service_started') {
          await new Promise((r) => setTimeout(r, SETTLE_MS));
          await checkStillUp(project, driver, name);
        }
        onEvent({ type: 'wait-ready', service: name, condition: condition === 'service_healthy' ? 'healthy' : condition === 'service_started' ? 'running' : 'completed' });
      } catch (e) {
        if (e instanceof CancelledError && timeout.aborted && !signal.aborted) {
          const what = condition === 'service_healthy' ? 'healthy' : condition === 'service_started' ? 'running' : 'completed';
          throw new UserError(`--wait: ${name} was not ${what} after ${timeoutSeconds} s`, 'wait-failed');
        }
        if (e instanceof CancelledError) throw e;
        throw e instanceof UserError ? e : new UserError(`--wait: ${name}: ${errorMessage(e)}`, 'wait-failed');
      }
    }),
  );
}
