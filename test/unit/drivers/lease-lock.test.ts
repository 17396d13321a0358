// The lease rules shared by locks kept on a store (the engine today, Swarm configs next): when a lock is stale, how
// its holder is named, and how an owner survives its trip through labels.
import { describe, expect, it } from 'vitest';
import { clampLease, describeHolder, ownerLabels, parseOwnerLabels, staleReason, type LeaseOwner, type LeaseState, type LocalHost } from '../../../src/drivers/lease-lock.js';

const T0 = Date.parse('2030-01-01T12:00:00Z');
const HERE: LocalHost = { host: 'ci-7', hostId: 'boot-1/pid:[1]', alive: () => true };
const OWNER: LeaseOwner = { token: 'tok', pid: 1234, host: 'ci-7', hostId: 'boot-1/pid:[1]', purpose: 'up', startedAt: new Date(T0).toISOString(), leaseMs: 30_000 };

function state(nowMs: number, owner: Partial<LeaseOwner> = OWNER, beats: number[] = []): LeaseState {
  return { lock: { id: 'L', createdMs: T0, owner }, heartbeats: beats.map((t, i) => ({ id: `hb${i}`, token: 'tok', createdMs: t })), nowMs };
}

describe('staleReason', () => {
  it('a fresh lock is not stale; nor is one whose holder beats', () => {
    expect(staleReason(state(T0 + 29_000), HERE)).toBeNull();
    expect(staleReason(state(T0 + 90_000, OWNER, [T0 + 70_000]), HERE)).toBeNull();
  });

  it('past the lease without a heartbeat, it is', () => {
    expect(staleReason(state(T0 + 31_000), HERE)).toEqual({ kind: 'lease', reason: 'no heartbeat for 31 s (its lease is 30 s)' });
    // Heartbeats of another token do not keep this lock alive.
    const s = state(T0 + 90_000, OWNER, [T0 + 85_000]);
    s.heartbeats[0] = { id: 'x', token: 'other', createdMs: T0 + 85_000 };
    expect(staleReason(s, HERE)?.reason).toMatch(/^no heartbeat for 90 s/);
  });

  it('on this machine, a gone pid makes it stale at once; in another pid namespace or on another host, only the lease does', () => {
    const gone: LocalHost = { ...HERE, alive: () => false };
    expect(staleReason(state(T0 + 1000), gone)).toEqual({ kind: 'gone', reason: 'pid 1234 on host ci-7 is gone' });
    expect(staleReason(state(T0 + 1000), { ...gone, hostId: 'boot-1/pid:[2]' })).toBeNull();
    expect(staleReason(state(T0 + 1000), { ...gone, host: 'ci-8' })).toBeNull();
    expect(staleReason(state(T0 + 1000, { ...OWNER, hostId: undefined }), { ...gone, hostId: '' })).toBeNull();
  });

  it('judges by the holder\'s own lease, kept within bounds', () => {
    expect(staleReason(state(T0 + 31_000, { ...OWNER, leaseMs: 120_000 }), HERE)).toBeNull();
    expect(staleReason(state(T0 + 4000, { ...OWNER, leaseMs: 1 }), HERE)?.reason).toMatch(/its lease is 3 s/);
    expect(staleReason(state(T0 + 31_000, { ...OWNER, leaseMs: undefined }), HERE)?.reason).toMatch(/its lease is 30 s/);
    expect(clampLease(10 * 3600_000)).toBe(3600_000);
  });
});

describe('describeHolder', () => {
  it('says pid, host, purpose and since when', () => {
    const h = describeHolder(state(T0).lock!);
    expect(h).toEqual({ description: `pid 1234 on host ci-7 (up), since ${new Date(T0).toTimeString().slice(0, 8)}`, pid: 1234, host: 'ci-7' });
  });

  it('says what it knows of a lock with unreadable labels', () => {
    expect(describeHolder({ id: 'L', createdMs: T0, owner: {} }).description).toMatch(/^a surge process, since \d\d:\d\d:\d\d$/);
  });
});

describe('owner labels', () => {
  it('round-trip, and a malformed label is left out rather than guessed', () => {
    const labels = ownerLabels('surge.lock.', OWNER);
    expect(parseOwnerLabels('surge.lock.', labels)).toEqual(OWNER);
    expect(parseOwnerLabels('surge.lock.', { ...labels, 'surge.lock.pid': '12x', 'surge.lock.lease-ms': '' })).toEqual({ ...OWNER, pid: undefined, leaseMs: undefined });
  });
});
