// depends_on conditions on a Docker engine, read from the list API (health is in the status text).
import { CancelledError, UserError } from '../../model/errors.js';
import type { DependencyCondition, Project } from '../../model/model.js';
import type { ActionContext } from '../driver.js';
import { LABEL } from '../../model/naming.js';
import type { EngineApi } from './engine-api.js';
import { listProjectContainers, toObservedContainer } from './observe.js';

const POLL_MS = 250;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export async function waitForService(api: EngineApi, project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
  const s = project.services[service];
  if (condition === 'service_healthy' && (!s?.healthcheck || s.healthcheck.test[0] === 'NONE')) {
    throw new UserError(`service ${service} has no healthcheck, so service_healthy can never be met`, 'wait-failed');
  }
  const what = condition === 'service_healthy' ? 'be healthy' : condition === 'service_started' ? 'start' : 'complete';
  let told = false;
  for (;;) {
    const list = await listProjectContainers(api, [`${LABEL.project}=${project.name}`, `${LABEL.service}=${service}`]);
    // A replacement's unfinished new container is not the service (it never starts under that name).
    const mine = list.map(toObservedContainer).filter((c) => !c.oneoff && !c.pendingReplacement);
    if (mine.length) {
      if (condition === 'service_started' && mine.every((c) => c.state !== 'created')) return;
      if (condition === 'service_healthy') {
        const sick = mine.find((c) => c.health === 'unhealthy');
        if (sick) throw new UserError(`service ${service} is unhealthy`, 'wait-failed');
        const dead = mine.find((c) => c.state === 'exited' || c.state === 'dead');
        if (dead) throw new UserError(`service ${service} exited with code ${dead.exitCode ?? '?'} before becoming healthy`, 'wait-failed');
        if (mine.every((c) => c.health === 'healthy')) return;
      }
      if (condition === 'service_completed_successfully' && mine.every((c) => c.state === 'exited' || c.state === 'dead')) {
        const bad = mine.find((c) => c.exitCode !== 0);
        if (bad) throw new UserError(`service ${service} exited with code ${bad.exitCode ?? '?'}`, 'wait-failed');
        return;
      }
    }
    if (!told) {
      told = true;
      ctx.log(`waiting for ${service} to ${what}`);
    }
    await sleep(POLL_MS, ctx.signal);
  }
}
