// The parts a normalized service is made of that are not services themselves: devices, networks it joins, limits,
// secrets it mounts, hooks, log and Swarm settings, develop.watch rules, GPUs. Split from model.ts by what they hold;
// model.ts re-exports them, so importers keep one entry point.
import type { Sensitive } from './sensitive.js';

/** A host device given to a container. */
export interface DeviceMapping {
  source: string;
  target: string;
  permissions: string;
}

/** A service's membership of one network. */
export interface ServiceNetwork {
  aliases: string[];
  /** the long form's settings; absent when not set */
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  /** the network the container joins first is the one with the highest priority (compose's rule) */
  priority?: number;
  gw_priority?: number;
  interface_name?: string;
  driver_opts?: Record<string, string>;
}

/** One `ulimits` entry: soft and hard limits of a resource. */
export interface Ulimit {
  soft: number;
  hard: number;
}

/** A device request as the engine takes it (GPUs of vendors other than NVIDIA, CDI devices, other drivers). */
export interface DeviceRequest {
  driver: string | null;
  /** -1: all */
  count: number | null;
  device_ids: string[];
  capabilities: string[];
  options: Record<string, string>;
}

/** A secret or config a service mounts: where, and as whom. */
export interface FileMount {
  /** the top-level secret/config name */
  source: string;
  /** absolute path in the container (secrets: /run/secrets/<target>; configs: /<target>) */
  target: string;
  uid: string | null;
  gid: string | null;
  /** file mode, e.g. 0o444 */
  mode: number | null;
  /** the host file a file-based one is bind-mounted from */
  file: string | null;
  /** the content an environment or inline one is copied in with, before the container starts */
  content?: Sensitive;
}

/** A command run in the service's container at a point of its life (compose's post_start / pre_stop / pre_start). */
export interface ServiceHook {
  command: string[];
  user: string | null;
  privileged: boolean;
  working_dir: string | null;
  environment: Record<string, string>;
  /** pre_start only: the image the hook runs in (null: the service's) */
  image?: string | null;
}

/** Block-IO weights and limits (compose's `blkio_config`). */
export interface BlkioConfig {
  weight: number | null;
  weight_device: { path: string; weight: number }[];
  device_read_bps: { path: string; rate: number }[];
  device_write_bps: { path: string; rate: number }[];
  device_read_iops: { path: string; rate: number }[];
  device_write_iops: { path: string; rate: number }[];
}

/** The Swarm-only parts of compose's `deploy`, kept for the Swarm target; a single engine does not apply them. */
export interface DeploySwarm {
  mode: string | null;
  endpoint_mode: string | null;
  labels: Record<string, string>;
  placement: { constraints: string[]; preferences: { spread: string }[]; max_replicas_per_node: number | null } | null;
  update_config: UpdateConfig | null;
  rollback_config: UpdateConfig | null;
  /** restart_policy beyond the condition and attempts a single engine applies */
  restart_policy: { condition: string | null; delay_ms: number | null; max_attempts: number | null; window_ms: number | null } | null;
  /** resources.reservations.cpus: a scheduling hint only Swarm uses */
  cpu_reservation: number | null;
  generic_resources: { kind: string; value: number }[];
}

/** How Swarm rolls out an update or a rollback (compose's `deploy.update_config` / `rollback_config`). */
export interface UpdateConfig {
  parallelism: number | null;
  delay_ms: number | null;
  failure_action: string | null;
  monitor_ms: number | null;
  max_failure_ratio: number | null;
  order: string | null;
}

/** The log driver of a container and its options. */
export interface LoggingConfig {
  driver: string | null;
  options: Record<string, string>;
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
  /** N GPUs of the engine's choosing (compose's `count`); absent: `devices` says which */
  count?: number;
  /** settings the engine cannot enforce; reported by plan/up */
  unenforced: string[];
}
