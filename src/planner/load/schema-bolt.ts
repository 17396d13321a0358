// Bolt's own service tables (GPU, gaming, AI/ML, the per-service `network` table): what surge applies of them, and the
// keys of the wider Bolt ecosystem it loads with a "not applied" warning.
import * as z from 'zod';
import { byteSize, ecoKeys, stringList } from './schema-forms.js';
import { portEntry } from './schema-compose.js';

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

export const gpu = z.strictObject({
  nvidia: nvidia.optional(),
  devices: gpuIds.optional(),
  capabilities: stringList.optional(),
  isolation_level: z.enum(['shared', 'exclusive', 'virtual']).optional(),
  isolation: z.enum(['shared', 'exclusive', 'virtual']).optional(),
  memory_limit: byteSize.optional(),
  power_limit: z.number().min(0).optional(),
  runtime: z.string().optional(),
  /** ml-training, gaming and inference have a meaning; Bolt's other named profiles load with a warning */
  profile: z.string().optional(),
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
      'nvbind',
    ],
    'GPU runtime',
  ),
});

export const gaming = z.strictObject({
  dlss_enabled: z.boolean().optional(),
  raytracing_enabled: z.boolean().optional(),
  performance_profile: z.string().optional(),
  wine_proton_enabled: z.boolean().optional(),
  vrs_enabled: z.boolean().optional(),
  // Bolt's GamingConfig (src/config/mod.rs) and its documented gaming tables.
  ...ecoKeys(
    [
      'gpu',
      'audio',
      'wine',
      'performance',
      'profile',
      'wine_optimizations',
      'enabled',
      'gpu_passthrough',
      'nvidia_runtime',
      'amd_runtime',
      'audio_passthrough',
      'audio_system',
      'real_time_priority',
      'wine_prefix',
      'proton_version',
      'dxvk_enabled',
      'vkd3d_enabled',
      'esync_enabled',
      'fsync_enabled',
      'input_devices',
      'display_driver',
      'graphics_drivers',
      'resolution',
      'refresh_rate',
      'vsync',
    ],
    'gaming runtime',
  ),
});

export const aiml = z.strictObject({
  cuda_cache_mb: z.number().int().min(0).optional(),
  tensor_cores_enabled: z.boolean().optional(),
  mixed_precision_enabled: z.boolean().optional(),
  memory_pool_size: byteSize.optional(),
  mig_enabled: z.boolean().optional(),
});

export const serviceNetworkTable = z.strictObject({
  quic_enabled: z.boolean().optional(),
  enable_quic: z.boolean().optional(),
  ports: z.array(portEntry).optional(),
  ...ecoKeys(['driver', 'subnet', 'low_latency', 'bandwidth_optimization', 'performance_mode', 'priority'], 'Bolt networking'),
});

/** Service keys of the Bolt runtime surge loads and does not apply. */
export const BOLT_SERVICE_KEYS = [
  'capsule',
  'gaming_config',
  'ai_config',
  'wayland',
  'mcp',
  'storage',
  'bolt',
  'providers',
  'security',
  'performance',
  'snapshots',
  'audio',
  'observability',
  'settings',
  'dns_config',
  'quic_fabric',
  'capsules',
  'auth',
] as const;

/** Top-level tables of the Bolt runtime surge loads and does not apply. */
export const BOLT_PROJECT_KEYS = [
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
  'backups',
] as const;
