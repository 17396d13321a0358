// The model → a Swarm ServiceSpec (Engine API 1.41), exactly as `POST /services/create` and `/services/{id}/update`
// take it. Pure, so the request body is unit-tested. The settings a Swarm adds (mode, endpoint, restart, update and
// rollback policies, placement, reservations) come resolved from swarmSettings(), the one place their defaults live.
import { newConfigSalt } from '../../model/config-hash.js';
import { canonicalSwarmConfig, swarmServiceName, swarmSettings, type SwarmUpdatePolicy } from '../../model/swarm-config.js';
import type { Mount, Project, Service } from '../../model/model.js';
import { LABEL, imageRef, networkEngineName, volumeEngineName } from '../../model/naming.js';

/** The labels surge reads back from a service: the state is the cluster, these are its schema. */
export const SWARM_LABEL = {
  /** the manager's local image id of the image when deployed: a rebuilt or re-pulled image updates the service */
  imageId: 'surge.image-id',
} as const;

export interface ServiceSpecContext {
  project: Project;
  service: Service;
  configHash: string;
  /** the secret-digest salt the plan hashed with (the action's); null: a fresh one (nothing compares it later) */
  configSalt: string | null;
  surgeVersion: string;
  /** the image to run: the reference, pinned to its registry digest when the manager knows one */
  image: string;
  /** the manager's local image id, recorded to see a rebuilt image */
  imageId: string | null;
  /** ForceUpdate: bumped to replace every task */
  forceUpdate: number;
  /** how its tasks mount the project's secrets and configs (the Swarm objects made for them) */
  files?: { Secrets: Record<string, unknown>[]; Configs: Record<string, unknown>[] };
}

export type ServiceSpec = Record<string, unknown> & { Name: string; Labels: Record<string, string>; TaskTemplate: Record<string, unknown>; Mode: Record<string, unknown> };

const NS_PER_MS = 1_000_000;
const ns = (ms: number | null | undefined): number | undefined => (ms === null || ms === undefined ? undefined : ms * NS_PER_MS);

/** Drops undefined and empty values, so the spec carries only what is set (the manager stores it as given). */
function clean<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

export function engineNetworkName(project: Project, name: string): string {
  const n = project.networks[name];
  if (n?.external) return n.external_name ?? n.name;
  return n?.engine_name ?? networkEngineName(project.name, name);
}

function engineVolumeName(project: Project, name: string): string {
  const v = project.volumes[name];
  if (v?.external) return v.external_name ?? v.name;
  return v?.engine_name ?? volumeEngineName(project.name, name);
}

const PROPAGATION = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

function mount(project: Project, m: Mount): Record<string, unknown> | null {
  switch (m.type) {
    case 'bind':
      return clean({
        Type: 'bind',
        Source: m.source ?? '',
        Target: m.target,
        ReadOnly: m.read_only || undefined,
        BindOptions: m.bind?.propagation && PROPAGATION.has(m.bind.propagation) ? { Propagation: m.bind.propagation } : undefined,
      });
    case 'tmpfs':
      return clean({ Type: 'tmpfs', Target: m.target, ReadOnly: m.read_only || undefined, TmpfsOptions: clean({ SizeBytes: m.tmpfs?.size_bytes, Mode: m.tmpfs?.mode }) });
    case 'volume': {
      if (m.source === null) return clean({ Type: 'volume', Target: m.target, ReadOnly: m.read_only || undefined, VolumeOptions: clean({ NoCopy: m.volume?.nocopy }) });
      const v = project.volumes[m.source];
      // Each node makes the volume when a task first mounts it, with these labels and driver: surge finds it by them.
      const options = v?.external
        ? clean({ NoCopy: m.volume?.nocopy })
        : clean({
            NoCopy: m.volume?.nocopy,
            Labels: { ...(v?.labels ?? {}), [LABEL.project]: project.name, [LABEL.volume]: m.source },
            DriverConfig: v && (v.driver !== 'local' || Object.keys(v.driver_opts).length) ? clean({ Name: v.driver, Options: v.driver_opts }) : undefined,
          });
      return clean({ Type: 'volume', Source: engineVolumeName(project, m.source), Target: m.target, ReadOnly: m.read_only || undefined, VolumeOptions: options });
    }
    default:
      return null;
  }
}

/** `tmpfs = ["/run:size=64m"]`: the path, and the size when given in bytes or with a k/m/g suffix. */
function tmpfsEntry(entry: string): Record<string, unknown> {
  const colon = entry.indexOf(':');
  const target = colon < 0 ? entry : entry.slice(0, colon);
  const options = colon < 0 ? '' : entry.slice(colon + 1);
  const size = /(?:^|,)size=(\d+)([kmg]?)/i.exec(options);
  const mult: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  const mode = /(?:^|,)mode=([0-7]+)/.exec(options);
  return clean({
    Type: 'tmpfs',
    Target: target,
    TmpfsOptions: clean({ SizeBytes: size ? Number(size[1]) * (mult[(size[2] ?? '').toLowerCase()] ?? 1) : undefined, Mode: mode ? parseInt(mode[1] as string, 8) : undefined }),
  });
}

/** compose's extra_hosts "host:ip" (or "host=ip") → the Swarm's "ip host". */
export function swarmHosts(extraHosts: string[]): string[] {
  return extraHosts.map((h) => {
    const at = h.search(/[:=]/);
    return at < 0 ? h : `${h.slice(at + 1)} ${h.slice(0, at)}`;
  });
}

function updateConfig(u: SwarmUpdatePolicy): Record<string, unknown> {
  return clean({
    Parallelism: u.parallelism,
    Delay: ns(u.delayMs),
    FailureAction: u.failureAction,
    Monitor: ns(u.monitorMs),
    MaxFailureRatio: u.maxFailureRatio ?? undefined,
    Order: u.order,
  });
}

function platform(text: string | null): { OS: string; Architecture: string }[] {
  if (!text) return [];
  const [os, arch] = text.split('/');
  return os && arch ? [{ OS: os, Architecture: arch }] : [];
}

function modeSpec(mode: string, replicas: number): Record<string, unknown> {
  switch (mode) {
    case 'global':
      return { Global: {} };
    case 'global-job':
      return { GlobalJob: {} };
    case 'replicated-job':
      return { ReplicatedJob: { MaxConcurrent: Math.max(1, replicas), TotalCompletions: replicas } };
    default:
      return { Replicated: { Replicas: replicas } };
  }
}

export function serviceLabels(ctx: ServiceSpecContext): Record<string, string> {
  const { project, service: s } = ctx;
  return {
    ...(s.deploy?.labels ?? {}),
    [LABEL.project]: project.name,
    [LABEL.service]: s.name,
    [LABEL.configHash]: ctx.configHash,
    [LABEL.config]: JSON.stringify(canonicalSwarmConfig(project, s, ctx.configSalt ?? newConfigSalt())),
    [LABEL.version]: ctx.surgeVersion,
    [LABEL.workingDir]: project.workingDir,
    ...(ctx.imageId ? { [SWARM_LABEL.imageId]: ctx.imageId } : {}),
  };
}

export function serviceSpec(ctx: ServiceSpecContext): ServiceSpec {
  const { project, service: s } = ctx;
  const w = swarmSettings(project, s);
  const h = s.healthcheck;
  const containerSpec = clean({
    Image: ctx.image,
    // Not surge's labels: a Docker driver on the same engine must not take a task's container for one of its own.
    Labels: s.labels,
    Command: s.entrypoint ?? undefined,
    Args: s.command ?? undefined,
    Hostname: s.hostname ?? undefined,
    Env: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`),
    Dir: s.working_dir ?? undefined,
    User: s.user ?? undefined,
    Groups: s.group_add,
    TTY: s.tty || undefined,
    OpenStdin: s.stdin_open || undefined,
    ReadOnly: s.read_only || undefined,
    Mounts: [...s.volumes.map((m) => mount(project, m)).filter((m): m is Record<string, unknown> => m !== null), ...s.tmpfs.map(tmpfsEntry)],
    StopSignal: s.stop_signal ?? undefined,
    StopGracePeriod: ns(s.stop_grace_period_ms),
    HealthCheck: h
      ? clean({ Test: h.test, Interval: ns(h.interval_ms), Timeout: ns(h.timeout_ms), StartPeriod: ns(h.start_period_ms), Retries: h.retries ?? undefined })
      : undefined,
    Hosts: swarmHosts(s.extra_hosts),
    DNSConfig: clean({ Nameservers: s.dns, Search: s.dns_search, Options: s.dns_opt }),
    Isolation: s.isolation ?? undefined,
    Init: s.init ?? undefined,
    Sysctls: s.sysctls,
    CapabilityAdd: s.cap_add,
    CapabilityDrop: s.cap_drop,
    Ulimits: Object.entries(s.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard })),
    Secrets: ctx.files?.Secrets,
    Configs: ctx.files?.Configs,
  });
  const taskTemplate = clean({
    ContainerSpec: containerSpec,
    Resources: clean({
      Limits: clean({ NanoCPUs: w.limits.nanoCpus ?? undefined, MemoryBytes: w.limits.memoryBytes ?? undefined, Pids: w.limits.pids ?? undefined }),
      Reservations: clean({
        NanoCPUs: w.reservations.nanoCpus ?? undefined,
        MemoryBytes: w.reservations.memoryBytes ?? undefined,
        GenericResources: w.reservations.generic.map((g) =>
          typeof g.value === 'number' ? { DiscreteResourceSpec: { Kind: g.kind, Value: g.value } } : { NamedResourceSpec: { Kind: g.kind, Value: g.value } },
        ),
      }),
    }),
    RestartPolicy: clean({ Condition: w.restart.condition, Delay: ns(w.restart.delayMs), MaxAttempts: w.restart.maxAttempts ?? undefined, Window: ns(w.restart.windowMs) }),
    Placement: clean({
      Constraints: w.placement.constraints,
      Preferences: w.placement.preferences.map((p) => ({ Spread: { SpreadDescriptor: p } })),
      MaxReplicas: w.placement.maxReplicasPerNode ?? undefined,
      Platforms: platform(s.platform),
    }),
    Networks: Object.entries(s.networks).map(([name, n]) =>
      clean({ Target: engineNetworkName(project, name), Aliases: [s.name, ...n.aliases], DriverOpts: n.driver_opts }),
    ),
    LogDriver: s.logging?.driver ? clean({ Name: s.logging.driver, Options: s.logging.options }) : undefined,
    ForceUpdate: ctx.forceUpdate,
  });
  const jobs = w.mode.endsWith('-job');
  return clean({
    Name: swarmServiceName(project.name, s.name),
    Labels: serviceLabels(ctx),
    TaskTemplate: taskTemplate,
    Mode: modeSpec(w.mode, w.replicas),
    // Jobs run to completion: a Swarm takes no update or rollback policy for them.
    UpdateConfig: jobs ? undefined : updateConfig(w.update),
    RollbackConfig: jobs || !w.rollback ? undefined : updateConfig(w.rollback),
    EndpointSpec: clean({
      Mode: w.endpointMode,
      Ports: w.ports.map((p) => clean({ Protocol: p.protocol, TargetPort: p.target, PublishedPort: p.published ?? undefined, PublishMode: p.mode })),
    }),
  }) as ServiceSpec;
}

/** The image a service runs on a Swarm: its reference, pinned to a registry digest when there is one. */
export function pinnedImage(project: Project, s: Service, digest: string | null): string {
  const ref = imageRef(project, s);
  if (!digest || ref.includes('@')) return ref;
  return `${ref}@${digest}`;
}
