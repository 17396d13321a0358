// An in-memory engine: the observed state is a value it keeps and mutates as it applies actions. Tests use it
// to check plan/apply round trips, and `plan` uses an empty one when no engine is involved.
import { canonicalServiceConfig } from '../../model/config-hash.js';
import type { DependencyCondition, DriverKind, Project } from '../../model/model.js';
import { emptyObservedState, type ObservedContainer, type ObservedState } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';
import { imageRef } from '../../model/naming.js';
import type { ActionContext, Driver, LogLine } from '../driver.js';
import { containerName, networkEngineName, volumeEngineName } from '../../model/naming.js';

export class MemoryDriver implements Driver {
  readonly kind: DriverKind;
  state: ObservedState;
  /** every action applied, in order: tests read it */
  readonly applied: Action[] = [];
  /** action ids that fail when applied: tests set it */
  failing = new Set<string>();
  private seq = 0;

  constructor(kind: DriverKind = 'docker', initial: ObservedState = emptyObservedState()) {
    this.kind = kind;
    this.state = structuredClone(initial);
  }

  async observe(project: Project): Promise<ObservedState> {
    const images: Record<string, string | null> = {};
    for (const s of Object.values(project.services)) {
      const ref = imageRef(project, s);
      images[ref] = this.state.images[ref] ?? null;
    }
    return structuredClone({ ...this.state, images: { ...this.state.images, ...images } });
  }

  private nextId(): string {
    this.seq += 1;
    return `mem${String(this.seq).padStart(8, '0')}`;
  }

  async apply(action: Action, project: Project, _ctx: ActionContext): Promise<void> {
    if (this.failing.has(action.id)) throw new Error(`${action.id} failed (injected)`);
    this.applied.push(action);
    const st = this.state;
    switch (action.kind) {
      case 'image':
        if (action.op === 'remove') delete st.images[action.name];
        else st.images[action.name] = `sha256:${this.nextId()}`;
        return;
      case 'network': {
        st.networks = st.networks.filter((n) => n.name !== action.name);
        const n = project.networks[action.name];
        if (action.op !== 'remove' && n) {
          st.networks.push({ name: n.name, engineName: networkEngineName(project.name, n.name), id: this.nextId(), configHash: action.configHash ?? '' });
        }
        return;
      }
      case 'volume': {
        st.volumes = st.volumes.filter((v) => v.name !== action.name);
        const v = project.volumes[action.name];
        if (action.op !== 'remove' && v) {
          st.volumes.push({ name: v.name, engineName: volumeEngineName(project.name, v.name), configHash: action.configHash ?? '' });
        }
        return;
      }
      case 'service':
        this.applyService(action, project);
        return;
    }
  }

  private applyService(action: Action, project: Project): void {
    const st = this.state;
    const find = (): ObservedContainer | undefined => st.containers.find((c) => c.id === action.containerId);
    switch (action.op) {
      case 'create':
      case 'recreate': {
        if (action.op === 'recreate') st.containers = st.containers.filter((c) => c.id !== action.containerId);
        const s = project.services[action.name];
        if (!s) throw new Error(`bug: no service ${action.name} in the model`);
        const replica = action.replica ?? 1;
        st.containers.push({
          driver: this.kind,
          id: this.nextId(),
          name: containerName(project.name, s.name, replica),
          service: s.name,
          replica,
          configHash: action.configHash ?? '',
          config: canonicalServiceConfig(s, action.configSalt ?? null),
          state: 'running',
          health: s.healthcheck ? 'healthy' : null,
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

  async waitFor(_project: Project, service: string, condition: DependencyCondition): Promise<void> {
    const cs = this.state.containers.filter((c) => c.service === service && !c.oneoff);
    if (condition === 'service_healthy' && cs.some((c) => c.health === 'unhealthy')) throw new Error(`service ${service} is unhealthy`);
    if (condition === 'service_completed_successfully' && cs.some((c) => c.state === 'exited' && c.exitCode !== 0)) {
      throw new Error(`service ${service} exited with a non-zero code`);
    }
  }

  async logs(_p: Project, _c: ObservedContainer[], _o: unknown, _on: (l: LogLine) => void): Promise<void> {}
  async exec(): Promise<number> {
    return 0;
  }
  async run(): Promise<number> {
    return 0;
  }
  async close(): Promise<void> {}
}
