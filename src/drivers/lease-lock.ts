// A project lock kept as objects on a store every surge process reaches (a container engine; a Swarm cluster's
// configs next), so two surge processes on any machines never apply one project at once. The store gives:
//   - an atomic create of the lock object under a fixed name (a second create fails),
//   - removal by an exact handle that is never reused (an id), so removing a lock judged stale can never remove a
//     fresh one another contender created since: that one has another id,
//   - times on its own clock (when each object was created, and "now" when it answers), so a lease is judged on one
//     clock whatever the clocks of the machines running surge say.
// The lock object carries its owner (token, pid, host, purpose, started-at, lease). While it holds the lock, the
// holder beats: every lease/6 it creates a heartbeat object (the store stamps its time) and removes its previous one.
// A contender finds the lock stale when its holder is on this machine and its pid is gone (at once), or when the last
// heartbeat (or the lock's creation) is older than the holder's lease on the store's clock, for two beat intervals
// (a heartbeat removed by hand is replaced by then); it then removes the lock by id, removes that holder's
// heartbeats, and tries to create the lock again. The holder's lease is written on the
// lock, so contenders with other settings judge it by the holder's own promise.
import { readFileSync, readlinkSync } from 'node:fs';
import { CancelledError, LockTimeoutError, type LockHolder } from '../model/errors.js';
import type { HeldLock, LockOwner, LockRequest } from './driver.js';
import { sleep } from '../model/sleep.js';

export const DEFAULT_LEASE_MS = 30_000;
export const MIN_LEASE_MS = 3_000;
export const MAX_LEASE_MS = 3_600_000;

/** What the lock object says of its holder. */
export interface LeaseOwner extends LockOwner {
  /**
   * The holder's boot and pid namespace: its pid means something only to a process that shares both (a container
   * with the host's hostname has its own pids). Empty where the system does not say.
   */
  hostId: string;
  /** when it asked for the lock, ISO 8601 on its own clock (for messages only) */
  startedAt: string;
  /** how long the lock stands without a heartbeat */
  leaseMs: number;
}

export interface LockObject {
  id: string;
  /** on the store's clock, unix ms */
  createdMs: number;
  /** what its labels say; what is missing or unreadable is absent */
  owner: Partial<LeaseOwner>;
}

export interface HeartbeatObject {
  id: string;
  createdMs: number;
  token: string;
}

export interface LeaseState {
  lock: LockObject | null;
  heartbeats: HeartbeatObject[];
  /** the store's clock when it answered, unix ms */
  nowMs: number;
}

export interface LeaseStore {
  /** Creates the lock object atomically: its id, or null when a lock object exists. */
  createLock(owner: LeaseOwner): Promise<string | null>;
  read(): Promise<LeaseState>;
  /** Creates a heartbeat of `token` (the store stamps its time); its id. */
  beat(token: string, seq: number): Promise<string>;
  /** Removal by exact id; an object already gone is fine. */
  removeLock(id: string): Promise<void>;
  removeBeat(id: string): Promise<void>;
}

/** This machine, as far as a pid goes. */
export interface LocalHost {
  host: string;
  hostId: string;
  alive(pid: number): boolean;
}

export interface LeaseLockOptions extends LockRequest {
  project: string;
  /** this holder's lease (default 30 s, kept within 3 s – 1 h) */
  leaseMs?: number;
  pollMs?: number;
  /** this machine (tests give another) */
  local?: LocalHost;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The boot id and pid namespace of this process ("" where /proc does not say). */
export function localHostId(): string {
  try {
    return `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return '';
  }
}

export function clampLease(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_LEASE_MS;
  return Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, Math.round(ms)));
}

/** "pid 1234 on host ci-7 (up), since 12:03:04" (the time in this machine's zone). */
export function describeHolder(lock: LockObject): LockHolder {
  const o = lock.owner;
  const started = Date.parse(o.startedAt ?? '');
  const since = new Date(Number.isFinite(started) ? started : lock.createdMs).toTimeString().slice(0, 8);
  const who = o.pid !== undefined ? `pid ${o.pid}` : 'a surge process';
  const where = o.host ? ` on host ${o.host}` : '';
  const what = o.purpose ? ` (${o.purpose})` : '';
  return { description: `${who}${where}${what}, since ${since}`, pid: o.pid ?? null, host: o.host ?? null };
}

/** How often a holder with this lease beats. */
export function beatIntervalMs(leaseMs: number): number {
  return Math.max(250, Math.floor(leaseMs / 6));
}

/** Why `state`'s lock may be taken over: its holder is gone (`gone`), or it stopped beating (`lease`); null if neither. */
export function staleReason(state: LeaseState, local: LocalHost): { kind: 'gone' | 'lease'; reason: string } | null {
  const lock = state.lock;
  if (!lock) return null;
  const o = lock.owner;
  const sameMachine = o.host === local.host && Boolean(o.hostId) && o.hostId === local.hostId;
  if (sameMachine && o.pid !== undefined && !local.alive(o.pid)) return { kind: 'gone', reason: `pid ${o.pid} on host ${o.host} is gone` };
  const beats = state.heartbeats.filter((b) => o.token !== undefined && b.token === o.token).map((b) => b.createdMs);
  const last = Math.max(lock.createdMs, ...beats);
  const lease = clampLease(o.leaseMs);
  const age = state.nowMs - last;
  if (age > lease) return { kind: 'lease', reason: `no heartbeat for ${Math.round(age / 1000)} s (its lease is ${Math.round(lease / 1000)} s)` };
  return null;
}

/** Removes a stale lock by its id, then its holder's heartbeats: a lock created since has another id and stays. */
async function takeOver(store: LeaseStore, state: LeaseState): Promise<void> {
  const lock = state.lock;
  if (!lock) return;
  await store.removeLock(lock.id);
  await Promise.all(state.heartbeats.filter((b) => b.token === lock.owner.token).map((b) => store.removeBeat(b.id)));
}

/** Waits for the lock (taking over a stale one), then holds it, beating, until released. */
export async function acquireLeaseLock(store: LeaseStore, options: LeaseLockOptions): Promise<HeldLock> {
  const local = options.local ?? { host: options.owner.host, hostId: localHostId(), alive: pidAlive };
  const owner: LeaseOwner = { ...options.owner, hostId: local.hostId, startedAt: new Date().toISOString(), leaseMs: clampLease(options.leaseMs) };
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 500;
  let told = false;
  let lockId: string | null = null;
  /** the lock last found stale by its lease, and since when (this machine's clock: a duration only) */
  let suspect: { id: string; since: number } | null = null;
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError();
    lockId = await store.createLock(owner);
    if (lockId !== null) break;
    const state = await store.read();
    if (!state.lock) {
      // Released between our create and our read: try again at once (a short pause keeps a flapping lock cheap).
      await sleep(20, options.signal);
      continue;
    }
    const stale = staleReason(state, local);
    if (stale?.kind === 'gone') {
      await takeOver(store, state);
      continue;
    }
    if (stale?.kind === 'lease') {
      // A heartbeat removed by hand (a `docker volume prune`) looks like a silent holder until its next beat: the
      // lock must look stale for two beat intervals before it is taken over.
      const since: number = suspect?.id === state.lock.id ? suspect.since : Date.now();
      suspect = { id: state.lock.id, since };
      if (Date.now() - since >= 2 * beatIntervalMs(clampLease(state.lock.owner.leaseMs))) {
        await takeOver(store, state);
        continue;
      }
    } else suspect = null;
    const holder = describeHolder(state.lock);
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new LockTimeoutError(
        `another surge (${holder.description}) is applying project "${options.project}"; gave up after ${Math.round(options.timeoutMs / 1000)} s. ` +
          'Try again when it is done, or raise --lock-timeout.',
        holder,
      );
    }
    await sleep(Math.min(pollMs, left), options.signal);
  }
  return holdLease(store, owner, lockId);
}

/**
 * The holder's side: a heartbeat every lease/6. Each beat also reads the store: heartbeats of holders that are gone
 * are cleared, and a lock object removed under us (a `docker container prune`) is created again when nobody else
 * took it meanwhile.
 */
function holdLease(store: LeaseStore, owner: LeaseOwner, firstLockId: string): HeldLock {
  let lockId: string | null = firstLockId;
  let seq = 0;
  let beats: string[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  const interval = beatIntervalMs(owner.leaseMs);

  const beat = async (): Promise<void> => {
    const id = await store.beat(owner.token, ++seq);
    beats.push(id);
    const state = await store.read();
    if (state.lock === null) lockId = await store.createLock(owner);
    else if (state.lock.owner.token !== owner.token) lockId = null; // taken over: we were judged stale
    // While the lock is ours, any other holder's heartbeats are left by a holder that is gone.
    const strangers = lockId !== null ? state.heartbeats.filter((b) => b.token !== owner.token).map((b) => b.id) : [];
    const old = lockId !== null ? beats.filter((b) => b !== id) : beats;
    await Promise.all([...old, ...strangers].map((b) => store.removeBeat(b)));
    beats = beats.filter((b) => !old.includes(b));
    if (lockId === null) stopped = true;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = beat()
        .catch(() => undefined) // the engine away for a moment: the next beat tries again
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
        if (lockId !== null) await store.removeLock(lockId);
        await Promise.all(beats.map((b) => store.removeBeat(b)));
        beats = [];
      })();
      return released;
    },
  };
}

/** The owner as labels under `prefix` (e.g. "surge.lock."), for stores whose objects carry string labels. */
export function ownerLabels(prefix: string, owner: LeaseOwner): Record<string, string> {
  return {
    [`${prefix}token`]: owner.token,
    [`${prefix}pid`]: String(owner.pid),
    [`${prefix}host`]: owner.host,
    [`${prefix}host-id`]: owner.hostId,
    [`${prefix}purpose`]: owner.purpose,
    [`${prefix}started`]: owner.startedAt,
    [`${prefix}lease-ms`]: String(owner.leaseMs),
  };
}

/** What `ownerLabels` wrote, as far as it reads: a label missing or malformed leaves its field out. */
export function parseOwnerLabels(prefix: string, labels: Record<string, string>): Partial<LeaseOwner> {
  const owner: Partial<LeaseOwner> = {};
  const text = (k: string): string | undefined => {
    const v = labels[`${prefix}${k}`];
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (k: string): number | undefined => {
    const v = text(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const token = text('token');
  const pid = int('pid');
  const host = text('host');
  const hostId = text('host-id');
  const purpose = text('purpose');
  const startedAt = text('started');
  const leaseMs = int('lease-ms');
  if (token !== undefined) owner.token = token;
  if (pid !== undefined) owner.pid = pid;
  if (host !== undefined) owner.host = host;
  if (hostId !== undefined) owner.hostId = hostId;
  if (purpose !== undefined) owner.purpose = purpose;
  if (startedAt !== undefined) owner.startedAt = startedAt;
  if (leaseMs !== undefined) owner.leaseMs = leaseMs;
  return owner;
}
