// The in-memory engine's Swarm: services kept as ObservedSwarmService values, each with its tasks running at once, so
// plan → apply → plan round trips of Swarm stacks run without a cluster.
import { canonicalSwarmConfig, swarmSettings } from '../../model/swarm-config.js';
import { hashCanonical, newConfigSalt } from '../../model/config-hash.js';
import type { Project } from '../../model/model.js';
import { imageRef } from '../../model/naming.js';
import type { ObservedState, ObservedSwarmService, ObservedTask } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';

function tasks(id: string, count: number): ObservedTask[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${id}-t${i + 1}`,
    slot: i + 1,
    nodeId: 'node1',
    node: 'node1',
    nodeState: 'ready',
    state: 'running',
    desiredState: 'running',
    message: 'started',
    error: null,
    exitCode: null,
    containerId: null,
    timestamp: '2026-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    ports: [],
  }));
}

export function applySwarmService(state: ObservedState, action: Action, project: Project, nextId: () => string): void {
  const step = action.swarm;
  if (!step) return;
  const list = (state.swarmServices ??= []);
  const index = list.findIndex((x) => x.id === step.serviceId);
  if (action.op === 'remove') {
    if (index >= 0) list.splice(index, 1);
    return;
  }
  const s = project.services[action.name];
  if (!s) throw new Error(`no service ${action.name} in the model`);
  const settings = swarmSettings(project, s);
  const config = canonicalSwarmConfig(project, s, action.configSalt ?? newConfigSalt());
  const live = index >= 0 ? list[index] : undefined;
  if (live && step.replicasOnly) {
    live.replicas = settings.replicas;
    live.version += 1;
    live.tasks = tasks(live.id, settings.replicas);
    live.runningTasks = live.desiredTasks = settings.replicas;
    return;
  }
  if (action.op === 'recreate' && index >= 0) list.splice(index, 1);
  const id = action.op === 'update' && live ? live.id : nextId();
  const next: ObservedSwarmService = {
    id,
    name: step.serviceName,
    service: s.name,
    version: (action.op === 'update' && live ? live.version : 0) + 1,
    configHash: hashCanonical(config),
    config,
    image: imageRef(project, s),
    imageId: state.images[imageRef(project, s)] ?? null,
    mode: settings.mode,
    replicas: settings.mode === 'global' ? null : settings.replicas,
    runningTasks: settings.replicas,
    desiredTasks: settings.replicas,
    update: null,
    updatedAt: '2026-01-01T00:00:00Z',
    forceUpdate: (live?.forceUpdate ?? 0) + (step.force ? 1 : 0),
    ports: [],
    files: { secrets: [], configs: [] },
    tasks: tasks(id, settings.replicas),
  };
  if (action.op === 'update' && index >= 0) list[index] = next;
  else list.push(next);
}
