// The project lock of the Docker driver, kept on the engine itself — where the state lives — so two surge processes
// never apply one project at once, whatever machine they run on, whatever their temp folder, and however they spell
// the engine's address (DOCKER_HOST=unix:///run/docker.sock and unset are one engine, hence one lock).
//
// Design (the lease logic is ../lease-lock.ts; this file is the engine's side of it):
// - The lock is a container named `surge.lock.<project>`, created and never started. A name is unique on an engine and
//   its creation atomic: a second create is refused (Docker answers 409; Podman 500 "that name is already in use").
//   No surge container can take that name (theirs start with the project name, which has no dot). Removal is by
//   container id, which the engine never reuses: removing a lock judged stale cannot remove one created since.
// - Its labels say who holds it (`surge.lock.token`, `.pid`, `.host`, `.host-id`, `.purpose`, `.started`,
//   `.lease-ms`) for the "waiting for pid 1234 on host ci-7 (up), since 12:03:04" message and for the staleness rules.
// - A container needs an image: `localhost/surge-lock:1`, an empty image (no files, 0 bytes; label surge.lock.role=
//   image) imported once per engine from a 1 KiB empty tar (POST /images/create?fromSrc=-, about 0.15 s), when the
//   first create says the image is missing. No registry is involved; both engines keep the name as written.
// - Heartbeats are volumes (`surge.lock.<project>.<token>.<n>`, labels surge.lock.*): the engine stamps their
//   creation (CreatedAt) on its own clock, and creating/removing one costs a few ms — a container costs ~0.1 s and
//   writes a filesystem layer. The engine's clock "now" is the Date header of its answer, so the lease is judged on
//   one clock. Heartbeat names hold the holder's random token: removing one by name removes exactly that one.
// - During an apply, `docker ps -a` shows the lock container (state Created) and `docker volume ls` one heartbeat
//   volume; both go when the apply ends. After a crash they stay until the next surge on that project takes the lock
//   over (at once when the holder was on the same machine, else after the lease — 30 s by default, SURGE_LOCK_LEASE —
//   and two more heartbeat intervals).
import { EngineError, errorMessage } from '../../model/errors.js';
import type { HeldLock, LockRequest } from '../driver.js';
import { acquireLeaseLock, ownerLabels, parseOwnerLabels, type HeartbeatObject, type LeaseOwner, type LeaseState, type LeaseStore, type LocalHost } from '../lease-lock.js';
import { EngineApiError, type Dated, type EngineApi } from './engine-api.js';

export const LOCK_IMAGE = 'localhost/surge-lock:1';
const PREFIX = 'surge.lock.';
const LABEL = { project: `${PREFIX}project`, role: `${PREFIX}role`, token: `${PREFIX}token`, seq: `${PREFIX}seq` } as const;
/** an empty tar: two zero blocks */
const EMPTY_TAR = Buffer.alloc(1024);

export function lockContainerName(project: string): string {
  return `surge.lock.${project}`;
}

/** The few engine calls the lock makes (a fake engine in the unit tests). */
export type LockEngine = Pick<EngineApi, 'request' | 'requestDated' | 'address'>;

interface LockInspect {
  Id: string;
  Created: string;
  Config?: { Labels?: Record<string, string> | null } | null;
}

interface HeartbeatVolume {
  Name: string;
  CreatedAt?: string;
  Labels: Record<string, string> | null;
}

function status(err: unknown): number | null {
  return err instanceof EngineApiError ? err.statusCode : null;
}

/** Docker: 409. Podman: 500 "…that name is already in use". */
function nameTaken(err: unknown): boolean {
  return status(err) === 409 || (err instanceof EngineApiError && /already in use/i.test(err.reason));
}

function imageMissing(err: unknown): boolean {
  return status(err) === 404 && err instanceof EngineApiError && /image/i.test(err.reason);
}

async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
}

export class EngineLockStore implements LeaseStore {
  readonly name: string;

  constructor(
    private readonly api: LockEngine,
    private readonly project: string,
  ) {
    this.name = lockContainerName(project);
  }

  private fail(what: string, err: unknown): EngineError {
    return new EngineError(`cannot ${what} project ${this.project}'s lock on the engine at ${this.api.address}: ${errorMessage(err)}`, 'engine', { cause: err });
  }

  async createLock(owner: LeaseOwner): Promise<string | null> {
    const body = {
      Image: LOCK_IMAGE,
      Cmd: ['/surge-lock'], // never started: the image has no files
      Labels: { [LABEL.project]: this.project, [LABEL.role]: 'lock', ...ownerLabels(PREFIX, owner) },
      HostConfig: { NetworkMode: 'none' },
    };
    const create = (): Promise<{ Id: string }> => this.api.request<{ Id: string }>('POST', '/containers/create', { query: { name: this.name }, body });
    try {
      return (await create()).Id;
    } catch (err) {
      if (nameTaken(err)) return null;
      if (!imageMissing(err)) throw this.fail('take', err);
    }
    await this.importImage();
    try {
      return (await create()).Id;
    } catch (err) {
      if (nameTaken(err)) return null;
      throw this.fail('take', err);
    }
  }

  private async importImage(): Promise<void> {
    try {
      await this.api.request('POST', '/images/create', {
        query: { fromSrc: '-', repo: LOCK_IMAGE, changes: `LABEL ${LABEL.role}=image` },
        raw: { data: EMPTY_TAR, contentType: 'application/x-tar' },
      });
    } catch (err) {
      throw this.fail(`import the image ${LOCK_IMAGE} for`, err);
    }
  }

  async read(): Promise<LeaseState> {
    const filters = { label: [`${LABEL.project}=${this.project}`, `${LABEL.role}=heartbeat`] };
    const [lock, volumes] = await Promise.all([
      this.api.requestDated<LockInspect>('GET', `/containers/${encodeURIComponent(this.name)}/json`).catch((err: unknown) => {
        if (status(err) === 404) return null;
        throw this.fail('read', err);
      }),
      this.api.requestDated<{ Volumes: HeartbeatVolume[] | null }>('GET', '/volumes', { query: { filters } }).catch((err: unknown) => {
        throw this.fail('read', err);
      }),
    ]);
    const nowMs = engineNow([lock, volumes]);
    const heartbeats: HeartbeatObject[] = [];
    for (const v of volumes.body.Volumes ?? []) {
      const token = v.Labels?.[LABEL.token];
      const createdMs = Date.parse(v.CreatedAt ?? '');
      if (token && Number.isFinite(createdMs)) heartbeats.push({ id: v.Name, token, createdMs });
    }
    if (!lock) return { lock: null, heartbeats, nowMs };
    const labels = lock.body.Config?.Labels ?? {};
    if (labels[LABEL.role] !== 'lock' || labels[LABEL.project] !== this.project) {
      throw new EngineError(
        `a container named ${this.name} that surge did not create holds the name of project ${this.project}'s lock on the engine at ${this.api.address}: rename or remove it`,
      );
    }
    const created = Date.parse(lock.body.Created);
    return { lock: { id: lock.body.Id, createdMs: Number.isFinite(created) ? created : nowMs, owner: parseOwnerLabels(PREFIX, labels) }, heartbeats, nowMs };
  }

  async beat(token: string, seq: number): Promise<string> {
    const name = `${this.name}.${token}.${seq}`;
    const Labels = { [LABEL.project]: this.project, [LABEL.role]: 'heartbeat', [LABEL.token]: token, [LABEL.seq]: String(seq) };
    await this.api.request('POST', '/volumes/create', { body: { Name: name, Labels } });
    return name;
  }

  removeLock(id: string): Promise<void> {
    return ignoreGone(this.api.request('DELETE', `/containers/${encodeURIComponent(id)}`, { query: { force: true } }));
  }

  removeBeat(id: string): Promise<void> {
    return ignoreGone(this.api.request('DELETE', `/volumes/${encodeURIComponent(id)}`));
  }
}

/** The engine's clock: the latest Date among its answers; this machine's clock only if it sent none. */
function engineNow(answers: (Dated<unknown> | null)[]): number {
  const dates = answers.map((a) => a?.date ?? null).filter((d): d is number => d !== null);
  return dates.length ? Math.max(...dates) : Date.now();
}

export interface EngineLockOptions extends LockRequest {
  project: string;
  leaseMs?: number;
  pollMs?: number;
  local?: LocalHost;
}

/** Waits for the project's lock on the engine (taking over a stale one) and holds it until released. */
export function acquireEngineLock(api: LockEngine, options: EngineLockOptions): Promise<HeldLock> {
  return acquireLeaseLock(new EngineLockStore(api, options.project), options);
}
