// The Swarm driver: a project's container services as services of a Docker Swarm, through a manager reached the way
// the docker CLI reaches an engine (DOCKER_HOST, else the default socket). It observes and executes; the plan
// decides. Engine plumbing (the JSON client, dockerode for streams, pulls and builds) is the Docker driver's.
import type Docker from 'dockerode';
import { EngineError, UserError } from '../../model/errors.js';
import type { DependencyCondition, Project, Service } from '../../model/model.js';
import type { ObservedContainer, ObservedState } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';
import { NVIDIA_GPU_RESOURCE, swarmServiceName } from '../../model/swarm-config.js';
import { surgeVersion } from '../../model/version.js';
import { newConfigSalt, serviceConfigHash } from '../../model/config-hash.js';
import type { ActionContext, Driver, ExecOptions, GpuOffer, HeldLock, LockRequest, LogLine, LogOptions, RunOptions, TargetReport } from '../driver.js';
import { openDockerode, openEngine } from '../docker/connection.js';
import type { EngineApi } from '../docker/engine-api.js';
import { createNetwork, removeNetwork, removeVolume } from '../docker/resources.js';
import { createService, networkGone, removeService, tasksGone, updateService } from './apply.js';
import { sleep } from '../../model/sleep.js';
import { statusOf } from './util.js';
import { kernelFacts, type KernelFacts } from './kernel.js';
import { acquireSwarmLock } from './lock.js';
import { observeSwarm, toObservedNode, type SwarmNodeInfo, type SwarmServiceInfo } from './observe.js';
import { waitForSwarmService } from './wait.js';
import { compareText } from '../../model/order.js';

interface InfoSwarm {
  LocalNodeState?: string;
  ControlAvailable?: boolean;
  NodeID?: string;
  Nodes?: number;
  Managers?: number;
}

export interface SwarmInfo {
  localNodeId: string;
  serverVersion: string;
  apiVersion: string;
  kernel: KernelFacts;
  /** how long this process's project lock stands without a heartbeat (SURGE_LOCK_LEASE, seconds) */
  lockLeaseMs?: number;
}

export class SwarmDriver implements Driver {
  readonly kind = 'swarm' as const;
  private dockerode: Promise<Docker> | null = null;

  constructor(
    readonly api: EngineApi,
    readonly info: SwarmInfo,
  ) {}

  private streams(): Promise<Docker> {
    this.dockerode ??= openDockerode(this.api.endpoint);
    return this.dockerode;
  }

  observe(project: Project): Promise<ObservedState> {
    return observeSwarm(this.api, project, { endpoint: this.api.address, localNodeId: this.info.localNodeId, kernel: this.info.kernel });
  }

  async apply(action: Action, project: Project, ctx: ActionContext): Promise<void> {
    const version = surgeVersion();
    switch (action.kind) {
      case 'image': {
        const step = action.image;
        if (action.op === 'remove') {
          await this.api.delete(`/images/${encodeURIComponent(action.name)}`).catch((err: unknown) => {
            if (statusOf(err) !== 404) throw err;
          });
          return;
        }
        if (!step) throw new Error(`bug: image action ${action.id} has no image step`);
        const builder = step.buildService ? project.services[step.buildService] : undefined;
        const { buildImage, pullImage } = await import('../docker/images.js');
        // On the manager: a build there is not on the other nodes (the plan says so).
        if (builder) await buildImage(await this.streams(), project, builder, step.ref, ctx);
        else await pullImage(await this.streams(), project, step.ref, ctx);
        return;
      }
      case 'network': {
        const n = project.networks[action.name];
        if (action.op === 'remove' || action.op === 'recreate') {
          // Tasks of removed services still stopping hold the network on their nodes: wait for them first.
          await tasksGone(this.api, project, (t) => t.DesiredState === 'remove', 'the removed services\' tasks', 40_000, ctx, () => this.downNodes());
          await removeNetwork(this.api, project, action.name);
          await networkGone(this.api, project, action.name, 30_000, ctx);
        }
        if (action.op === 'create' || action.op === 'recreate') {
          if (!n) throw new Error(`bug: no network ${action.name} in the model`);
          // The model has it as an overlay, encrypted when asked or QUIC-flagged (the plan checked the kernel where it could).
          await createNetwork(this.api, project, n, action.configHash ?? '', version);
        }
        return;
      }
      case 'volume':
        if (action.op === 'remove') {
          // The manager's copy: held by the removed services' containers until their node removes them.
          await tasksGone(this.api, project, (t) => t.DesiredState === 'remove', 'the removed services\' tasks', 40_000, ctx, () => this.downNodes());
          await retryWhileInUse(() => removeVolume(this.api, project, action.name), ctx.signal);
        }
        return;
      case 'service':
        await this.applyService(action, project, ctx, version);
        return;
    }
  }

  private async downNodes(): Promise<Set<string>> {
    const nodes = await this.api.get<SwarmNodeInfo[]>('/nodes');
    return new Set(nodes.filter((n) => n.Status.State === 'down').map((n) => n.ID));
  }

  private async applyService(action: Action, project: Project, ctx: ActionContext, version: string): Promise<void> {
    const downNodes = (): Promise<Set<string>> => this.downNodes();
    switch (action.op) {
      case 'create':
        await createService(this.api, project, action, version);
        return;
      case 'update':
        await updateService(this.api, project, action, version, ctx);
        return;
      case 'recreate':
        await removeService(this.api, project, action, ctx, downNodes);
        await createService(this.api, project, action, version);
        return;
      case 'remove':
        await removeService(this.api, project, action, ctx, downNodes);
        return;
      case 'start':
      case 'stop':
        throw new UserError(`a Swarm service is not started or stopped: \`surge scale ${action.name}=N\` sets its tasks, \`surge down\` removes it`);
    }
  }

  waitFor(project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
    return waitForSwarmService(this.api, project, service, condition, ctx);
  }

  /** Containers are not a Swarm's unit: `serviceLogs` reads its services. */
  async logs(): Promise<void> {}

  async serviceLogs(project: Project, services: string[], options: LogOptions, onLine: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
    const names = services.map((s) => swarmServiceName(project.name, s));
    const list = await this.api.get<SwarmServiceInfo[]>('/services', { query: { filters: { name: names } } });
    const found = list
      .filter((x) => names.includes(x.Spec.Name))
      .map((x) => ({ id: x.ID, name: x.Spec.Name, service: services[names.indexOf(x.Spec.Name)] as string }));
    const { streamServiceLogs } = await import('./logs.js');
    await streamServiceLogs(this.api, await this.streams(), project, found, options, onLine, signal);
  }

  /** Runs in a task's container: only the node surge talks to can (the caller checks the task is there). */
  async exec(_project: Project, container: ObservedContainer, command: string[], options: ExecOptions): Promise<number> {
    const { execIn } = await import('../docker/exec-run.js');
    return execIn(await this.streams(), container, command, options);
  }

  /** A one-off container on the manager, on the project's (attachable) overlays. */
  async run(project: Project, service: Service, options: RunOptions): Promise<number> {
    const { runOneOff } = await import('../docker/exec-run.js');
    // A one-off is never compared with the Boltfile: a fresh salt keeps its label's digests unlinkable all the same.
    const salt = newConfigSalt();
    return runOneOff(await this.streams(), project, service, options, surgeVersion(), serviceConfigHash(service, salt), salt);
  }

  lock(project: Project, request: LockRequest): Promise<HeldLock> {
    return acquireSwarmLock(this.api, { ...request, project: project.name, ...(this.info.lockLeaseMs !== undefined ? { leaseMs: this.info.lockLeaseMs } : {}) });
  }

  async gpuOffer(): Promise<GpuOffer> {
    const nodes = (await this.api.get<SwarmNodeInfo[]>('/nodes')).map(toObservedNode);
    const gpuNodes = nodes.map((n) => ({
      name: n.hostname,
      available: n.state === 'ready' && n.availability === 'active',
      gpus: n.genericResources.filter((g) => g.kind === NVIDIA_GPU_RESOURCE && typeof g.value === 'number').reduce((a, g) => a + (g.value as number), 0),
      gpuIds: n.genericResources.filter((g) => g.kind === NVIDIA_GPU_RESOURCE && typeof g.value === 'string').map((g) => g.value as string),
    }));
    const offers = gpuNodes.filter((n) => n.gpus || n.gpuIds.length).map((n) => `node ${n.name}: ${NVIDIA_GPU_RESOURCE}=${n.gpus || n.gpuIds.join(',')}`);
    return { endpoint: this.api.address, offers, runtimes: [], nodes: gpuNodes };
  }

  async report(): Promise<TargetReport> {
    const nodes = (await this.api.get<SwarmNodeInfo[]>('/nodes')).map(toObservedNode).sort((a, b) => compareText(a.hostname, b.hostname));
    const lines = [{ label: 'version', value: `${this.info.serverVersion}, API ${this.info.apiVersion}` }];
    for (const n of nodes) {
      const resources = n.genericResources.map((g) => `${g.kind}=${g.value}`).join(', ');
      const me = n.id === this.info.localNodeId ? ', this endpoint' : '';
      lines.push({
        label: `node ${n.hostname}`,
        value: `${n.role}${n.leader ? ' (leader)' : ''}${me}, ${n.state}, ${n.availability}, ${n.address}${resources ? `, ${resources}` : ''}`,
      });
    }
    const k = this.info.kernel;
    if (k.esp === false) lines.push({ label: 'encryption', value: `the manager's kernel (${k.release ?? '?'}) has no ESP: encrypted overlays would carry no traffic between nodes` });
    if (k.ipvs === false) lines.push({ label: 'routing', value: `the manager's kernel has no IPVS: service VIPs and ingress ports carry no traffic; use [swarm] endpoint_mode = "dnsrr"` });
    return { reachable: true, endpoint: this.api.address, lines };
  }

  async close(): Promise<void> {
    this.api.close();
  }
}

/** A task's container outlives the task's entry by a moment: "in use" is retried for a few seconds. */
async function retryWhileInUse(remove: () => Promise<void>, signal: AbortSignal): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await remove();
    } catch (err) {
      if (statusOf(err) !== 409 || attempt >= 20) throw err;
      await sleep(500, signal);
    }
  }
}

/** A driver on the Swarm manager the environment names, once it answered and said it is a manager. */
export async function connectSwarm(env: NodeJS.ProcessEnv = process.env): Promise<SwarmDriver> {
  const api = await openEngine(env);
  try {
    const [info, version] = await Promise.all([
      api.get<{ Swarm?: InfoSwarm; KernelVersion?: string }>('/info'),
      api.get<{ Version?: string; ApiVersion?: string }>('/version'),
    ]);
    const swarm = info.Swarm ?? {};
    if (swarm.LocalNodeState !== 'active') {
      throw new EngineError(
        `the engine at ${api.address} is not part of a Swarm (swarm: ${swarm.LocalNodeState || 'inactive'}): run \`docker swarm init\` there, or point DOCKER_HOST at a Swarm manager`,
        'engine',
      );
    }
    if (!swarm.ControlAvailable) {
      throw new EngineError(`the engine at ${api.address} is a Swarm worker, not a manager: point DOCKER_HOST at a manager (\`docker node ls\` on one lists them)`, 'engine');
    }
    return new SwarmDriver(api, {
      localNodeId: swarm.NodeID ?? '',
      serverVersion: version.Version ?? '?',
      apiVersion: version.ApiVersion ?? '?',
      kernel: kernelFacts(api.address, info.KernelVersion ?? null),
      ...(Number(env.SURGE_LOCK_LEASE) > 0 ? { lockLeaseMs: Number(env.SURGE_LOCK_LEASE) * 1000 } : {}),
    });
  } catch (err) {
    api.close();
    throw err;
  }
}
