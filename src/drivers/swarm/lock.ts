// The project lock on a Swarm, kept on the cluster itself so two operators or CI jobs deploying one stack from any
// machines never apply it at once. The lease logic is the one the Docker driver's lock uses (../lease-lock.ts); this
// file is the cluster's side of it, with Swarm configs as the objects:
// - The lock is a config named `surge-lock.<project>`: a name is unique in the cluster's store and its creation
//   atomic (a second create gets 409, whichever manager it reaches). Removal is by config id, which the cluster never
//   reuses: removing a lock judged stale cannot remove one created since. Its labels say who holds it.
// - Heartbeats are configs too (`surge-lock.<project>.<token>.<n>`): the manager stamps their creation (CreatedAt) on
//   its own clock, and "now" is the Date of its answers, so a lease is judged on one clock, whatever the clocks of
//   the machines running surge say. A config's labels can also be updated in place at its version index (a stale
//   version is refused, "update out of sequence"), but a new object per beat needs no read-modify-write and is what
//   the shared lease logic expects.
// - During an apply, `docker config ls` shows the lock and one heartbeat; both go when the apply ends. After a crash
//   they stay until the next surge on that project takes the lock over (at once when the holder was on the same
//   machine, else after the lease, 30 s by default).
import { EngineError, errorMessage } from '../../model/errors.js';
import type { HeldLock, LockRequest } from '../driver.js';
import { EngineApiError, type Dated, type EngineApi } from '../docker/engine-api.js';
import { acquireLeaseLock, ownerLabels, parseOwnerLabels, type HeartbeatObject, type LeaseOwner, type LeaseState, type LeaseStore, type LocalHost } from '../lease-lock.js';

const PREFIX = 'surge.lock.';
const LABEL = { project: `${PREFIX}project`, role: `${PREFIX}role`, token: `${PREFIX}token`, seq: `${PREFIX}seq` } as const;

export function lockConfigName(project: string): string {
  return `surge-lock.${project}`;
}

/** The few manager calls the lock makes (a fake manager in the unit tests). */
export type LockManager = Pick<EngineApi, 'request' | 'requestDated' | 'address'>;

interface ConfigInfo {
  ID: string;
  CreatedAt: string;
  Spec: { Name: string; Labels?: Record<string, string> | null };
}

function status(err: unknown): number | null {
  return err instanceof EngineApiError ? err.statusCode : null;
}

async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
}

/** The manager's clock: the latest Date among its answers; this machine's clock only if it sent none. */
function managerNow(answers: (Dated<unknown> | null)[]): number {
  const dates = answers.map((a) => a?.date ?? null).filter((d): d is number => d !== null);
  return dates.length ? Math.max(...dates) : Date.now();
}

export class SwarmLockStore implements LeaseStore {
  readonly name: string;

  constructor(
    private readonly api: LockManager,
    private readonly project: string,
  ) {
    this.name = lockConfigName(project);
  }

  private fail(what: string, err: unknown): EngineError {
    return new EngineError(`cannot ${what} project ${this.project}'s lock on the Swarm at ${this.api.address}: ${errorMessage(err)}`, 'engine', { cause: err });
  }

  private data(text: string): string {
    return Buffer.from(text).toString('base64');
  }

  async createLock(owner: LeaseOwner): Promise<string | null> {
    try {
      const created = await this.api.request<{ ID: string }>('POST', '/configs/create', {
        body: { Name: this.name, Labels: { [LABEL.project]: this.project, [LABEL.role]: 'lock', ...ownerLabels(PREFIX, owner) }, Data: this.data(`${owner.token}\n`) },
      });
      return created.ID;
    } catch (err) {
      if (status(err) === 409) return null;
      throw this.fail('take', err);
    }
  }

  async read(): Promise<LeaseState> {
    const filters = { label: [`${LABEL.project}=${this.project}`, `${LABEL.role}=heartbeat`] };
    const [lock, beats] = await Promise.all([
      this.api.requestDated<ConfigInfo>('GET', `/configs/${encodeURIComponent(this.name)}`).catch((err: unknown) => {
        if (status(err) === 404) return null;
        throw this.fail('read', err);
      }),
      this.api.requestDated<ConfigInfo[]>('GET', '/configs', { query: { filters } }).catch((err: unknown) => {
        throw this.fail('read', err);
      }),
    ]);
    const nowMs = managerNow([lock, beats]);
    const heartbeats: HeartbeatObject[] = [];
    for (const c of beats.body) {
      const token = c.Spec.Labels?.[LABEL.token];
      const createdMs = Date.parse(c.CreatedAt);
      if (token && Number.isFinite(createdMs)) heartbeats.push({ id: c.ID, token, createdMs });
    }
    if (!lock) return { lock: null, heartbeats, nowMs };
    const labels = lock.body.Spec.Labels ?? {};
    if (labels[LABEL.role] !== 'lock' || labels[LABEL.project] !== this.project) {
      throw new EngineError(`a config named ${this.name} that surge did not create holds the name of project ${this.project}'s lock on the Swarm at ${this.api.address}: remove it`);
    }
    const created = Date.parse(lock.body.CreatedAt);
    return { lock: { id: lock.body.ID, createdMs: Number.isFinite(created) ? created : nowMs, owner: parseOwnerLabels(PREFIX, labels) }, heartbeats, nowMs };
  }

  async beat(token: string, seq: number): Promise<string> {
    const Labels = { [LABEL.project]: this.project, [LABEL.role]: 'heartbeat', [LABEL.token]: token, [LABEL.seq]: String(seq) };
    const created = await this.api.request<{ ID: string }>('POST', '/configs/create', { body: { Name: `${this.name}.${token}.${seq}`, Labels, Data: this.data(`${seq}\n`) } });
    return created.ID;
  }

  removeLock(id: string): Promise<void> {
    return ignoreGone(this.api.request('DELETE', `/configs/${encodeURIComponent(id)}`));
  }

  removeBeat(id: string): Promise<void> {
    return ignoreGone(this.api.request('DELETE', `/configs/${encodeURIComponent(id)}`));
  }
}

export interface SwarmLockOptions extends LockRequest {
  project: string;
  leaseMs?: number;
  pollMs?: number;
  local?: LocalHost;
}

/** Waits for the project's lock on the Swarm (taking over a stale one) and holds it until released. */
export function acquireSwarmLock(api: LockManager, options: SwarmLockOptions): Promise<HeldLock> {
  return acquireLeaseLock(new SwarmLockStore(api, options.project), options);
}
