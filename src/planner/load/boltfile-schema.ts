// The Boltfile as written: every form the seeds, the real Boltfiles in the wild and compose files use. This zod
// schema is the single source of the accepted keys: validation, "did you mean" suggestions, the warnings for
// Bolt-ecosystem keys and schemas/boltfile.schema.json are all derived from it. Turning forms into one shape is
// normalize*.ts's job. The service table is in schema-service.ts, compose's sub-shapes in schema-compose.ts, Bolt's
// own tables in schema-bolt.ts.
import * as z from 'zod';
import { BOLT_PROJECT_KEYS, gpu } from './schema-bolt.js';
import type { healthcheck, portEntry, volumeEntry } from './schema-compose.js';
import { ecoKeys, external, keyValues, scalar } from './schema-forms.js';
import { serviceSchema } from './schema-service.js';

export { ECOSYSTEM } from './schema-forms.js';
export { serviceSchema, type RawService } from './schema-service.js';

const labelsTable = keyValues;

const ipam = z.strictObject({
  driver: z.string().optional(),
  config: z
    .array(
      z.strictObject({
        subnet: z.string().optional(),
        gateway: z.string().optional(),
        ip_range: z.string().optional(),
        aux_addresses: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
  options: z.record(z.string(), scalar).optional(),
});

const networkSchema = z.strictObject({
  driver: z.string().optional(),
  subnet: z.string().optional(),
  gateway: z.string().optional(),
  ipam: ipam.optional(),
  internal: z.boolean().optional(),
  external: external.optional(),
  name: z.string().optional(),
  labels: labelsTable.optional(),
  enable_quic: z.boolean().optional(),
  encryption: z.boolean().optional(),
  attachable: z.boolean().optional(),
  enable_ipv4: z.boolean().optional(),
  enable_ipv6: z.boolean().optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
  quic: z.strictObject({ enabled: z.boolean().optional(), ...ecoKeys(['congestion_control', 'initial_rtt'], 'QUIC tuning') }).optional(),
  // Bolt's `ipv6 = true` is compose's enable_ipv6; the rest is Bolt's own tuning.
  ...ecoKeys(['performance_mode', 'low_latency', 'bandwidth_optimization', 'enable_ebpf', 'ipv6'], 'Bolt networking'),
});

const volumeSchema = z.strictObject({
  driver: z.string().optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
  labels: labelsTable.optional(),
  external: external.optional(),
  name: z.string().optional(),
  ...ecoKeys(['size', 'path', 'backup', 'retention'], 'Bolt storage'),
});

/** Top-level [secrets.NAME] and [configs.NAME]: compose's file objects (content is for configs only). */
const fileObject = {
  file: z.string().optional(),
  environment: z.string().optional(),
  external: external.optional(),
  name: z.string().optional(),
  labels: labelsTable.optional(),
  driver: z.string().optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
  template_driver: z.string().optional(),
};
const secretSchema = z.strictObject(fileObject);
const configSchema = z.strictObject({ ...fileObject, content: z.string().optional() });

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
    /** compose's project name */
    name: z.string().optional(),
    /** compose's obsolete `version`: ignored, as compose ignores it */
    version: scalar.optional(),
    metadata: projectTable.optional(),
    driver: z.enum(['docker', 'process', 'swarm']).optional(),
    swarm: swarmTable.optional(),
    services: z.record(z.string(), serviceSchema).optional(),
    network: networkSchema.optional(),
    networks: z.record(z.string(), networkSchema).optional(),
    volumes: z.record(z.string(), volumeSchema).optional(),
    secrets: z.record(z.string(), secretSchema).optional(),
    configs: z.record(z.string(), configSchema).optional(),
    /** Docker Model Runner's models: loaded with a warning, not provided by surge */
    models: z.record(z.string(), z.unknown()).optional(),
    ...ecoKeys(BOLT_PROJECT_KEYS, 'project runtime'),
  })
  .meta({ title: 'Boltfile', description: 'surge Boltfile.toml / surge.toml' });

export type RawBoltfile = z.infer<typeof boltfileSchema>;
export type RawNetwork = z.infer<typeof networkSchema>;
export type RawVolume = z.infer<typeof volumeSchema>;
export type RawSecret = z.infer<typeof secretSchema>;
export type RawConfig = z.infer<typeof configSchema>;
export type RawGpu = z.infer<typeof gpu>;
export type RawPort = z.infer<typeof portEntry>;
export type RawVolumeEntry = z.infer<typeof volumeEntry>;
export type RawHealthcheck = z.infer<typeof healthcheck>;
export type RawKeyValues = z.infer<typeof keyValues>;
