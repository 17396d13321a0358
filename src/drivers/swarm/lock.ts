// The project lock on a Swarm, kept on the cluster itself so two operators or CI jobs deploying one stack from any
// machines never apply it at once. It is a Swarm config `surge-lock.<project>`:
//   - creating it is atomic by name (a second create gets 409): whoever creates it holds the lock;
//   - its labels carry the owner (token, pid, host, boot and pid namespace, purpose, start, lease);
//   - the holder beats by updating the labels with the config's version index: the manager refuses a stale version
//     (500 "update out of sequence"), so a beat never overwrites another holder's lock, and each beat moves the
//     config's UpdatedAt on the manager's clock;
//   - a contender judges the lease on the manager's clock (/info SystemTime) against UpdatedAt; a lock whose holder is
//     on this machine and whose pid is gone is stale at once. A stale lock is removed by its id, never by name: a lock
//     created since has another id and stays.
import { readFileSync, readlinkSync } from 'node:fs';
import { CancelledError, LockTimeoutError, type LockHolder } from '../../model/errors.js';
import type { HeldLock, LockOwner, LockRequest } from '../driver.js';
import type { EngineApi } from '../docker/engine-api.js';
import { sleep, statusOf } from './util.js';

const PREFIX = 'surge.lock.';
export const DEFAULT_LEASE_MS = 30_000;

export interface ConfigInfo {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { Name: string; Labels?: Record<string, string> | null; Data?: string };
}

export interface LockOptions extends LockRequest {
  project: string;
  leaseMs?: number;
  pollMs?: number;
  /** this machine's identity for pids (tests give another) */
  hostId?: string;
  alive?: (pid: number) => boolean;
}

export function lockName(project: string): string {
  return `surge-lock.${project}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The boot id and pid namespace: a pid means something only to a process that shares both. */
export function localHostId(): string {
  try {
    return `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return '';
  }
}

function ownerLabels(owner: LockOwner, hostId: string, leaseMs: number, beat: number): Record<string, string> {
  return {
    [`${PREFIX}token`]: owner.token,
    [`${PREFIX}pid`]: String(owner.pid),
    [`${PREFIX}host`]: owner.host,
    [`${PREFIX}host-id`]: hostId,
    [`${PREFIX}purpose`]: owner.purpose,
    [`${PREFIX}started`]: new Date().toISOString(),
    [`${PREFIX}lease-ms`]: String(leaseMs),
    [`${PREFIX}beat`]: String(beat),
  };
}

export function describeHolder(labels: Record<string, string>, createdAt: string): LockHolder {
  const pid = Number(labels[`${PREFIX}pid`]);
  const host = labels[`${PREFIX}host`] ?? null;
  const purpose = labels[`${PREFIX}purpose`];
  const since = new Date(Date.parse(labels[`${PREFIX}started`] ?? '') || Date.parse(createdAt)).toTimeString().slice(0, 8);
  const who = Number.isInteger(pid) ? `pid ${pid}` : 'a surge process';
  return { description: `${who}${host ? ` on host ${host}` : ''}${purpose ? ` (${purpose})` : ''}, since ${since}`, pid: Number.isInteger(pid) ? pid : null, host };
}

/** Why the lock may be taken over (its holder is gone), or null while the holder may be at work. Pure. */
export function staleReason(config: ConfigInfo, nowMs: number, local: { host: string; hostId: string; alive: (pid: number) => boolean }): string | null {
  const labels = config.Spec.Labels ?? {};
  const pid = Number(labels[`${PREFIX}pid`]);
  const sameMachine = labels[`${PREFIX}host`] === local.host && Boolean(local.hostId) && labels[`${PREFIX}host-id`] === local.hostId;
  if (sameMachine && Number.isInteger(pid) && !local.alive(pid)) return `pid ${pid} is gone`;
  const lease = Number(labels[`${PREFIX}lease-ms`]) || DEFAULT_LEASE_MS;
  const age = nowMs - Date.parse(config.UpdatedAt);
  if (age > lease) return `no heartbeat for ${Math.round(age / 1000)} s`;
  return null;
}

async function managerNow(api: EngineApi): Promise<number> {
  const info = await api.get<{ SystemTime?: string }>('/info');
  return Date.parse(info.SystemTime ?? '') || Date.now();
}

async function readLock(api: EngineApi, name: string): Promise<ConfigInfo | null> {
  try {
    return await api.get<ConfigInfo>(`/configs/${encodeURIComponent(name)}`);
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

async function removeById(api: EngineApi, id: string): Promise<void> {
  await api.delete(`/configs/${encodeURIComponent(id)}`).catch((err: unknown) => {
    if (statusOf(err) !== 404) throw err;
  });
}

export async function acquireSwarmLock(api: EngineApi, options: LockOptions): Promise<HeldLock> {
  const name = lockName(options.project);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const local = { host: options.owner.host, hostId: options.hostId ?? localHostId(), alive: options.alive ?? pidAlive };
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError();
    try {
      const labels = ownerLabels(options.owner, local.hostId, leaseMs, 0);
      const created = await api.post<{ ID: string }>('/configs/create', {
        body: { Name: name, Labels: { 'surge.project': options.project, ...labels }, Data: Buffer.from(`${options.owner.token}\n`).toString('base64') },
      });
      return holdLock(api, created.ID, options.owner, leaseMs);
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const current = await readLock(api, name);
    if (!current) continue; // released between our create and our read
    if (staleReason(current, await managerNow(api), local) !== null) {
      await removeById(api, current.ID);
      continue;
    }
    const holder = describeHolder(current.Spec.Labels ?? {}, current.CreatedAt);
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new LockTimeoutError(
        `another surge (${holder.description}) is applying project "${options.project}" on this Swarm; gave up after ${Math.round(options.timeoutMs / 1000)} s. Try again when it is done, or raise --lock-timeout.`,
        holder,
      );
    }
    await sleep(Math.min(options.pollMs ?? 1000, left), options.signal ?? new AbortController().signal);
  }
}

/** The holder's side: a label update every lease/6, at the config's version, so the lease stays fresh. */
function holdLock(api: EngineApi, id: string, owner: LockOwner, leaseMs: number): HeldLock {
  let beat = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  const interval = Math.max(250, Math.floor(leaseMs / 6));
  const once = async (): Promise<void> => {
    const current = await api.get<ConfigInfo>(`/configs/${encodeURIComponent(id)}`).catch((err: unknown) => {
      if (statusOf(err) === 404) return null;
      throw err;
    });
    // Taken over (judged stale): this holder no longer holds it, and must not write.
    if (!current || current.Spec.Labels?.[`${PREFIX}token`] !== owner.token) {
      stopped = true;
      return;
    }
    beat += 1;
    const labels = { ...(current.Spec.Labels ?? {}), [`${PREFIX}beat`]: String(beat) };
    await api.post(`/configs/${encodeURIComponent(id)}/update`, { query: { version: current.Version.Index }, body: { ...current.Spec, Labels: labels } });
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = once()
        .catch(() => undefined) // the manager away for a moment, or a beat out of sequence: the next one tries again
        .finally(schedule);
    }, interval);
    timer.unref();
  };
  schedule();
  let released: Promise<void> | null = null;
  return {
    release(): Promise<void> {
      released ??= (async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await inFlight;
        await removeById(api, id);
      })();
      return released;
    },
  };
}
