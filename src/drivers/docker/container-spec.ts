// The model → the engine's container create request. Pure (but for reading a seccomp profile), so the exact request
// body is unit-tested. HostConfig's parts are in container-host.ts, the network wiring in container-endpoints.ts.
import type Docker from 'dockerode';
import { canonicalServiceConfig } from '../../model/config-hash.js';
import type { Project, Service } from '../../model/model.js';
import { imageRef, LABEL } from '../../model/naming.js';
import { endpointSettings, engineNetworkName, namespaceMode } from './container-endpoints.js';
import { hostSettings, mounts, portBindings, type HostConfig } from './container-host.js';

export { engineNetworkName } from './container-endpoints.js';
export { portBindings } from './container-host.js';

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

function restartPolicy(restart: string): { Name: string; MaximumRetryCount?: number } {
  const m = /^on-failure(?::(\d+))?$/.exec(restart);
  if (m) return m[1] ? { Name: 'on-failure', MaximumRetryCount: Number(m[1]) } : { Name: 'on-failure' };
  return { Name: restart };
}

const NS_PER_MS = 1_000_000;

function nonEmpty<K extends string, T>(key: K, list: T[]): Partial<Record<K, T[]>> {
  return list.length ? ({ [key]: list } as Record<K, T[]>) : {};
}

function healthcheck(s: Service): Docker.ContainerCreateOptions['Healthcheck'] {
  const h = s.healthcheck;
  if (!h) return undefined;
  const out: Record<string, unknown> = { Test: h.test };
  if (h.interval_ms !== null) out.Interval = h.interval_ms * NS_PER_MS;
  if (h.timeout_ms !== null) out.Timeout = h.timeout_ms * NS_PER_MS;
  if (h.start_period_ms !== null) out.StartPeriod = h.start_period_ms * NS_PER_MS;
  if (h.start_interval_ms !== undefined) out.StartInterval = h.start_interval_ms * NS_PER_MS;
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
    ...(ctx.project.files.length ? { [LABEL.configFiles]: ctx.project.files.join(',') } : {}),
  };
}

export function containerCreateOptions(ctx: SpecContext, name: string): Docker.ContainerCreateOptions {
  const { project, service: s } = ctx;
  const { exposed, bindings } = portBindings(s.ports, s.expose);
  const m = mounts(project, s, ctx.carriedVolumes);
  const host: HostConfig = {
    PortBindings: bindings,
    // Bind mounts go through Binds, like `docker run -v`: the engine creates a missing host folder, as compose users expect.
    Binds: m.binds,
    Mounts: m.mounts as Docker.MountConfig,
    RestartPolicy: restartPolicy(s.restart),
    Privileged: s.privileged,
    ReadonlyRootfs: s.read_only,
    // Lists the service leaves empty are not sent, as compose sends none: the engine shows null, not [].
    ...nonEmpty('CapAdd', s.cap_add),
    ...nonEmpty('CapDrop', s.cap_drop),
    ...nonEmpty('Devices', s.devices.map((d) => ({ PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions }))),
    ...nonEmpty('ExtraHosts', s.extra_hosts),
    ...nonEmpty('Dns', s.dns),
    Tmpfs: Object.fromEntries(s.tmpfs.map((t) => {
      const colon = t.indexOf(':');
      return colon < 0 ? [t, ''] : [t.slice(0, colon), t.slice(colon + 1)];
    })),
    ...hostSettings(project, s),
  };
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
  if (s.domainname !== null) options.Domainname = s.domainname;
  if (s.stop_signal !== null) options.StopSignal = s.stop_signal;
  if (s.stop_grace_period_ms !== null) options.StopTimeout = Math.ceil(s.stop_grace_period_ms / 1000);
  if (s.tty) options.Tty = true;
  if (s.stdin_open) options.OpenStdin = true;
  const hc = healthcheck(s);
  if (hc) options.Healthcheck = hc;
  if (s.platform !== null) options.platform = s.platform;
  if (s.network_mode !== null) {
    host.NetworkMode = namespaceMode(project, s.network_mode) as string;
    // The default bridge is the one network legacy links work on without an endpoint of their own.
    if (s.network_mode === 'bridge' && s.external_links.length) host.Links = s.external_links;
    if (s.mac_address) options.MacAddress = s.mac_address;
    return options;
  }
  const first = Object.keys(s.networks)[0];
  if (first) {
    const endpoint = endpointSettings(project, s, first, true);
    host.NetworkMode = engineNetworkName(project, first);
    options.NetworkingConfig = { EndpointsConfig: { [engineNetworkName(project, first)]: endpoint } };
    // Engines before API 1.44 read the MAC address of the first network from the container's config only.
    if (endpoint.MacAddress) options.MacAddress = endpoint.MacAddress;
  }
  return options;
}
