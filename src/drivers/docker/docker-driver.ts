// The Docker driver (Podman through its Docker API). It observes and executes; the plan decides. JSON calls go
// through EngineApi; dockerode is loaded only for the streaming ones (pull, build, logs, exec, run, sync).
import type Docker from 'dockerode';
import { surgeVersion } from '../../model/version.js';
import { newConfigSalt, serviceConfigHash } from '../../model/config-hash.js';
import type { DependencyCondition, Project, Service } from '../../model/model.js';
import type { ObservedContainer, ObservedState } from '../../model/observed.js';
import type { Action } from '../../model/plan-types.js';
import type { ActionContext, Driver, ExecOptions, GpuOffer, HeldLock, LockRequest, LogLine, LogOptions, RunOptions, SyncEntry, TargetReport } from '../driver.js';
import type { EngineEvent, ImageInfo, ProcessTable, ProjectSummary, ResourceSample } from '../inspect-types.js';
import { containerName } from '../../model/naming.js';
import { describeDockerEndpoint, openDockerode, openEngine } from './connection.js';
import type { EngineApi } from './engine-api.js';
import { createAndStart, finishReplacement, remove, replace, start, stop } from './containers.js';
import { acquireEngineLock } from './engine-lock.js';
import { imagesOf, killContainer, pauseContainer, projectsOnEngine, topOfContainer, unpauseContainer, waitForContainer } from './inspect-ops.js';
import { localNvidiaHook } from './nvidia-hook.js';
import { observeDocker } from './observe.js';
import { createNetwork, createVolume, notFound, removeNetwork, removeVolume } from './resources.js';
import { waitForService } from './wait.js';

export { describeDockerEndpoint };

export interface EngineInfo {
  endpoint: string;
  serverVersion: string;
  apiVersion: string;
  os: string;
  runtimes: string[];
  defaultRuntime: string;
  /** nvidiaHook: the toolkit's hook that makes the engine register its `nvidia` device driver (local engines only) */
  gpu: { nvidiaRuntime: boolean; nvidiaHook: string | null; cdiDevices: string[] };
  swarm: string;
}

export class DockerDriver implements Driver {
  readonly kind = 'docker' as const;

  private dockerode: Promise<Docker> | null = null;

  constructor(
    readonly api: EngineApi,
    /** lockLeaseMs: how long this process's project lock stands without a heartbeat (SURGE_LOCK_LEASE) */
    private readonly options: { lockLeaseMs?: number } = {},
  ) {}

  /** dockerode on the same endpoint, for streams */
  streams(): Promise<Docker> {
    this.dockerode ??= openDockerode(this.api.endpoint);
    return this.dockerode;
  }

  observe(project: Project): Promise<ObservedState> {
    return observeDocker(this.api, project);
  }

  async apply(action: Action, project: Project, ctx: ActionContext): Promise<void> {
    const version = surgeVersion();
    switch (action.kind) {
      case 'image': {
        if (action.op === 'remove') {
          await this.api.delete(`/images/${encodeURIComponent(action.name)}`).catch((err: unknown) => {
            if (!notFound(err)) throw err;
          });
          return;
        }
        const step = action.image;
        if (!step) throw new Error(`bug: image action ${action.id} has no image step`);
        const builder = step.buildService ? project.services[step.buildService] : undefined;
        const { buildImage, pullImage } = await import('./images.js');
        if (builder) await buildImage(await this.streams(), project, builder, step.ref, ctx);
        else await pullImage(await this.streams(), project, step.ref, ctx);
        return;
      }
      case 'network': {
        const n = project.networks[action.name];
        if (action.op === 'remove' || action.op === 'recreate') await removeNetwork(this.api, project, action.name, action.objectId);
        if (action.op === 'create' || action.op === 'recreate') {
          if (!n) throw new Error(`bug: no network ${action.name} in the model`);
          await createNetwork(this.api, project, n, action.configHash ?? '', version);
        }
        return;
      }
      case 'volume': {
        const v = project.volumes[action.name];
        if (action.op === 'remove') await removeVolume(this.api, project, action.name, action.objectId);
        else if (action.op === 'create') {
          if (!v) throw new Error(`bug: no volume ${action.name} in the model`);
          await createVolume(this.api, project, v, action.configHash ?? '', version);
        }
        return;
      }
      case 'service':
        await this.applyService(action, project, ctx, version);
        return;
    }
  }

  private async applyService(action: Action, project: Project, ctx: ActionContext, version: string): Promise<void> {
    const s: Service | undefined = project.services[action.name];
    const replica = action.replica ?? 1;
    const needService = (): Service => {
      if (!s) throw new Error(`bug: no service ${action.name} in the model for ${action.op}`);
      return s;
    };
    const salt = action.configSalt ?? null;
    const spec = () => ({ project, service: needService(), replica, configHash: action.configHash ?? serviceConfigHash(needService(), salt), configSalt: salt, surgeVersion: version });
    const name = action.containerName ?? (replica === 1 ? s?.container_name : null) ?? containerName(project.name, action.name, replica);
    switch (action.op) {
      case 'create':
        await createAndStart(this.api, spec(), name, ctx, !action.noStart);
        return;
      case 'recreate':
        if (!action.containerId) throw new Error(`bug: recreate of ${action.id} without a container id`);
        await replace(this.api, spec(), name, action.containerId, action.timeoutSeconds, ctx, !action.noStart);
        return;
      case 'start':
        if (action.renameFrom) await finishReplacement(this.api, spec(), name, action.containerId as string, ctx);
        else await start(this.api, project, needService(), action.containerId as string);
        return;
      case 'stop':
        await stop(this.api, action.containerId as string, action.timeoutSeconds, s, ctx.signal);
        return;
      case 'remove':
        await remove(this.api, action.containerId as string, action.timeoutSeconds, s, action.removeVolumes ?? false, ctx.signal);
        return;
      case 'update':
        return;
    }
  }

  waitFor(project: Project, service: string, condition: DependencyCondition, ctx: ActionContext): Promise<void> {
    return waitForService(this.api, project, service, condition, ctx);
  }

  async logs(_project: Project, containers: ObservedContainer[], options: LogOptions, onLine: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
    const { streamLogs } = await import('./logs.js');
    return streamLogs(await this.streams(), containers, options, onLine, signal);
  }

  async exec(_project: Project, container: ObservedContainer, command: string[], options: ExecOptions): Promise<number> {
    const { execIn } = await import('./exec-run.js');
    return execIn(await this.streams(), container, command, options);
  }

  async run(project: Project, service: Service, options: RunOptions): Promise<number> {
    const { runOneOff } = await import('./exec-run.js');
    // A one-off is never compared with the Boltfile: a fresh salt keeps its label's digests unlinkable all the same.
    const salt = newConfigSalt();
    return runOneOff(await this.streams(), project, service, options, surgeVersion(), serviceConfigHash(service, salt), salt);
  }

  async sync(_project: Project, container: ObservedContainer, copy: SyncEntry[], removePaths: string[]): Promise<void> {
    const { syncInto } = await import('./sync.js');
    return syncInto(await this.streams(), container, copy, removePaths);
  }

  kill(_project: Project, container: ObservedContainer, signal: string): Promise<void> {
    return killContainer(this.api, container, signal);
  }

  pause(_project: Project, container: ObservedContainer): Promise<void> {
    return pauseContainer(this.api, container);
  }

  unpause(_project: Project, container: ObservedContainer): Promise<void> {
    return unpauseContainer(this.api, container);
  }

  top(_project: Project, container: ObservedContainer): Promise<ProcessTable> {
    return topOfContainer(this.api, container);
  }

  async stats(project: Project, containers: ObservedContainer[], signal: AbortSignal): Promise<ResourceSample[]> {
    const { statsOfContainers } = await import('./stats.js');
    return statsOfContainers(this.api, project, containers, signal, this.api.endpoint.socketPath !== undefined);
  }

  waitExit(_project: Project, container: ObservedContainer, signal: AbortSignal): Promise<number | null> {
    return waitForContainer(this.api, container, signal);
  }

  images(_project: Project, containers: ObservedContainer[]): Promise<ImageInfo[]> {
    return imagesOf(this.api, containers);
  }

  async events(project: Project, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<void> {
    const { streamEvents } = await import('./events.js');
    return streamEvents(await this.streams(), project.name, onEvent, signal);
  }

  async copy(_project: Project, container: ObservedContainer, direction: 'toContainer' | 'fromContainer', source: string, destination: string): Promise<void> {
    const { copyFromContainer, copyToContainer } = await import('./copy.js');
    const docker = await this.streams();
    if (direction === 'toContainer') await copyToContainer(docker, container, source, destination);
    else await copyFromContainer(docker, container, source, destination);
  }

  listProjects(all: boolean): Promise<ProjectSummary[]> {
    return projectsOnEngine(this.api, all);
  }

  /**
   * On the engine, where the state lives (engine-lock.ts): one lock per project per engine, however it is reached.
   */
  lock(project: Project, request: LockRequest): Promise<HeldLock> {
    return acquireEngineLock(this.api, { ...request, project: project.name, ...(this.options.lockLeaseMs !== undefined ? { leaseMs: this.options.lockLeaseMs } : {}) });
  }

  async gpuOffer(): Promise<GpuOffer> {
    const info = await this.engineInfo();
    return { endpoint: info.endpoint, runtimes: info.runtimes, offers: gpuOffers(info.gpu) };
  }

  async report(): Promise<TargetReport> {
    const info = await this.engineInfo();
    const gpu = gpuOffers(info.gpu);
    return {
      reachable: true,
      endpoint: info.endpoint,
      lines: [
        { label: 'version', value: `${info.serverVersion}, API ${info.apiVersion}, ${info.os}` },
        { label: 'runtimes', value: `${info.runtimes.join(', ') || 'none'} (default ${info.defaultRuntime})` },
        {
          label: 'GPU',
          value: gpu.length
            ? `yes (${gpu.join(', ')})`
            : 'no NVIDIA runtime or CDI GPU devices, no nvidia device driver: GPU services cannot start here (install the NVIDIA Container Toolkit)',
        },
        { label: 'swarm', value: info.swarm },
      ],
    };
  }

  async engineInfo(): Promise<EngineInfo> {
    const [info, version] = await Promise.all([this.api.get<Record<string, unknown>>('/info'), this.api.get<Docker.DockerVersion>('/version')]);
    const runtimes = Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {}).sort();
    const cdi = ((info.CDISpecDirs as string[] | undefined) ?? []).length ? ((info.DiscoveredDevices as { Source?: string; ID?: string }[] | undefined) ?? []) : [];
    const swarm = (info.Swarm as { LocalNodeState?: string } | undefined)?.LocalNodeState ?? 'inactive';
    const endpoint = this.api.address;
    return {
      endpoint,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      os: `${String(info.OperatingSystem ?? version.Os)} (${version.Arch})`,
      runtimes,
      defaultRuntime: String(info.DefaultRuntime ?? 'runc'),
      gpu: {
        nvidiaRuntime: runtimes.includes('nvidia'),
        nvidiaHook: localNvidiaHook(endpoint),
        cdiDevices: cdi.filter((d) => d.Source === 'cdi' && /nvidia/i.test(d.ID ?? '')).map((d) => d.ID as string),
      },
      swarm: swarm || 'inactive',
    };
  }

  async close(): Promise<void> {
    // dockerode opens a connection per request with no keep-alive agent: only ours has sockets to release.
    this.api.close();
  }
}

/** What the engine offers GPU services, in words; empty when nothing. */
export function gpuOffers(support: EngineInfo['gpu']): string[] {
  return [
    support.nvidiaRuntime ? 'nvidia runtime' : '',
    support.nvidiaHook ? `nvidia device driver: ${support.nvidiaHook}` : '',
    ...support.cdiDevices,
  ].filter(Boolean);
}

/** A driver on the engine the environment names (DOCKER_HOST, else the local socket), once it answered a ping. */
export async function connectDocker(env: NodeJS.ProcessEnv = process.env): Promise<DockerDriver> {
  const lease = Number(env.SURGE_LOCK_LEASE);
  return new DockerDriver(await openEngine(env), env.SURGE_LOCK_LEASE && lease > 0 ? { lockLeaseMs: lease * 1000 } : {});
}
