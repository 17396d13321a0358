// depends_on conditions on a Docker engine, read from the list API (Docker puts health in the status text); Podman
// leaves health out of that text, so a running container without it is inspected. A health wait is bounded: a
// container still "starting" with no check ever logged, long past its start period and check schedule, fails with
// the likely cause (the engine runs no healthchecks: Podman needs systemd for them) instead of waiting forever.
import { UserError } from '../../model/errors.js';
import type { DependencyCondition, Project } from '../../model/model.js';
import type { HealthState, ObservedContainer } from '../../model/observed.js';
import type { ActionContext } from '../driver.js';
import { LABEL } from '../../model/naming.js';
import type { EngineApi } from './engine-api.js';
import { listProjectContainers, toObservedContainer } from './observe.js';
import { sleep } from '../../model/sleep.js';

const POLL_MS = 250;
/** Docker's defaults for a healthcheck field left at 0 */
const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
/** time for the engine to write a check's result once it ran */
const SLACK_MS = 1000;

/** The parts of a container's inspect the health wait reads (durations in ns, 0 for the engine's default). */
export interface HealthInspect {
  State?: { Health?: { Status?: string; Log?: unknown[] | null } | null } | null;
  Config?: { Healthcheck?: { Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null } | null;
}

/**
 * How long a container may stay "starting" with no check logged before the engine is deemed not to run its checks:
 * past its start period, and past both `retries` intervals and the first check's interval plus timeout (90 s with
 * Docker's defaults).
 */
export function noCheckLimitMs(inspect: HealthInspect): number {
  const hc = inspect.Config?.Healthcheck ?? {};
  const ms = (ns: number | undefined, fallback: number): number => (ns && ns > 0 ? ns / 1e6 : fallback);
  const interval = ms(hc.Interval, DEFAULT_INTERVAL_MS);
  const timeout = ms(hc.Timeout, DEFAULT_TIMEOUT_MS);
  const startPeriod = ms(hc.StartPeriod, 0);
  const retries = hc.Retries && hc.Retries > 0 ? hc.Retries : DEFAULT_RETRIES;
  return startPeriod + Math.max(interval * retries, interval + timeout + SLACK_MS);
}

function healthOf(inspect: HealthInspect): HealthState | null {
  const s = inspect.State?.Health?.Status;
  return s === 'healthy' || s === 'unhealthy' || s === 'starting' ? s : null;
}

/** Follows the health of one service's containers across polls: when each was first seen starting, what inspect said. */
export class HealthWatch {
  private readonly firstStarting = new Map<string, number>();
  /** per container: its noCheckLimitMs (its healthcheck config does not change) */
  private readonly limits = new Map<string, number>();
  /** containers whose engine has logged a check: it runs them, so it will decide */
  private readonly checked = new Set<string>();

  constructor(
    private readonly api: Pick<EngineApi, 'get'>,
    private readonly service: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The container's health, inspecting it when the list does not say; throws when its checks never run. */
  async health(c: ObservedContainer): Promise<HealthState | null> {
    let inspect: HealthInspect | null = null;
    const look = async (): Promise<HealthInspect> => (inspect ??= await this.api.get<HealthInspect>(`/containers/${encodeURIComponent(c.id)}/json`));
    let health = c.health;
    if (health === null && c.state === 'running') health = healthOf(await look());
    if (health !== 'starting' || this.checked.has(c.id)) return health;
    const now = this.now();
    const since = this.firstStarting.get(c.id) ?? now;
    this.firstStarting.set(c.id, since);
    let limit = this.limits.get(c.id);
    if (limit === undefined) {
      limit = noCheckLimitMs(await look());
      this.limits.set(c.id, limit);
    }
    if (now - since < limit) return health;
    if (((await look()).State?.Health?.Log ?? []).length > 0) {
      this.checked.add(c.id);
      return health;
    }
    throw new UserError(
      `service ${this.service}: no healthcheck has run in ${Math.round(limit / 1000)} s: the engine does not run healthchecks ` +
        '— Podman needs systemd for them — or the check cannot start',
      'wait-failed',
    );
  }
}

export async function waitForService(api: EngineApi, project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
  const s = project.services[service];
  if (condition === 'service_healthy' && (!s?.healthcheck || s.healthcheck.test[0] === 'NONE')) {
    throw new UserError(`service ${service} has no healthcheck, so service_healthy can never be met`, 'wait-failed');
  }
  const what = condition === 'service_healthy' ? 'be healthy' : condition === 'service_started' ? 'start' : 'complete';
  const watch = new HealthWatch(api, service);
  let told = false;
  for (;;) {
    const list = await listProjectContainers(api, [`${LABEL.project}=${project.name}`, `${LABEL.service}=${service}`]);
    // A replacement's unfinished new container is not the service (it never starts under that name).
    const mine = list.map(toObservedContainer).filter((c) => !c.oneoff && !c.pendingReplacement);
    if (mine.length) {
      if (condition === 'service_started' && mine.every((c) => c.state !== 'created')) return;
      if (condition === 'service_healthy') {
        const dead = mine.find((c) => c.state === 'exited' || c.state === 'dead');
        if (dead) throw new UserError(`service ${service} exited with code ${dead.exitCode ?? '?'} before becoming healthy`, 'wait-failed');
        const health = await Promise.all(mine.map((c) => watch.health(c)));
        if (health.includes('unhealthy')) throw new UserError(`service ${service} is unhealthy`, 'wait-failed');
        if (health.every((h) => h === 'healthy')) return;
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
