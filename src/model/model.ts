// The normalized project model: every accepted Boltfile form collapses into exactly one shape here,
// so the planner, the drivers and `surge config` never see a variant.
import type { Sensitive } from './sensitive.js';
import type { DeviceMapping, ServiceNetwork, Ulimit, DeviceRequest, FileMount, ServiceHook, BlkioConfig, DeploySwarm, LoggingConfig, WatchRule, GpuSpec } from './service-parts.js';

export type * from './service-parts.js';

/** Where a service runs: a container on a Docker engine, a process on this host, or a service of a Docker Swarm. */
export type DriverKind = 'docker' | 'process' | 'swarm';

/** What a dependent waits for: the dependency started, healthy, or completed successfully (compose's conditions). */
export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** One `depends_on` entry: the condition to wait for, whether it is required, whether to restart with it. */
export interface Dependency {
  condition: DependencyCondition;
  required: boolean;
  /** compose's `restart`: restart this service when the dependency is recreated */
  restart: boolean;
}

/** A published port, normalized. */
export interface PortMapping {
  /** container port or range, e.g. "80" or "8000-8005" */
  target: string;
  /** host port or range; null lets the engine choose. A range onto one container port lets the engine pick one of them. */
  published: string | null;
  host_ip: string | null;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** compose's long form, kept for `config` and the Swarm target: a single engine publishes every port in host mode */
  mode?: 'host' | 'ingress';
  name?: string;
  app_protocol?: string;
}

/** A volume, bind or tmpfs mount of a service. */
export interface Mount {
  type: 'volume' | 'bind' | 'tmpfs' | 'image' | 'npipe';
  /** volume name (logical, as in the Boltfile), absolute host path, image reference, or null for anonymous volumes and tmpfs */
  source: string | null;
  target: string;
  read_only: boolean;
  /** the long form's options; absent when none is set (so they never disturb the config hash of a mount without them) */
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z'; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size_bytes?: number; mode?: number };
  image?: { subpath?: string };
  consistency?: string;
}

/** A service's healthcheck, normalized (durations in ms). */
export interface Healthcheck {
  /** compose form: ["CMD", …], ["CMD-SHELL", "…"] or ["NONE"] */
  test: string[];
  interval_ms: number | null;
  timeout_ms: number | null;
  start_period_ms: number | null;
  /** absent when not set: a field added after the config hash's golden form */
  start_interval_ms?: number;
  retries: number | null;
}

/** A service's `build`, normalized: context (absolute), Dockerfile, args, target, labels. */
export interface Build {
  /** absolute path */
  context: string;
  dockerfile: string | null;
  args: Record<string, string>;
  target: string | null;
  /** labels the built image carries (surge adds surge.project and surge.service) */
  labels: Record<string, string>;
  no_cache: boolean;
  /** images the builder may use as cache sources */
  cache_from: string[];
  /** more names the built image is tagged with, besides the service's image */
  tags: string[];
  /** network mode for RUN steps ("host", "none", a network name) */
  network: string | null;
  /** target platforms; the engine's classic builder builds one */
  platforms: string[];
  extra_hosts: string[];
  shm_size_bytes: number | null;
  pull: boolean;
  isolation: string | null;
  ulimits: Record<string, Ulimit>;
}

/** A service, normalized: what it runs, where, how it is reached, and the settings that decide its replicas. */
export interface Service {
  name: string;
  driver: DriverKind;
  image: string | null;
  build: Build | null;
  /** argv; a string in the Boltfile is split like compose (docker) or run through /bin/sh -c (process) */
  command: string[] | null;
  entrypoint: string[] | null;
  environment: Record<string, string>;
  depends_on: Record<string, Dependency>;
  ports: PortMapping[];
  volumes: Mount[];
  tmpfs: string[];
  healthcheck: Healthcheck | null;
  restart: string;
  labels: Record<string, string>;
  user: string | null;
  working_dir: string | null;
  privileged: boolean;
  devices: DeviceMapping[];
  cap_add: string[];
  cap_drop: string[];
  read_only: boolean;
  extra_hosts: string[];
  dns: string[];
  hostname: string | null;
  stop_signal: string | null;
  stop_grace_period_ms: number | null;
  replicas: number;
  /** CPUs, e.g. 1.5 */
  cpu_limit: number | null;
  memory_limit_bytes: number | null;
  networks: Record<string, ServiceNetwork>;
  gpu: GpuSpec | null;
  platform: string | null;
  develop: { watch: WatchRule[] } | null;

  // compose's keys beyond the ones above, with compose's meaning
  /** the service belongs to the project only when one of these profiles is active (empty: always) */
  profiles: string[];
  /** a fixed container name (one replica only) */
  container_name: string | null;
  /** container ports exposed without publishing, as "80/tcp" or "8000-8010/udp" */
  expose: string[];
  init: boolean | null;
  ulimits: Record<string, Ulimit>;
  sysctls: Record<string, string>;
  shm_size_bytes: number | null;
  /** "host", "none", "bridge", "service:NAME" or "container:NAME" (instead of joining networks) */
  network_mode: string | null;
  /** namespaces: "host", "service:NAME", "container:NAME", "private", "shareable", … as the engine reads them */
  pid: string | null;
  ipc: string | null;
  uts: string | null;
  userns_mode: string | null;
  /** cgroup namespace: "host" or "private" */
  cgroup: string | null;
  cgroup_parent: string | null;
  logging: LoggingConfig | null;
  security_opt: string[];
  stdin_open: boolean;
  tty: boolean;
  group_add: string[];
  /** always, never, missing, build, daily, weekly, every_<duration> (null: missing) */
  pull_policy: string | null;
  dns_search: string[];
  dns_opt: string[];
  domainname: string | null;
  mac_address: string | null;
  oom_score_adj: number | null;
  oom_kill_disable: boolean;
  mem_reservation_bytes: number | null;
  /** memory plus swap; -1 is unlimited swap */
  memswap_limit_bytes: number | null;
  mem_swappiness: number | null;
  cpu_shares: number | null;
  cpu_period: number | null;
  cpu_quota: number | null;
  cpu_rt_period: number | null;
  cpu_rt_runtime: number | null;
  cpu_count: number | null;
  cpu_percent: number | null;
  cpuset: string | null;
  pids_limit: number | null;
  blkio_config: BlkioConfig | null;
  device_cgroup_rules: string[];
  /** device requests other than the NVIDIA GPU request (`gpu` holds that one) */
  device_requests: DeviceRequest[];
  /** the container runtime (`gpu.runtime` sets it too) */
  runtime: string | null;
  storage_opt: Record<string, string>;
  isolation: string | null;
  annotations: Record<string, string>;
  /** "service:NAME[:ro|rw]" or "container:NAME[:ro|rw]" */
  volumes_from: string[];
  /** legacy links, "SERVICE[:ALIAS]" */
  links: string[];
  external_links: string[];
  secrets: FileMount[];
  configs: FileMount[];
  hooks: { pre_start: ServiceHook[]; post_start: ServiceHook[]; pre_stop: ServiceHook[] };
  deploy: DeploySwarm | null;
  /** mount the engine's API socket (compose's use_api_socket) */
  use_api_socket: boolean;
  /** false: `up --attach` does not stream this service's logs */
  attach: boolean;
}

/** A network of the project, normalized. */
export interface Network {
  name: string;
  driver: string;
  /** the QUIC flag: surge records it and shows it; the engine has no QUIC transport of its own */
  quic: boolean;
  encryption: boolean;
  subnet: string | null;
  gateway: string | null;
  internal: boolean;
  external: boolean;
  /** engine-side name for external networks */
  external_name: string | null;
  labels: Record<string, string>;
  /** compose's `name` for a network surge creates (null: <project>_<name>) */
  engine_name?: string;
  driver_opts?: Record<string, string>;
  attachable?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  ipam?: Ipam;
}

/** A network's IP address management: driver, subnets, gateways, options. */
export interface Ipam {
  driver: string | null;
  config: { subnet: string | null; gateway: string | null; ip_range: string | null; aux_addresses: Record<string, string> }[];
  options: Record<string, string>;
}

/** A top-level secret or config: where its content comes from. */
export interface FileSource {
  name: string;
  /** absolute host path (bind-mounted read-only, as compose does on a single engine) */
  file: string | null;
  /** the variable the content came from (secrets and configs) */
  environment: string | null;
  /** the content, for `environment` and inline `content`: copied into the container before it starts */
  content: Sensitive | null;
  external: boolean;
  /** compose's `name` (for external ones: the engine-side name) */
  external_name: string | null;
  labels: Record<string, string>;
}

/** A named volume of the project, normalized. */
export interface Volume {
  name: string;
  driver: string;
  driver_opts: Record<string, string>;
  labels: Record<string, string>;
  external: boolean;
  external_name: string | null;
  /** compose's `name` for a volume surge creates (null: <project>_<name>) */
  engine_name?: string;
}

/** A project, normalized: every accepted Boltfile form collapses into exactly this shape. */
export interface Project {
  name: string;
  /** folder of the first Boltfile; relative paths resolve against it */
  workingDir: string;
  files: string[];
  services: Record<string, Service>;
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  secrets: Record<string, FileSource>;
  configs: Record<string, FileSource>;
  /** services left out because none of their profiles is active: their containers are not orphans */
  disabled_services: string[];
  /** the active profiles */
  profiles: string[];
  /** present when the project targets a Docker Swarm (`driver = "swarm"`, `--driver swarm`, SURGE_DRIVER=swarm) */
  swarm?: SwarmTarget;
}

/** The project-wide Swarm settings (`[swarm]`): defaults for every service, and what happens to host processes. */
export interface SwarmTarget {
  /** how services are reached by name: "vip" (a virtual IP; needs IPVS on the nodes) or "dnsrr" (the tasks' own addresses) */
  endpoint_mode: 'vip' | 'dnsrr';
  /** host-process services: "error" (they cannot run on a Swarm) or "local" (kept on this machine on purpose) */
  host_processes: 'error' | 'local';
}

/** The network every container service joins unless it names its own: compose's `default`. */
export const DEFAULT_NETWORK = 'default';

/** A project that declares nothing (`down -p NAME` without a Boltfile, tests). */
export function emptyProject(name: string, workingDir: string): Project {
  return { name, workingDir, files: [], services: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, disabled_services: [], profiles: [] };
}
