// The Boltfile as written: every form the seeds and the real Boltfiles in the wild use. This zod schema is the
// single source of the accepted keys: validation, "did you mean" suggestions, the warnings for Bolt-ecosystem keys
// and schemas/boltfile.schema.json are all derived from it. Turning forms into one shape is normalize.ts's job.
import { z } from 'zod';

/** Marks a key the wider Bolt ecosystem uses and surge loads without applying (one warning each). */
export const ECOSYSTEM = 'x-surge-ecosystem';

function eco(what: string): z.ZodOptional<z.ZodUnknown> {
  return z.unknown().optional().meta({ description: `Bolt ecosystem (${what}): loaded, not applied by surge`, [ECOSYSTEM]: true });
}

function ecoKeys(keys: readonly string[], what: string): Record<string, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(keys.map((k) => [k, eco(what)]));
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const stringList = z.array(z.string());
const stringOrList = z.union([z.string(), stringList]);
/** "1s", "500ms", "1m30s", or integer seconds */
const duration = z.union([z.string(), z.number()]).meta({ description: 'duration: "1s", "500ms", "1m30s" or seconds' });
/** "512m", "4Gi", "8GB", or bytes */
const byteSize = z.union([z.string(), z.number()]).meta({ description: 'size: "512m", "4Gi", "8GB" or bytes' });
/** inline table, sub-table or dotted keys: { K = "v" }; or an array of "K=V" */
const keyValues = z.union([z.record(z.string(), scalar), z.array(z.string())]);

/** compose's long form of an env_file entry */
const envFileEntry = z.strictObject({
  path: z.string(),
  required: z.boolean().optional(),
  format: z.string().optional(),
});

const dependsOnEntry = z.strictObject({
  condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']).optional(),
  required: z.boolean().optional(),
  restart: z.boolean().optional(),
});

const portLong = z.strictObject({
  target: z.union([z.number(), z.string()]),
  published: z.union([z.number(), z.string()]).optional(),
  host_ip: z.string().optional(),
  protocol: z.enum(['tcp', 'udp']).optional(),
  mode: z.string().optional(),
});

const volumeLong = z.strictObject({
  type: z.enum(['volume', 'bind', 'tmpfs']).optional(),
  source: z.string().optional(),
  target: z.string(),
  read_only: z.boolean().optional(),
  volume: z.strictObject({ nocopy: z.boolean().optional() }).optional(),
  bind: z.strictObject({ create_host_path: z.boolean().optional(), propagation: z.string().optional() }).optional(),
  tmpfs: z.strictObject({ size: byteSize.optional(), mode: z.number().optional() }).optional(),
});

const healthcheck = z.strictObject({
  test: stringOrList.optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  start_period: duration.optional(),
  start_interval: duration.optional(),
  retries: z.number().int().min(0).optional(),
  disable: z.boolean().optional(),
});

const build = z.union([
  z.string(),
  z.strictObject({
    context: z.string().optional(),
    dockerfile: z.string().optional(),
    args: keyValues.optional(),
    target: z.string().optional(),
    labels: keyValues.optional(),
    no_cache: z.boolean().optional(),
  }),
]);

const gpuIds = z.union([z.number().int(), z.string(), z.array(z.union([z.number().int(), z.string()]))]);

const nvidia = z.union([
  z.boolean(),
  z.strictObject({
    device: z.union([z.number().int(), z.string()]).optional(),
    devices: gpuIds.optional(),
    count: z.union([z.number().int(), z.literal('all')]).optional(),
    capabilities: stringList.optional(),
    dlss: z.boolean().optional(),
    raytracing: z.boolean().optional(),
    cuda: z.boolean().optional(),
    power_limit: z.number().min(0).optional(),
    ...ecoKeys(['reflex', 'memory_clock_offset', 'core_clock_offset'], 'GPU tuning'),
  }),
]);

const gpu = z.strictObject({
  nvidia: nvidia.optional(),
  devices: gpuIds.optional(),
  capabilities: stringList.optional(),
  isolation_level: z.enum(['shared', 'exclusive', 'virtual']).optional(),
  isolation: z.enum(['shared', 'exclusive', 'virtual']).optional(),
  memory_limit: byteSize.optional(),
  power_limit: z.number().min(0).optional(),
  runtime: z.string().optional(),
  profile: z.enum(['ml-training', 'gaming', 'inference']).optional(),
  ...ecoKeys(
    [
      'amd',
      'driver',
      'runtime_preference',
      'passthrough',
      'wsl2_optimized',
      'gaming',
      'aiml',
      'hpc',
      'capsule',
      'cdi',
      'compute_mode',
      'boost_clocks',
      'max_performance',
      'power_management',
      'memory_clock',
      'shader_cache_enabled',
      'vulkan_layers',
    ],
    'GPU runtime',
  ),
});

const gaming = z.strictObject({
  dlss_enabled: z.boolean().optional(),
  raytracing_enabled: z.boolean().optional(),
  performance_profile: z.string().optional(),
  wine_proton_enabled: z.boolean().optional(),
  vrs_enabled: z.boolean().optional(),
  ...ecoKeys(['gpu', 'audio', 'wine', 'performance', 'profile', 'wine_optimizations'], 'gaming runtime'),
});

const aiml = z.strictObject({
  cuda_cache_mb: z.number().int().min(0).optional(),
  tensor_cores_enabled: z.boolean().optional(),
  mixed_precision_enabled: z.boolean().optional(),
  memory_pool_size: byteSize.optional(),
  mig_enabled: z.boolean().optional(),
});

const watchRule = z.strictObject({
  path: z.string(),
  action: z.enum(['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec']),
  target: z.string().optional(),
  ignore: stringOrList.optional(),
  exec: z.strictObject({ command: stringOrList, user: z.string().optional(), working_dir: z.string().optional() }).optional(),
  initial_sync: z.boolean().optional(),
});

const serviceNetworkTable = z.strictObject({
  quic_enabled: z.boolean().optional(),
  enable_quic: z.boolean().optional(),
  ports: z.array(z.union([z.string(), z.number(), portLong])).optional(),
  ...ecoKeys(['driver', 'subnet', 'low_latency', 'bandwidth_optimization', 'performance_mode', 'priority'], 'Bolt networking'),
});

export const serviceSchema = z.strictObject({
  image: z.string().optional(),
  build: build.optional(),
  driver: z.enum(['docker', 'process']).optional(),
  command: stringOrList.optional(),
  entrypoint: stringOrList.optional(),
  environment: keyValues.optional(),
  env: keyValues.optional(),
  env_file: z.union([z.string(), z.array(z.union([z.string(), envFileEntry]))]).optional(),
  depends_on: z.union([stringList, z.record(z.string(), dependsOnEntry)]).optional(),
  ports: z.array(z.union([z.string(), z.number(), portLong])).optional(),
  volumes: z.union([z.array(z.union([z.string(), volumeLong])), z.record(z.string(), z.string())]).optional(),
  healthcheck: healthcheck.optional(),
  health: healthcheck.optional(),
  restart: z.string().optional(),
  labels: keyValues.optional(),
  user: z.union([z.string(), z.number()]).optional(),
  working_dir: z.string().optional(),
  privileged: z.boolean().optional(),
  devices: z.array(z.string()).optional(),
  cap_add: stringList.optional(),
  cap_drop: stringList.optional(),
  capabilities: z.strictObject({ add: stringList.optional(), drop: stringList.optional() }).optional(),
  read_only: z.boolean().optional(),
  tmpfs: stringOrList.optional(),
  extra_hosts: z.union([stringList, z.record(z.string(), z.string())]).optional(),
  dns: stringOrList.optional(),
  hostname: z.string().optional(),
  stop_signal: z.string().optional(),
  stop_grace_period: duration.optional(),
  replicas: z.number().int().min(0).optional(),
  cpu_limit: z.union([z.number(), z.string()]).optional(),
  memory_limit: byteSize.optional(),
  cpus: z.union([z.number(), z.string()]).optional(),
  mem_limit: byteSize.optional(),
  networks: z.union([stringList, z.record(z.string(), z.strictObject({ aliases: stringList.optional() }))]).optional(),
  network: serviceNetworkTable.optional(),
  gpu: gpu.optional(),
  gpu_enabled: z.boolean().optional(),
  workload_type: z.enum(['gaming', 'ai-ml', 'ai', 'general']).optional(),
  gaming: gaming.optional(),
  aiml: aiml.optional(),
  platform: z.string().optional(),
  develop: z.strictObject({ watch: z.array(watchRule).optional() }).optional(),
  ...ecoKeys(
    [
      'capsule',
      'gaming_config',
      'ai_config',
      'wayland',
      'mcp',
      'storage',
      'runtime',
      'bolt',
      'init',
      'providers',
      'security',
      'performance',
      'snapshots',
      'audio',
      // Bolt-ecosystem keys are warnings wherever they appear, never errors.
      'profiles',
      'observability',
      'settings',
      'dns_config',
      'quic_fabric',
      'capsules',
    ],
    'service runtime',
  ),
});

const labelsTable = z.union([z.record(z.string(), scalar), z.array(z.string())]);

const networkSchema = z.strictObject({
  driver: z.string().optional(),
  subnet: z.string().optional(),
  gateway: z.string().optional(),
  internal: z.boolean().optional(),
  external: z.boolean().optional(),
  name: z.string().optional(),
  labels: labelsTable.optional(),
  enable_quic: z.boolean().optional(),
  encryption: z.boolean().optional(),
  attachable: z.boolean().optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
  quic: z.strictObject({ enabled: z.boolean().optional(), ...ecoKeys(['congestion_control', 'initial_rtt'], 'QUIC tuning') }).optional(),
  ...ecoKeys(['performance_mode', 'low_latency', 'bandwidth_optimization', 'enable_ebpf', 'ipv6'], 'Bolt networking'),
});

const volumeSchema = z.strictObject({
  driver: z.string().optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
  labels: labelsTable.optional(),
  external: z.boolean().optional(),
  name: z.string().optional(),
  ...ecoKeys(['size', 'path', 'backup', 'retention'], 'Bolt storage'),
});

/** The project's Swarm settings: used when it targets a Swarm (`driver = "swarm"`, `--driver swarm`, SURGE_DRIVER). */
const swarmTable = z.strictObject({
  endpoint_mode: z.enum(['vip', 'dnsrr']).optional().meta({ description: 'how services are reached by name: vip (needs IPVS on the nodes) or dnsrr' }),
  host_processes: z.enum(['error', 'local']).optional().meta({ description: 'host-process services: an error on a Swarm, or kept on this machine (local)' }),
});

const projectTable = z.strictObject({
  name: z.string().optional(),
  version: scalar.optional(),
  description: z.string().optional(),
});

export const boltfileSchema = z
  .strictObject({
    project: z.union([z.string(), projectTable]).optional(),
    metadata: projectTable.optional(),
    driver: z.enum(['docker', 'process', 'swarm']).optional(),
    swarm: swarmTable.optional(),
    services: z.record(z.string(), serviceSchema).optional(),
    network: networkSchema.optional(),
    networks: z.record(z.string(), networkSchema).optional(),
    volumes: z.record(z.string(), volumeSchema).optional(),
    ...ecoKeys(
      [
        'quic_fabric',
        'dns_config',
        'snapshots',
        'profiles',
        'security',
        'performance',
        'settings',
        'labels',
        'storage',
        'capsules',
        'runtime',
        'gpu',
        'audio',
        'gaming',
        'observability',
        'bolt',
        'mcp',
        'wayland',
        'gaming_config',
        'ai_config',
        'capsule',
      ],
      'project runtime',
    ),
  })
  .meta({ title: 'Boltfile', description: 'surge Boltfile.toml / surge.toml' });

export type RawBoltfile = z.infer<typeof boltfileSchema>;
export type RawService = z.infer<typeof serviceSchema>;
export type RawNetwork = z.infer<typeof networkSchema>;
export type RawVolume = z.infer<typeof volumeSchema>;
export type RawGpu = z.infer<typeof gpu>;
export type RawPort = string | number | z.infer<typeof portLong>;
export type RawVolumeEntry = string | z.infer<typeof volumeLong>;
export type RawHealthcheck = z.infer<typeof healthcheck>;
export type RawKeyValues = z.infer<typeof keyValues>;
