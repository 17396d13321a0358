// The normalized project model: every accepted Boltfile form collapses into exactly one shape here,
// so the planner, the drivers and `surge config` never see a variant.

/** Where a service runs: a container on a Docker engine, or a process on this host. */
export type DriverKind = 'docker' | 'process';

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
  /** host port or range; null lets the engine choose */
  published: string | null;
  host_ip: string | null;
  protocol: 'tcp' | 'udp';
}

/** A volume, bind or tmpfs mount of a service. */
export interface Mount {
  type: 'volume' | 'bind' | 'tmpfs';
  /** volume name (logical, as in the Boltfile), absolute host path, or null for anonymous volumes and tmpfs */
  source: string | null;
  target: string;
  read_only: boolean;
}

/** A service's healthcheck, normalized (durations in ms). */
export interface Healthcheck {
  /** compose form: ["CMD", …], ["CMD-SHELL", "…"] or ["NONE"] */
  test: string[];
  interval_ms: number | null;
  timeout_ms: number | null;
  start_period_ms: number | null;
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
}

/** A host device given to a container. */
export interface DeviceMapping {
  source: string;
  target: string;
  permissions: string;
}

/** A service's membership of one network. */
export interface ServiceNetwork {
  aliases: string[];
}

/** What a develop.watch rule does with a changed file (compose's actions). */
export type WatchAction = 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';

/** One develop.watch rule: the path, the action, the target in the container, what to ignore. */
export interface WatchRule {
  /** absolute path */
  path: string;
  action: WatchAction;
  target: string | null;
  ignore: string[];
  /** sync rules: copy the whole path into the container when watching starts (compose's initial_sync) */
  initial_sync: boolean;
  /** sync+exec: what runs in each container after a sync, as whom and where (null: the container's defaults) */
  exec: { command: string[]; user: string | null; working_dir: string | null } | null;
}

/** An NVIDIA driver capability a GPU service asks for. */
export type GpuCapability = 'compute' | 'utility' | 'graphics' | 'video' | 'display' | 'compat32';

/**
 * A service's GPU request, normalized from `gpu`: devices, capabilities, runtime, and the settings an engine cannot
 * enforce.
 */
export interface GpuSpec {
  vendor: 'nvidia';
  /** "all" or explicit device ids/indices as strings */
  devices: 'all' | string[];
  capabilities: GpuCapability[];
  runtime: string | null;
  isolation: 'shared' | 'exclusive' | 'virtual' | null;
  memory_limit_bytes: number | null;
  power_limit_watts: number | null;
  workload: 'gaming' | 'ai-ml' | null;
  profile: 'ml-training' | 'gaming' | 'inference' | null;
  dlss: boolean | null;
  raytracing: boolean | null;
  /** settings the engine cannot enforce; reported by plan/up */
  unenforced: string[];
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
}

/** A named volume of the project, normalized. */
export interface Volume {
  name: string;
  driver: string;
  driver_opts: Record<string, string>;
  labels: Record<string, string>;
  external: boolean;
  external_name: string | null;
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
}

/** The network every container service joins unless it names its own: compose's `default`. */
export const DEFAULT_NETWORK = 'default';
