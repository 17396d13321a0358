// An in-memory engine: the observed state is a value it keeps and mutates as it applies actions. Tests use it to
// check plan/apply round trips and, through the public API, converge, locking, cancellation and watch supervision
// without any engine. Its lock is a table in memory: two stacks sharing one MemoryDriver contend for it.
import { CancelledError, EngineError, LockTimeoutError, UserError, type LockHolder } from '../../model/errors.js';
import { canonicalServiceConfig } from '../../model/config-hash.js';
import type { DependencyCondition, DriverKind, Project } from '../../model/model.js';
import { emptyObservedState, type ObservedContainer, type ObservedState } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';
import { imageRef } from '../../model/naming.js';
import type { ActionContext, Driver, GpuOffer, HeldLock, LockRequest, LogLine } from '../driver.js';
import { containerName, networkEngineName, volumeEngineName } from '../../model/naming.js';
import { applySwarmService } from './memory-swarm.js';

/**
 * An in-memory engine for tests and embedding: its observed state is a value it keeps and changes as it applies
 * actions; tests can make actions fail, make them slow, or make a dependency never ready.
 */
export class MemoryDriver implements Driver {
  readonly kind: DriverKind;
  state: ObservedState;
  /** every action applied, in order: tests read it */
  readonly applied: Action[] = [];
  /** action ids that fail when applied: tests set it */
  failing = new Set<string>();
  /** called before each action is applied (a test can make one slow, or observe the order); honours ctx.signal */
  beforeApply: ((action: Action, ctx: ActionContext) => Promise<void>) | null = null;
  /** services whose `waitFor` never resolves until cancelled (a dependency that never gets healthy) */
  neverReady = new Set<string>();
  /** what this "engine" offers GPU services; undefined: none */
  gpu: GpuOffer | undefined = undefined;
  /** project → who holds its lock */
  private readonly locks = new Map<string, { holder: LockHolder; release: () => void }>();
  private readonly lockWaiters = new Set<() => void>();
  private seq = 0;

  constructor(kind: DriverKind = 'docker', initial: ObservedState = emptyObservedState()) {
    this.kind = kind;
    this.state = structuredClone(initial);
  }

  async observe(project: Project): Promise<ObservedState> {
    const images: Record<string, string | null> = {};
    for (const s of Object.values(project.services)) {
      if (s.driver !== this.kind) continue;
      const ref = imageRef(project, s);
      images[ref] = this.state.images[ref] ?? null;
    }
    return structuredClone({ ...this.state, images: { ...this.state.images, ...images } });
  }

  private nextId(): string {
    this.seq += 1;
    return `mem${String(this.seq).padStart(8, '0')}`;
  }

  async apply(action: Action, project: Project, ctx: ActionContext): Promise<void> {
    if (this.beforeApply) await this.beforeApply(action, ctx);
    if (ctx.signal.aborted) throw new CancelledError();
    if (this.failing.has(action.id)) throw new EngineError(`${action.id} failed (injected)`);
    this.applied.push(action);
    const st = this.state;
    switch (action.kind) {
      case 'image':
        if (action.op === 'remove') delete st.images[action.name];
        else st.images[action.name] = `sha256:${this.nextId()}`;
        return;
      case 'network': {
        // objectId: one copy of a network the engine holds twice; without it, the network of that name.
        st.networks = st.networks.filter((n) => (action.objectId ? n.id !== action.objectId : n.name !== action.name));
        const n = project.networks[action.name];
        if (action.op !== 'remove' && n) {
          st.networks.push({ name: n.name, engineName: networkEngineName(project.name, n.name), id: this.nextId(), configHash: action.configHash ?? '', ...this.ownedBy() });
        }
        return;
      }
      case 'volume': {
        st.volumes = st.volumes.filter((v) => (action.objectId ? v.engineName !== action.objectId : v.name !== action.name));
        const v = project.volumes[action.name];
        if (action.op !== 'remove' && v) {
          st.volumes.push({ name: v.name, engineName: volumeEngineName(project.name, v.name), configHash: action.configHash ?? '', ...this.ownedBy() });
        }
        return;
      }
      case 'service':
        this.applyService(action, project);
        return;
    }
  }

  /** Which driver a network or volume it makes belongs to, as a real engine's observe says (docker: left implicit). */
  private ownedBy(): { driver?: 'swarm' } {
    return this.kind === 'swarm' ? { driver: 'swarm' } : {};
  }

  private applyService(action: Action, project: Project): void {
    if (action.swarm) {
      applySwarmService(this.state, action, project, () => this.nextId());
      return;
    }
    const st = this.state;
    const find = (): ObservedContainer | undefined => st.containers.find((c) => c.id === action.containerId);
    switch (action.op) {
      case 'create':
      case 'recreate': {
        if (action.op === 'recreate') st.containers = st.containers.filter((c) => c.id !== action.containerId);
        const s = project.services[action.name];
        if (!s) throw new UserError(`no service ${action.name} in the model`, 'no-such-service');
        const replica = action.replica ?? 1;
        st.containers.push({
          driver: this.kind,
          id: this.nextId(),
          name: containerName(project.name, s.name, replica),
          service: s.name,
          replica,
          configHash: action.configHash ?? '',
          config: canonicalServiceConfig(s, action.configSalt ?? null),
          state: action.noStart ? 'created' : 'running',
          health: s.healthcheck && !action.noStart ? 'healthy' : null,
          exitCode: null,
          imageId: s.driver === 'docker' ? (st.images[imageRef(project, s)] ?? null) : null,
          oneoff: false,
          pid: null,
          ports: [],
          image: s.image,
          problems: [],
        });
        return;
      }
      case 'start': {
        const c = find();
        if (c) c.state = 'running';
        // The new half of an interrupted replacement takes the replica's name.
        if (c && action.renameFrom) {
          c.name = action.containerName ?? c.name;
          delete c.pendingReplacement;
        }
        return;
      }
      case 'stop': {
        const c = find();
        if (c) {
          c.state = 'exited';
          c.exitCode = 137;
        }
        return;
      }
      case 'remove':
        st.containers = st.containers.filter((c) => c.id !== action.containerId);
        return;
      case 'update':
        return;
    }
  }

  async waitFor(_project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
    if (this.neverReady.has(service)) {
      await new Promise<never>((_, reject) => {
        if (ctx.signal.aborted) reject(new CancelledError());
        ctx.signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
      });
    }
    const cs = this.state.containers.filter((c) => c.service === service && !c.oneoff);
    if (condition === 'service_healthy' && cs.some((c) => c.health === 'unhealthy')) throw new UserError(`service ${service} is unhealthy`, 'wait-failed');
    if (condition === 'service_completed_successfully' && cs.some((c) => c.state === 'exited' && c.exitCode !== 0)) {
      throw new UserError(`service ${service} exited with a non-zero code`, 'wait-failed');
    }
  }

  async logs(_p: Project, _c: ObservedContainer[], _o: unknown, _on: (l: LogLine) => void): Promise<void> {}
  async exec(): Promise<number> {
    return 0;
  }
  async run(): Promise<number> {
    return 0;
  }
  async lock(project: Project, request: LockRequest): Promise<HeldLock> {
    const deadline = Date.now() + request.timeoutMs;
    let told = false;
    for (;;) {
      const held = this.locks.get(project.name);
      if (!held) break;
      if (!told) {
        told = true;
        request.onWait?.(held.holder);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(`another surge (${held.holder.description}) is applying project "${project.name}"`, held.holder);
      await new Promise<void>((resolve, reject) => {
        const cleanup = (): void => {
          clearTimeout(timer);
          this.lockWaiters.delete(wake);
          request.signal?.removeEventListener('abort', onAbort);
        };
        const wake = (): void => {
          cleanup();
          resolve();
        };
        const onAbort = (): void => {
          cleanup();
          reject(new CancelledError());
        };
        const timer = setTimeout(wake, left);
        this.lockWaiters.add(wake);
        request.signal?.addEventListener('abort', onAbort, { once: true });
        if (request.signal?.aborted) onAbort();
      });
    }
    const holder: LockHolder = { description: `pid ${request.owner.pid} on ${request.owner.host} (${request.owner.purpose})`, pid: request.owner.pid, host: request.owner.host };
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.locks.delete(project.name);
      for (const w of [...this.lockWaiters]) w();
    };
    this.locks.set(project.name, { holder, release });
    return { release: async () => release() };
  }

  async gpuOffer(): Promise<GpuOffer> {
    return this.gpu ?? { endpoint: 'memory', offers: [], runtimes: ['runc'] };
  }

  async close(): Promise<void> {}
}
