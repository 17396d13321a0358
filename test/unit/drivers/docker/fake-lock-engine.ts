// An in-memory engine answering the calls the engine lock makes, the way Docker (or Podman) answers them: atomic
// container names, ids never reused, volumes stamped with the engine's own clock (which tests may set apart from
// this machine's), and a Date header on every answer.
import { randomBytes } from 'node:crypto';
import { EngineApiError, type Dated, type RequestOptions } from '../../../../src/drivers/docker/engine-api.js';
import type { LockEngine } from '../../../../src/drivers/docker/engine-lock.js';

interface Container {
  Id: string;
  Name: string;
  Image: string;
  Created: string;
  Labels: Record<string, string>;
}

interface Volume {
  Name: string;
  CreatedAt: string;
  Labels: Record<string, string>;
}

export class FakeLockEngine implements LockEngine {
  readonly address = 'unix:///fake/docker.sock';
  readonly containers = new Map<string, Container>();
  readonly volumes = new Map<string, Volume>();
  readonly images = new Set<string>();
  readonly calls: string[] = [];
  /** the engine's clock is this machine's plus `skewMs` */
  skewMs = 0;
  /** how the engine refuses a taken name */
  flavour: 'docker' | 'podman' = 'docker';
  /** runs before each call is answered: a test can interleave other work there */
  before: ((method: string, path: string) => Promise<void> | void) | null = null;

  now(): number {
    return Date.now() + this.skewMs;
  }

  byName(name: string): Container | undefined {
    return [...this.containers.values()].find((c) => c.Name === name);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.requestDated<T>(method, path, options)).body;
  }

  async requestDated<T>(method: string, path: string, options: RequestOptions = {}): Promise<Dated<T>> {
    this.calls.push(`${method} ${path}`);
    await this.before?.(method, path);
    const body = this.answer(method, path, options);
    // The Date header has second resolution.
    return { body: body as T, date: Math.floor(this.now() / 1000) * 1000 };
  }

  private answer(method: string, path: string, options: RequestOptions): unknown {
    const q = options.query ?? {};
    const segments = path.split('/').map(decodeURIComponent);
    if (method === 'POST' && path === '/containers/create') {
      const spec = options.body as { Image: string; Labels: Record<string, string> };
      if (!this.images.has(spec.Image)) throw new EngineApiError(404, `No such image: ${spec.Image}`);
      const name = String(q.name);
      const holder = this.byName(name);
      if (holder) {
        throw this.flavour === 'docker'
          ? new EngineApiError(409, `Conflict. The container name "/${name}" is already in use by container "${holder.Id}".`)
          : new EngineApiError(500, `container create: creating container storage: the container name "${name}" is already in use by ${holder.Id}: that name is already in use`);
      }
      const c: Container = { Id: randomBytes(32).toString('hex'), Name: name, Image: spec.Image, Created: new Date(this.now()).toISOString(), Labels: { ...spec.Labels } };
      this.containers.set(c.Id, c);
      return { Id: c.Id, Warnings: [] };
    }
    if (method === 'GET' && segments[1] === 'containers' && segments[3] === 'json') {
      const key = segments[2] ?? '';
      const c = this.containers.get(key) ?? this.byName(key);
      if (!c) throw new EngineApiError(404, `No such container: ${key}`);
      return { Id: c.Id, Name: `/${c.Name}`, Created: c.Created, Config: { Labels: c.Labels } };
    }
    if (method === 'DELETE' && segments[1] === 'containers') {
      const id = segments[2] ?? '';
      if (!this.containers.delete(id)) throw new EngineApiError(404, `No such container: ${id}`);
      return undefined;
    }
    if (method === 'POST' && path === '/images/create') {
      if (q.fromSrc !== '-' || !options.raw) throw new EngineApiError(400, 'the fake engine imports only from the request body');
      this.images.add(String(q.repo));
      return undefined;
    }
    if (method === 'POST' && path === '/volumes/create') {
      const spec = options.body as { Name: string; Labels: Record<string, string> };
      const existing = this.volumes.get(spec.Name);
      if (existing) return existing; // Docker answers with the volume that is there
      const v: Volume = { Name: spec.Name, CreatedAt: new Date(Math.floor(this.now() / 1000) * 1000).toISOString().replace('.000', ''), Labels: { ...spec.Labels } };
      this.volumes.set(v.Name, v);
      return v;
    }
    if (method === 'GET' && path === '/volumes') {
      const wanted = ((q.filters as Record<string, string[]> | undefined)?.label ?? []).map((l) => l.split('='));
      const list = [...this.volumes.values()].filter((v) => wanted.every(([k, val]) => v.Labels[k ?? ''] === val));
      return { Volumes: list, Warnings: null };
    }
    if (method === 'DELETE' && segments[1] === 'volumes') {
      const name = segments[2] ?? '';
      if (!this.volumes.delete(name)) throw new EngineApiError(404, `get ${name}: no such volume`);
      return undefined;
    }
    throw new EngineApiError(501, `the fake engine does not answer ${method} ${path}`);
  }
}
