// The project lock on a Swarm, against a fake manager answering the config calls as a Swarm does: atomic names (409),
// ids never reused, creation stamped on the manager's clock, a Date on every answer. The lease rules are the shared
// ones (lease-lock.test.ts); these check the cluster's side.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { EngineApiError, type Dated, type RequestOptions } from '../../../../src/drivers/docker/engine-api.js';
import type { LocalHost } from '../../../../src/drivers/lease-lock.js';
import { acquireSwarmLock, lockConfigName, SwarmLockStore, type LockManager } from '../../../../src/drivers/swarm/lock.js';
import { EngineError, LockTimeoutError } from '../../../../src/model/errors.js';

interface Config {
  ID: string;
  CreatedAt: string;
  Spec: { Name: string; Labels: Record<string, string> };
}

class FakeManager implements LockManager {
  readonly address = 'unix:///fake/manager.sock';
  readonly configs = new Map<string, Config>();
  skewMs = 0;

  now(): number {
    return Date.now() + this.skewMs;
  }

  byName(name: string): Config | undefined {
    return [...this.configs.values()].find((c) => c.Spec.Name === name);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.requestDated<T>(method, path, options)).body;
  }

  async requestDated<T>(method: string, path: string, options: RequestOptions = {}): Promise<Dated<T>> {
    return { body: this.answer(method, path, options) as T, date: Math.floor(this.now() / 1000) * 1000 };
  }

  private answer(method: string, path: string, options: RequestOptions): unknown {
    const [, kind, key] = path.split('/').map(decodeURIComponent);
    if (kind !== 'configs') throw new Error(`unexpected call ${method} ${path}`);
    if (method === 'POST' && key === 'create') {
      const body = options.body as { Name: string; Labels: Record<string, string> };
      if (this.byName(body.Name)) throw new EngineApiError(409, `rpc error: code = AlreadyExists desc = config ${body.Name} already exists`);
      const c: Config = { ID: randomBytes(12).toString('hex'), CreatedAt: new Date(this.now()).toISOString(), Spec: { Name: body.Name, Labels: { ...body.Labels } } };
      this.configs.set(c.ID, c);
      return { ID: c.ID };
    }
    if (method === 'GET' && key === undefined) {
      const wanted = (options.query?.filters as { label: string[] }).label.map((l) => l.split('='));
      return [...this.configs.values()].filter((c) => wanted.every(([k, v]) => c.Spec.Labels[k as string] === v));
    }
    const c = key === undefined ? undefined : (this.configs.get(key) ?? this.byName(key));
    if (!c) throw new EngineApiError(404, `config ${key} not found`);
    if (method === 'GET') return c;
    if (method === 'DELETE') return void this.configs.delete(c.ID);
    throw new Error(`unexpected call ${method} ${path}`);
  }
}

const HOST: LocalHost = { host: 'ci-7', hostId: 'boot-1/pid:[1]', alive: () => true };
const owner = (pid: number, host = 'ci-7') => ({ token: `t${pid}${randomBytes(3).toString('hex')}`, pid, host, purpose: 'up' });

describe('the project lock on a Swarm', () => {
  it('is a config named surge-lock.<project> carrying its owner, beating with configs the manager stamps; released, nothing is left', async () => {
    const manager = new FakeManager();
    const held = await acquireSwarmLock(manager, { project: 'shop', owner: { token: 'abc', pid: 1234, host: 'ci-7', purpose: 'up' }, timeoutMs: 2000, pollMs: 20, local: HOST, leaseMs: 3000 });
    expect(manager.byName(lockConfigName('shop'))?.Spec.Labels).toMatchObject({
      'surge.lock.project': 'shop',
      'surge.lock.role': 'lock',
      'surge.lock.token': 'abc',
      'surge.lock.pid': '1234',
      'surge.lock.host': 'ci-7',
      'surge.lock.lease-ms': '3000',
    });
    // A beat comes within a beat interval; on a busy machine a timer may fire late, so this waits for it (bounded).
    await vi.waitFor(() => expect([...manager.configs.values()].some((c) => c.Spec.Name.startsWith('surge-lock.shop.abc.'))).toBe(true), { timeout: 10_000, interval: 50 });
    await held.release();
    expect(manager.configs.size).toBe(0);
  });

  it('a live holder on another machine makes a second wait and give up naming it; a holder gone quiet is taken over by id', async () => {
    const manager = new FakeManager();
    const store = new SwarmLockStore(manager, 'shop');
    await store.createLock({ ...owner(4242, 'ci-9'), hostId: 'other', leaseMs: 600_000, startedAt: new Date().toISOString() });
    await expect(acquireSwarmLock(manager, { project: 'shop', owner: owner(1), timeoutMs: 200, pollMs: 20, local: HOST })).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(acquireSwarmLock(manager, { project: 'shop', owner: owner(1), timeoutMs: 200, pollMs: 20, local: HOST })).rejects.toThrow(/another surge \(pid 4242 on host ci-9 \(up\)/);
    // The manager's clock says its 3 s lease ran out: it is stale, whatever this machine's clock says.
    manager.configs.clear();
    await store.createLock({ ...owner(4243, 'ci-9'), hostId: 'other', leaseMs: 3000, startedAt: new Date().toISOString() });
    manager.skewMs = 10_000;
    const held = await acquireSwarmLock(manager, { project: 'shop', owner: owner(2), timeoutMs: 2000, pollMs: 20, local: HOST });
    expect(manager.byName(lockConfigName('shop'))?.Spec.Labels['surge.lock.pid']).toBe('2');
    await held.release();
  });

  it('a config of that name surge did not make is named, never removed', async () => {
    const manager = new FakeManager();
    await manager.request('POST', '/configs/create', { body: { Name: lockConfigName('shop'), Labels: { app: 'mine' } } });
    await expect(acquireSwarmLock(manager, { project: 'shop', owner: owner(1), timeoutMs: 500, pollMs: 20, local: HOST })).rejects.toBeInstanceOf(EngineError);
    expect(manager.byName(lockConfigName('shop'))).toBeDefined();
  });
});
