// The model → the engine's container create request. Pure, so the exact request body is unit-tested.
import type Docker from 'dockerode';
import { canonicalServiceConfig } from '../../model/config-hash.js';
import type { PortMapping, Project, Service } from '../../model/model.js';
import { imageRef } from '../../model/naming.js';
import { LABEL, networkEngineName, volumeEngineName } from '../../model/naming.js';

export interface SpecContext {
  project: Project;
  service: Service;
  replica: number;
  configHash: string;
  /** the salt `configHash` was computed with (Action.configSalt); null or absent: the legacy form */
  configSalt?: string | null;
  surgeVersion: string;
  oneoff?: boolean;
  /** anonymous volumes of a replaced container, target → volume name */
  carriedVolumes?: Record<string, string>;
}

function range(text: string): number[] {
  const [a, b] = text.split('-').map(Number) as [number, number | undefined];
  const out: number[] = [];
  for (let p = a; p <= (b ?? a); p++) out.push(p);
  return out;
}

/** ExposedPorts and PortBindings; ranges expand per port. */
export function portBindings(ports: PortMapping[]): { exposed: Record<string, object>; bindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    const targets = range(p.target);
    const published = p.published === null ? null : range(p.published);
    targets.forEach((t, i) => {
      const key = `${t}/${p.protocol}`;
      exposed[key] = {};
      const hostPort = published === null ? '' : published.length === 1 ? String(published[0]) : String(published[i] ?? '');
      (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: hostPort });
    });
  }
  return { exposed, bindings };
}

function restartPolicy(restart: string): { Name: string; MaximumRetryCount?: number } {
  const m = /^on-failure(?::(\d+))?$/.exec(restart);
  if (m) return m[1] ? { Name: 'on-failure', MaximumRetryCount: Number(m[1]) } : { Name: 'on-failure' };
  return { Name: restart };
}

const NS_PER_MS = 1_000_000;

function healthcheck(s: Service): Docker.ContainerCreateOptions['Healthcheck'] {
  const h = s.healthcheck;
  if (!h) return undefined;
  const out: Record<string, unknown> = { Test: h.test };
  if (h.interval_ms !== null) out.Interval = h.interval_ms * NS_PER_MS;
  if (h.timeout_ms !== null) out.Timeout = h.timeout_ms * NS_PER_MS;
  if (h.start_period_ms !== null) out.StartPeriod = h.start_period_ms * NS_PER_MS;
  if (h.retries !== null) out.Retries = h.retries;
  return out as Docker.ContainerCreateOptions['Healthcheck'];
}

export function containerLabels(ctx: SpecContext): Record<string, string> {
  return {
    ...ctx.service.labels,
    [LABEL.project]: ctx.project.name,
    [LABEL.service]: ctx.service.name,
    [LABEL.replica]: String(ctx.replica),
    [LABEL.configHash]: ctx.configHash,
    [LABEL.config]: JSON.stringify(canonicalServiceConfig(ctx.service, ctx.configSalt ?? null)),
    [LABEL.oneoff]: ctx.oneoff ? 'true' : 'false',
    [LABEL.version]: ctx.surgeVersion,
    [LABEL.workingDir]: ctx.project.workingDir,
  };
}

export function engineNetworkName(project: Project, name: string): string {
  const n = project.networks[name];
  return n?.external ? (n.external_name ?? n.name) : networkEngineName(project.name, name);
}

export function containerCreateOptions(ctx: SpecContext, name: string): Docker.ContainerCreateOptions {
  const { project, service: s } = ctx;
  const { exposed, bindings } = portBindings(s.ports);
  const mounts: NonNullable<Docker.HostConfig['Mounts']> = [];
  // Bind mounts go through Binds, like `docker run -v`: the engine creates a missing host folder, as compose users expect.
  const binds: string[] = [];
  for (const m of s.volumes) {
    if (m.type === 'tmpfs') mounts.push({ Type: 'tmpfs', Source: '', Target: m.target });
    else if (m.type === 'bind') binds.push(`${m.source}:${m.target}${m.read_only ? ':ro' : ''}`);
    else if (m.source === null) {
      const carried = ctx.carriedVolumes?.[m.target];
      mounts.push(carried ? { Type: 'volume', Source: carried, Target: m.target, ReadOnly: m.read_only } : { Type: 'volume', Source: '', Target: m.target, ReadOnly: m.read_only });
    } else {
      const v = project.volumes[m.source];
      const source = v?.external ? (v.external_name ?? v.name) : volumeEngineName(project.name, m.source);
      mounts.push({ Type: 'volume', Source: source, Target: m.target, ReadOnly: m.read_only });
    }
  }
  // Anonymous volumes that came from the image (not declared in the Boltfile) are carried over too.
  for (const [target, volume] of Object.entries(ctx.carriedVolumes ?? {})) {
    if (!s.volumes.some((m) => m.target === target)) mounts.push({ Type: 'volume', Source: volume, Target: target });
  }
  const host: Docker.HostConfig = {
    PortBindings: bindings,
    Binds: binds,
    Mounts: mounts,
    RestartPolicy: restartPolicy(s.restart),
    Privileged: s.privileged,
    ReadonlyRootfs: s.read_only,
    CapAdd: s.cap_add,
    CapDrop: s.cap_drop,
    Devices: s.devices.map((d) => ({ PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions })),
    ExtraHosts: s.extra_hosts,
    Dns: s.dns,
    Tmpfs: Object.fromEntries(s.tmpfs.map((t) => {
      const colon = t.indexOf(':');
      return colon < 0 ? [t, ''] : [t.slice(0, colon), t.slice(colon + 1)];
    })),
  };
  if (s.memory_limit_bytes !== null) host.Memory = s.memory_limit_bytes;
  if (s.cpu_limit !== null) host.NanoCpus = Math.round(s.cpu_limit * 1e9);
  if (s.gpu) {
    const request: Docker.DeviceRequest = { Driver: 'nvidia', Capabilities: [[...s.gpu.capabilities, 'gpu']] };
    if (s.gpu.devices === 'all') request.Count = -1;
    else request.DeviceIDs = s.gpu.devices;
    host.DeviceRequests = [request];
    if (s.gpu.runtime) host.Runtime = s.gpu.runtime;
  }
  const networks = Object.keys(s.networks);
  const first = networks[0];
  const options: Docker.ContainerCreateOptions = {
    name,
    Image: imageRef(project, s),
    Env: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels(ctx),
    ExposedPorts: exposed,
    HostConfig: host,
  };
  if (s.command) options.Cmd = s.command;
  if (s.entrypoint) options.Entrypoint = s.entrypoint;
  if (s.user !== null) options.User = s.user;
  if (s.working_dir !== null) options.WorkingDir = s.working_dir;
  if (s.hostname !== null) options.Hostname = s.hostname;
  if (s.stop_signal !== null) options.StopSignal = s.stop_signal;
  if (s.stop_grace_period_ms !== null) options.StopTimeout = Math.ceil(s.stop_grace_period_ms / 1000);
  const hc = healthcheck(s);
  if (hc) options.Healthcheck = hc;
  if (s.platform !== null) options.platform = s.platform;
  if (first) {
    host.NetworkMode = engineNetworkName(project, first);
    options.NetworkingConfig = {
      EndpointsConfig: { [engineNetworkName(project, first)]: { Aliases: [s.name, ...(s.networks[first]?.aliases ?? [])] } },
    };
  }
  return options;
}
