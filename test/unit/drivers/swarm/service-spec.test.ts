// The ServiceSpec a Swarm service is created and updated with: the exact request body, from a Boltfile.
import { describe, expect, it } from 'vitest';
import { pinnedImage, serviceSpec, swarmHosts } from '../../../../src/drivers/swarm/service-spec.js';
import type { Project } from '../../../../src/model/model.js';
import { loadToml } from '../../../fixtures/load-toml.js';

function spec(boltfile: string, service = 'web', extra: Partial<Parameters<typeof serviceSpec>[0]> = {}) {
  const { project } = loadToml(`project = "shop"\ndriver = "swarm"\n${boltfile}`);
  const s = (project as Project).services[service];
  if (!s) throw new Error(`no service ${service}`);
  return serviceSpec({ project, service: s, configHash: 'h', configSalt: '0123456789abcdef0123456789abcdef', surgeVersion: '0.0.0', image: s.image ?? '', imageId: 'sha256:abc', forceUpdate: 0, ...extra });
}

describe('serviceSpec', () => {
  it('a plain service: image, command, env, labels, one network with the service name as alias, surge\'s defaults', () => {
    const s = spec(`[services.web]\nimage = "nginx:1.27"\ncommand = ["nginx", "-g", "daemon off;"]\nenvironment = { MODE = "prod" }\nlabels = { team = "a" }\n`);
    expect(s.Name).toBe('shop_web');
    expect(s.Labels).toMatchObject({ 'surge.project': 'shop', 'surge.service': 'web', 'surge.config-hash': 'h', 'surge.image-id': 'sha256:abc' });
    expect(JSON.parse(s.Labels['surge.config'] as string)).toMatchObject({ image: 'nginx:1.27', swarm: { mode: 'replicated', endpoint_mode: 'vip' } });
    expect(s.TaskTemplate).toEqual({
      ContainerSpec: { Image: 'nginx:1.27', Labels: { team: 'a' }, Args: ['nginx', '-g', 'daemon off;'], Env: ['MODE=prod'] },
      RestartPolicy: { Condition: 'any' },
      Networks: [{ Target: 'shop_default', Aliases: ['web'] }],
      ForceUpdate: 0,
    });
    expect(s.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(s.UpdateConfig).toEqual({ Parallelism: 1, FailureAction: 'rollback', Order: 'stop-first' });
    expect(s.EndpointSpec).toEqual({ Mode: 'vip' });
  });

  it('compose deploy: replicas, placement, resources, restart, update and rollback policies, endpoint mode', () => {
    const s = spec(`[services.web]
image = "nginx"
ports = ["8080:80", "9000-9001:9000-9001/udp"]
stop_grace_period = "3s"
stop_signal = "SIGQUIT"
healthcheck = { test = ["CMD", "true"], interval = "2s", retries = 3 }
[services.web.deploy]
replicas = 3
endpoint_mode = "dnsrr"
[services.web.deploy.placement]
constraints = ["node.role==worker"]
preferences = [{ spread = "node.labels.zone" }]
max_replicas_per_node = 2
[services.web.deploy.resources.limits]
cpus = "0.5"
memory = "256m"
[services.web.deploy.resources.reservations]
cpus = "0.25"
memory = "128m"
[services.web.deploy.restart_policy]
condition = "on-failure"
delay = "5s"
max_attempts = 3
[services.web.deploy.update_config]
parallelism = 2
order = "start-first"
failure_action = "pause"
monitor = "10s"
[services.web.deploy.rollback_config]
parallelism = 0
`);
    expect(s.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(s.TaskTemplate).toMatchObject({
      ContainerSpec: {
        StopGracePeriod: 3_000_000_000,
        StopSignal: 'SIGQUIT',
        HealthCheck: { Test: ['CMD', 'true'], Interval: 2_000_000_000, Retries: 3 },
      },
      Resources: { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 268_435_456 }, Reservations: { NanoCPUs: 250_000_000, MemoryBytes: 134_217_728 } },
      RestartPolicy: { Condition: 'on-failure', Delay: 5_000_000_000, MaxAttempts: 3 },
      Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
    });
    expect(s.UpdateConfig).toEqual({ Parallelism: 2, FailureAction: 'pause', Monitor: 10_000_000_000, Order: 'start-first' });
    expect(s.RollbackConfig).toEqual({ Parallelism: 0, FailureAction: 'pause', Order: 'stop-first' });
    // dnsrr: a Swarm refuses ingress ports, so they are published on the task's node.
    expect(s.EndpointSpec).toEqual({
      Mode: 'dnsrr',
      Ports: [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
        { Protocol: 'udp', TargetPort: 9000, PublishedPort: 9000, PublishMode: 'host' },
        { Protocol: 'udp', TargetPort: 9001, PublishedPort: 9001, PublishMode: 'host' },
      ],
    });
  });

  it('global mode, and a one-shot service (another waits for it to complete) as a job without update policy', () => {
    expect(spec(`[services.web]\nimage = "nginx"\ndeploy = { mode = "global" }\n`).Mode).toEqual({ Global: {} });
    const job = spec(`[services.migrate]\nimage = "busybox"\nreplicas = 2\n[services.web]\nimage = "nginx"\ndepends_on = { migrate = { condition = "service_completed_successfully" } }\n`, 'migrate');
    expect(job.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 } });
    expect(job.UpdateConfig).toBeUndefined();
    expect(job.TaskTemplate).toMatchObject({ RestartPolicy: { Condition: 'on-failure' } });
  });

  it('mounts: named volumes made by each node with surge\'s labels, binds, tmpfs; hosts, dns, user, workdir, init, caps, ulimits', () => {
    const s = spec(`[volumes.data]
driver_opts = { type = "nfs" }
[services.web]
image = "nginx"
volumes = ["data:/data", "/srv/conf:/conf:ro", { type = "tmpfs", target = "/cache", tmpfs = { size = "64m" } }]
tmpfs = ["/run:size=16m"]
extra_hosts = ["db.local:10.0.0.5"]
dns = ["1.1.1.1"]
user = "1000"
working_dir = "/app"
init = true
cap_add = ["NET_ADMIN"]
ulimits = { nofile = { soft = 100, hard = 200 } }
`);
    expect(s.TaskTemplate.ContainerSpec).toMatchObject({
      Mounts: [
        { Type: 'volume', Source: 'shop_data', Target: '/data', VolumeOptions: { Labels: { 'surge.project': 'shop', 'surge.volume': 'data' }, DriverConfig: { Name: 'local', Options: { type: 'nfs' } } } },
        { Type: 'bind', Source: '/srv/conf', Target: '/conf', ReadOnly: true },
        { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 67_108_864 } },
        { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 16_777_216 } },
      ],
      Hosts: ['10.0.0.5 db.local'],
      DNSConfig: { Nameservers: ['1.1.1.1'] },
      User: '1000',
      Dir: '/app',
      Init: true,
      CapabilityAdd: ['NET_ADMIN'],
      Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }],
    });
  });

  it('GPUs: a count reserves the nodes\' advertised NVIDIA-GPU; ids reserve those devices', () => {
    expect(spec(`[services.web]\nimage = "cuda"\ngpu = { nvidia = { count = 2 } }\n`).TaskTemplate).toMatchObject({
      Resources: { Reservations: { GenericResources: [{ DiscreteResourceSpec: { Kind: 'NVIDIA-GPU', Value: 2 } }] } },
    });
    expect(spec(`[services.web]\nimage = "cuda"\ngpu = { nvidia = { devices = ["GPU-a1"] } }\n`).TaskTemplate).toMatchObject({
      Resources: { Reservations: { GenericResources: [{ NamedResourceSpec: { Kind: 'NVIDIA-GPU', Value: 'GPU-a1' } }] } },
    });
  });

  it('force replaces every task; an image is pinned to its registry digest when there is one', () => {
    expect(spec(`[services.web]\nimage = "nginx"\n`, 'web', { forceUpdate: 3 }).TaskTemplate.ForceUpdate).toBe(3);
    const { project } = loadToml(`project = "shop"\ndriver = "swarm"\n[services.web]\nimage = "nginx:1.27"\n`);
    const web = project.services.web as NonNullable<typeof project.services.web>;
    expect(pinnedImage(project, web, 'sha256:0123')).toBe('nginx:1.27@sha256:0123');
    expect(pinnedImage(project, web, null)).toBe('nginx:1.27');
  });

  it('extra_hosts in compose\'s forms become the Swarm\'s "ip host"', () => {
    expect(swarmHosts(['a:10.0.0.1', 'b=10.0.0.2', 'c:::1'])).toEqual(['10.0.0.1 a', '10.0.0.2 b', '::1 c']);
  });
});
