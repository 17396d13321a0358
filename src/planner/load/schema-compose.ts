// The shapes of compose's service-level keys, as compose writes them (compose-spec's JSON schema), so a compose file
// read into a document maps onto the Boltfile one to one. The service table itself is in schema-service.ts.
import * as z from 'zod';
import { byteSize, duration, fileMode, keyValues, numeric, scalar, stringList, stringOrList } from './schema-forms.js';

export const dependsOnEntry = z.strictObject({
  condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']).optional(),
  required: z.boolean().optional(),
  restart: z.boolean().optional(),
});

const portLong = z.strictObject({
  target: z.union([z.number(), z.string()]),
  published: z.union([z.number(), z.string()]).optional(),
  host_ip: z.string().optional(),
  protocol: z.enum(['tcp', 'udp', 'sctp']).optional(),
  mode: z.enum(['host', 'ingress']).optional(),
  name: z.string().optional(),
  app_protocol: z.string().optional(),
});

export const portEntry = z.union([z.string(), z.number(), portLong]);

const volumeLong = z.strictObject({
  type: z.enum(['volume', 'bind', 'tmpfs', 'image', 'npipe', 'cluster']).optional(),
  source: z.string().optional(),
  target: z.string(),
  read_only: z.boolean().optional(),
  consistency: z.string().optional(),
  volume: z.strictObject({ nocopy: z.boolean().optional(), subpath: z.string().optional(), labels: keyValues.optional() }).optional(),
  bind: z
    .strictObject({
      create_host_path: z.boolean().optional(),
      propagation: z.enum(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']).optional(),
      selinux: z.enum(['z', 'Z']).optional(),
      recursive: z.enum(['enabled', 'disabled', 'writable', 'readonly']).optional(),
    })
    .optional(),
  tmpfs: z.strictObject({ size: byteSize.optional(), mode: fileMode.optional() }).optional(),
  image: z.strictObject({ subpath: z.string().optional() }).optional(),
});

export const volumeEntry = z.union([z.string(), volumeLong]);

export const healthcheck = z.strictObject({
  test: stringOrList.optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  start_period: duration.optional(),
  start_interval: duration.optional(),
  retries: z.number().int().min(0).optional(),
  disable: z.boolean().optional(),
});

/** ["K=V"], { K = "V" }: compose's extra_hosts also takes several addresses per host: { K = ["ip1", "ip2"] } */
export const extraHosts = z.union([stringList, z.record(z.string(), z.union([z.string(), stringList]))]);

export const ulimits = z.record(z.string(), z.union([z.number().int(), z.strictObject({ soft: z.number().int(), hard: z.number().int() })]));

/** `secrets = ["db_password"]` or `[{ source, target, uid, gid, mode }]` (configs alike) */
export const fileReferences = z.array(
  z.union([
    z.string(),
    z.strictObject({ source: z.string(), target: z.string().optional(), uid: z.string().optional(), gid: z.string().optional(), mode: fileMode.optional() }),
  ]),
);

export const build = z.union([
  z.string(),
  z.strictObject({
    context: z.string().optional(),
    dockerfile: z.string().optional(),
    dockerfile_inline: z.string().optional(),
    args: keyValues.optional(),
    target: z.string().optional(),
    labels: keyValues.optional(),
    no_cache: z.boolean().optional(),
    no_cache_filter: stringOrList.optional(),
    cache_from: stringList.optional(),
    cache_to: stringList.optional(),
    tags: stringList.optional(),
    network: z.string().optional(),
    platforms: stringList.optional(),
    ssh: keyValues.optional(),
    secrets: fileReferences.optional(),
    extra_hosts: extraHosts.optional(),
    shm_size: byteSize.optional(),
    pull: z.boolean().optional(),
    isolation: z.string().optional(),
    privileged: z.boolean().optional(),
    ulimits: ulimits.optional(),
    additional_contexts: keyValues.optional(),
    entitlements: stringList.optional(),
    provenance: z.union([z.boolean(), z.string()]).optional(),
    sbom: z.union([z.boolean(), z.string()]).optional(),
  }),
]);

export const deviceEntry = z.union([
  z.string(),
  z.strictObject({ source: z.string(), target: z.string().optional(), permissions: z.string().optional() }),
]);

/** compose's device request (`gpus`, `deploy.resources.reservations.devices`) */
export const deviceRequest = z.strictObject({
  driver: z.string().optional(),
  count: z.union([z.number().int(), z.string()]).optional(),
  device_ids: stringList.optional(),
  capabilities: stringList.optional(),
  options: keyValues.optional(),
});

export const envFile = z.union([
  z.string(),
  z.array(z.union([z.string(), z.strictObject({ path: z.string(), required: z.boolean().optional(), format: z.string().optional() })])),
]);

export const logging = z.strictObject({ driver: z.string().optional(), options: z.record(z.string(), scalar).optional() });

const blkioRate = z.strictObject({ path: z.string(), rate: z.union([z.number().int().min(0), z.string()]) });
export const blkioConfig = z.strictObject({
  weight: z.number().int().optional(),
  weight_device: z.array(z.strictObject({ path: z.string(), weight: z.number().int() })).optional(),
  device_read_bps: z.array(blkioRate).optional(),
  device_write_bps: z.array(blkioRate).optional(),
  device_read_iops: z.array(blkioRate).optional(),
  device_write_iops: z.array(blkioRate).optional(),
});

export const serviceNetworkLong = z.strictObject({
  aliases: stringList.optional(),
  ipv4_address: z.string().optional(),
  ipv6_address: z.string().optional(),
  link_local_ips: stringList.optional(),
  mac_address: z.string().optional(),
  priority: z.number().int().optional(),
  gw_priority: z.number().int().optional(),
  interface_name: z.string().optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
});

export const hook = z.strictObject({
  command: stringOrList,
  user: z.string().optional(),
  privileged: z.boolean().optional(),
  working_dir: z.string().optional(),
  environment: keyValues.optional(),
});

export const preStartHook = z.strictObject({
  command: stringOrList.optional(),
  image: z.string().optional(),
  user: z.string().optional(),
  privileged: z.boolean().optional(),
  working_dir: z.string().optional(),
  environment: keyValues.optional(),
  per_replica: z.boolean().optional(),
});

const updateConfig = z.strictObject({
  parallelism: numeric.optional(),
  delay: duration.optional(),
  failure_action: z.string().optional(),
  monitor: duration.optional(),
  max_failure_ratio: numeric.optional(),
  order: z.enum(['start-first', 'stop-first']).optional(),
});

const resourceLimits = z.strictObject({ cpus: numeric.optional(), memory: byteSize.optional(), pids: numeric.optional() });

export const deploy = z.strictObject({
  mode: z.string().optional(),
  endpoint_mode: z.string().optional(),
  replicas: numeric.optional(),
  labels: keyValues.optional(),
  update_config: updateConfig.optional(),
  rollback_config: updateConfig.optional(),
  resources: z
    .strictObject({
      limits: resourceLimits.optional(),
      reservations: z
        .strictObject({
          cpus: numeric.optional(),
          memory: byteSize.optional(),
          generic_resources: z
            .array(z.strictObject({ discrete_resource_spec: z.strictObject({ kind: z.string(), value: numeric }).optional() }))
            .optional(),
          devices: z.array(deviceRequest).optional(),
        })
        .optional(),
    })
    .optional(),
  restart_policy: z
    .strictObject({ condition: z.string().optional(), delay: duration.optional(), max_attempts: numeric.optional(), window: duration.optional() })
    .optional(),
  placement: z
    .strictObject({
      constraints: stringList.optional(),
      preferences: z.array(z.strictObject({ spread: z.string() })).optional(),
      max_replicas_per_node: numeric.optional(),
    })
    .optional(),
});

export const watchRule = z.strictObject({
  path: z.string(),
  action: z.enum(['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec']),
  target: z.string().optional(),
  ignore: stringOrList.optional(),
  exec: z.strictObject({ command: stringOrList, user: z.string().optional(), working_dir: z.string().optional() }).optional(),
  initial_sync: z.boolean().optional(),
});
