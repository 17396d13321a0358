// The project lock on the engine, against a fake engine API: atomic, owned, leased, taken over only when stale, and
// never the cause of a fresh lock's removal.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireEngineLock, EngineLockStore, LOCK_IMAGE, lockContainerName, type EngineLockOptions } from '../../../../src/drivers/docker/engine-lock.js';
import type { HeldLock, LockOwner } from '../../../../src/drivers/driver.js';
import type { LocalHost } from '../../../../src/drivers/lease-lock.js';
import { CancelledError, EngineError, LockTimeoutError, type LockHolder } from '../../../../src/model/errors.js';
import { FakeLockEngine } from './fake-lock-engine.js';

const HOST: LocalHost = { host: 'ci-7', hostId: 'boot-1/pid:[1]', alive: () => true };

function owner(pid: number, purpose = 'up', host = 'ci-7'): LockOwner {
  return { token: `t${pid}${Math.random().toString(36).slice(2, 8)}`, pid, host, purpose };
}

function take(engine: FakeLockEngine, o: LockOwner, extra: Partial<EngineLockOptions> = {}): Promise<HeldLock> {
  return acquireEngineLock(engine, { project: 'shop', owner: o, timeoutMs: 2000, pollMs: 20, local: HOST, ...extra });
}

/** What a holder killed with -9 leaves: its lock object, and no one beating for it. */
async function leftBy(engine: FakeLockEngine, o: LockOwner, leaseMs = 30_000, hostId = HOST.hostId): Promise<void> {
  engine.images.add(LOCK_IMAGE);
  await new EngineLockStore(engine, 'shop').createLock({ ...o, hostId, leaseMs, startedAt: new Date().toISOString() });
}

function lockLabels(engine: FakeLockEngine): Record<string, string> | undefined {
  return engine.byName(lockContainerName('shop'))?.Labels;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the project lock on the engine', () => {
  it('is a container named surge.lock.<project> carrying its owner; released, nothing is left', async () => {
    const engine = new FakeLockEngine();
    const held = await take(engine, { token: 'abc', pid: 1234, host: 'ci-7', purpose: 'up' });
    expect(engine.images).toEqual(new Set([LOCK_IMAGE])); // imported on first use
    expect(lockLabels(engine)).toMatchObject({
      'surge.lock.project': 'shop',
      'surge.lock.role': 'lock',
      'surge.lock.token': 'abc',
      'surge.lock.pid': '1234',
      'surge.lock.host': 'ci-7',
      'surge.lock.host-id': 'boot-1/pid:[1]',
      'surge.lock.purpose': 'up',
      'surge.lock.lease-ms': '30000',
    });
    await held.release();
    expect(engine.containers.size).toBe(0);
    expect(engine.volumes.size).toBe(0);
    // The image is there from now on: the next lock is one create call.
    engine.calls.length = 0;
    await (await take(engine, owner(1))).release();
    expect(engine.calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /containers/create']);
  });

  it('makes a second holder wait, naming the first, and gives up after the timeout with the holder in the error', async () => {
    const engine = new FakeLockEngine();
    const first = await take(engine, owner(1234, 'up'));
    const waits: (LockHolder | null)[] = [];
    const second = take(engine, owner(99, 'down'), { timeoutMs: 300, onWait: (h) => waits.push(h) });
    const err = await second.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.description).toMatch(/^pid 1234 on host ci-7 \(up\), since \d\d:\d\d:\d\d$/);
    expect((err as LockTimeoutError).holder).toEqual(waits[0]);
    expect((err as LockTimeoutError).message).toMatch(/^another surge \(pid 1234 on host ci-7 \(up\), since .*\) is applying project "shop"; gave up after 0 s/);
    await first.release();
  });

  it('hands the lock to a waiter when the holder releases', async () => {
    const engine = new FakeLockEngine();
    const first = await take(engine, owner(1));
    const o2 = owner(2);
    const second = take(engine, o2);
    await new Promise((r) => setTimeout(r, 100));
    await first.release();
    const held = await second;
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o2.token);
    await held.release();
  });

  it('stops waiting when the signal aborts', async () => {
    const engine = new FakeLockEngine();
    const first = await take(engine, owner(1));
    const stop = new AbortController();
    const second = take(engine, owner(2), { signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    await first.release();
  });

  it('takes over at once a lock whose holder on this machine is gone, with its heartbeats', async () => {
    const engine = new FakeLockEngine();
    await leftBy(engine, owner(4242));
    await new EngineLockStore(engine, 'shop').beat(String(lockLabels(engine)?.['surge.lock.token']), 1);
    expect(engine.volumes.size).toBe(1);
    const local: LocalHost = { ...HOST, alive: (pid) => pid !== 4242 };
    const waits: unknown[] = [];
    const o = owner(7);
    const held = await take(engine, o, { local, onWait: (h) => waits.push(h) });
    expect(waits).toEqual([]);
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o.token);
    expect(engine.volumes.size).toBe(0);
    await held.release();
  });

  it('does not trust a pid from another pid namespace with the same hostname: it waits for the lease', async () => {
    const engine = new FakeLockEngine();
    await leftBy(engine, owner(4242), 3000, 'boot-1/pid:[2]');
    const local: LocalHost = { ...HOST, alive: () => false };
    await expect(take(engine, owner(7), { local, timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeoutError);
  });

  it('takes over a lock from another machine once its last heartbeat is older than the lease, on the engine\'s clock', async () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T12:00:00Z') });
    const engine = new FakeLockEngine();
    engine.skewMs = -3 * 3600_000; // this machine's clock is 3 h ahead of the engine's: it must not matter
    await leftBy(engine, owner(4242, 'up', 'ci-9'), 6000, 'boot-9/pid:[1]');
    const o = owner(7);
    let held: HeldLock | null = null;
    const waits: (LockHolder | null)[] = [];
    void take(engine, o, { timeoutMs: 60_000, pollMs: 500, onWait: (h) => waits.push(h) }).then((h) => (held = h));
    await vi.advanceTimersByTimeAsync(7000);
    expect(held).toBeNull(); // stale since 6 s, but not yet for two beat intervals (2 s)
    expect(waits[0]?.description).toMatch(/^pid 4242 on host ci-9 \(up\), since /);
    await vi.advanceTimersByTimeAsync(2000);
    expect(held).not.toBeNull();
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o.token);
  });

  it('keeps a live holder\'s lock past its lease: it beats, one heartbeat volume at a time', async () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T12:00:00Z') });
    const engine = new FakeLockEngine();
    const o1 = owner(1, 'up', 'ci-9');
    const first = await take(engine, o1, { leaseMs: 3000, local: { ...HOST, host: 'ci-9' } });
    let second: HeldLock | null = null;
    void take(engine, owner(2), { timeoutMs: 60_000, pollMs: 300 }).then((h) => (second = h));
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      expect(engine.volumes.size).toBeLessThanOrEqual(1);
    }
    expect(second).toBeNull();
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o1.token);
    expect([...engine.volumes.values()].map((v) => v.Labels['surge.lock.token'])).toEqual([o1.token]);
    await first.release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(second).not.toBeNull();
  });

  it('a heartbeat removed by hand (volume prune) does not hand a live holder\'s lock over: it beats again first', async () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T12:00:00Z') });
    const engine = new FakeLockEngine();
    const o1 = owner(1, 'up', 'ci-9');
    const first = await take(engine, o1, { leaseMs: 6000, local: { ...HOST, host: 'ci-9' } });
    let second: HeldLock | null = null;
    void take(engine, owner(2), { timeoutMs: 60_000, pollMs: 100 }).then((h) => (second = h));
    for (let i = 0; i < 12; i++) {
      await vi.advanceTimersByTimeAsync(900); // just before each beat, the heartbeat is pruned
      engine.volumes.clear();
    }
    expect(second).toBeNull();
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o1.token);
    await first.release();
  });

  it('never removes a fresh lock: contenders racing over one stale lock end with exactly one holder', async () => {
    for (let trial = 0; trial < 30; trial++) {
      const engine = new FakeLockEngine();
      await leftBy(engine, owner(4242));
      const local: LocalHost = { ...HOST, alive: (pid) => pid !== 4242 };
      // Every call waits a random moment, so the contenders' reads, removals and creates interleave differently.
      engine.before = () => new Promise((r) => setTimeout(r, Math.random() * 5));
      const contenders = [1, 2, 3].map((pid) => owner(pid));
      const outcomes = await Promise.allSettled(contenders.map((o) => take(engine, o, { local, timeoutMs: 100 })));
      const winners = outcomes.flatMap((r, i) => (r.status === 'fulfilled' ? [contenders[i]?.token] : []));
      expect(winners).toHaveLength(1);
      expect(lockLabels(engine)?.['surge.lock.token']).toBe(winners[0]);
      for (const r of outcomes) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockTimeoutError);
    }
  });

  it('removes by id: a lock judged stale and replaced meanwhile by another contender\'s stays', async () => {
    const engine = new FakeLockEngine();
    const store = new EngineLockStore(engine, 'shop');
    await leftBy(engine, owner(4242));
    const seen = await store.read(); // judged stale from this
    engine.containers.clear(); // ... meanwhile another contender removed it and took the lock
    const o = owner(5);
    await take(engine, o);
    await store.removeLock(seen.lock?.id ?? '');
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o.token);
  });

  it('reads Podman\'s refusal of a taken name (500 "already in use") as a held lock', async () => {
    const engine = new FakeLockEngine();
    engine.flavour = 'podman';
    await take(engine, owner(1));
    await expect(take(engine, owner(2), { timeoutMs: 100 })).rejects.toBeInstanceOf(LockTimeoutError);
  });

  it('refuses to treat a container it did not create as a lock', async () => {
    const engine = new FakeLockEngine();
    engine.images.add('nginx');
    await engine.request('POST', '/containers/create', { query: { name: 'surge.lock.shop' }, body: { Image: 'nginx', Labels: {} } });
    await expect(take(engine, owner(1))).rejects.toThrow(EngineError);
    await expect(take(engine, owner(1))).rejects.toThrow(/a container named surge.lock.shop that surge did not create .*: rename or remove it/);
  });

  it('creates its lock again when it was removed under it (a container prune), unless another took it', async () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T12:00:00Z') });
    const engine = new FakeLockEngine();
    const o = owner(1);
    const held = await take(engine, o, { leaseMs: 3000 });
    engine.containers.clear();
    await vi.advanceTimersByTimeAsync(600);
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o.token);
    await held.release();
    expect(engine.containers.size).toBe(0);
  });

  it('a holder judged stale and taken over stops beating and releases nothing of the new holder\'s', async () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T12:00:00Z') });
    const engine = new FakeLockEngine();
    const slow = await take(engine, owner(1), { leaseMs: 3000 });
    const lockId = engine.byName('surge.lock.shop')?.Id ?? '';
    await engine.request('DELETE', `/containers/${lockId}`); // judged stale (say, paused past its lease) and removed
    const o2 = owner(2);
    const fresh = await take(engine, o2, { leaseMs: 3000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect([...engine.volumes.values()].every((v) => v.Labels['surge.lock.token'] === o2.token)).toBe(true);
    await slow.release();
    expect(lockLabels(engine)?.['surge.lock.token']).toBe(o2.token);
    await fresh.release();
    expect(engine.containers.size + engine.volumes.size).toBe(0);
  });
});
