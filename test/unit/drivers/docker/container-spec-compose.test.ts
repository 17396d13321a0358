// The create request for compose's keys: what the Boltfile says is what the engine is asked for, in the fields
// docker compose fills for the same service (pkg/compose/create.go).
import { describe, expect, it } from 'vitest';
import { containerCreateOptions } from '../../../../src/drivers/docker/container-spec.js';
import { networkCreateBody } from '../../../../src/drivers/docker/resources.js';
import { buildOptions } from '../../../../src/drivers/docker/images.js';
import { fileArchive, copiedFiles } from '../../../../src/drivers/docker/container-files.js';
import { demultiplex } from '../../../../src/drivers/docker/container-hooks.js';
import { loadToml } from '../../../fixtures/load-toml.js';

function load(body: string, files: Record<string, string> = {}, env: Record<string, string> = {}) {
  return loadToml(`project = "p"\n${body}`, { files, env }).project;
}

function request(body: string, service = 'svc', files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const project = load(body, files, env);
  const s = project.services[service];
  if (!s) throw new Error('no service');
  return containerCreateOptions({ project, service: s, replica: 1, configHash: 'HASH', surgeVersion: '0.0.0' }, `p-${service}-1`);
}

describe('container create request: compose keys', () => {
  it('container settings, limits, namespaces, logging and security', () => {
    const r = request(`[services.svc]
image = "app:1"
expose = ["3000", "8000-8001/udp"]
init = true
ulimits = { nproc = 65535, nofile = { soft = 20000, hard = 40000 } }
sysctls = ["net.core.somaxconn=1024"]
shm_size = "64m"
pid = "host"
ipc = "shareable"
uts = "host"
userns_mode = "host"
cgroup = "private"
cgroup_parent = "m-executor"
logging = { driver = "json-file", options = { max-size = "1m", max-file = 3 } }
security_opt = ["no-new-privileges:true", "systempaths=unconfined"]
stdin_open = true
tty = true
group_add = ["mail", 42]
dns_search = "example.com"
dns_opt = ["use-vc"]
domainname = "example.com"
oom_score_adj = -500
oom_kill_disable = true
mem_reservation = "64m"
memswap_limit = "1g"
mem_swappiness = 10
cpu_shares = 512
cpu_period = 100000
cpu_quota = 50000
cpu_rt_period = 1000000
cpu_rt_runtime = 950000
cpuset = "0,1"
pids_limit = 100
blkio_config = { weight = 300, weight_device = [{ path = "/dev/sda", weight = 400 }], device_read_bps = [{ path = "/dev/sda", rate = "12mb" }], device_write_iops = [{ path = "/dev/sda", rate = 30 }] }
device_cgroup_rules = ["c 1:3 mr"]
devices = [{ source = "/dev/fuse", target = "/dev/fuse2", permissions = "rw" }, "nvidia.com/gpu=all"]
runtime = "runc"
storage_opt = { size = "1G" }
annotations = { "com.example.a" = "1" }
extra_hosts = { alpha = "50.31.209.229", zulu = ["127.0.0.2", "[ff02::1]"] }
healthcheck = { test = "true", start_interval = "2s" }
`);
    expect(r).toMatchObject({
      Domainname: 'example.com',
      Tty: true,
      OpenStdin: true,
      ExposedPorts: { '3000/tcp': {}, '8000/udp': {}, '8001/udp': {} },
      Healthcheck: { Test: ['CMD-SHELL', 'true'], StartInterval: 2e9 },
    });
    expect(r.HostConfig).toMatchObject({
      Init: true,
      Ulimits: [{ Name: 'nproc', Soft: 65535, Hard: 65535 }, { Name: 'nofile', Soft: 20000, Hard: 40000 }],
      Sysctls: { 'net.core.somaxconn': '1024' },
      ShmSize: 64 * 1024 ** 2,
      PidMode: 'host',
      IpcMode: 'shareable',
      UTSMode: 'host',
      UsernsMode: 'host',
      CgroupnsMode: 'private',
      CgroupParent: 'm-executor',
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '3' } },
      SecurityOpt: ['no-new-privileges:true'],
      MaskedPaths: [],
      ReadonlyPaths: [],
      GroupAdd: ['mail', '42'],
      DnsSearch: ['example.com'],
      DnsOptions: ['use-vc'],
      OomScoreAdj: -500,
      OomKillDisable: true,
      MemoryReservation: 64 * 1024 ** 2,
      MemorySwap: 1024 ** 3,
      MemorySwappiness: 10,
      CpuShares: 512,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      CpuRealtimePeriod: 1000000,
      CpuRealtimeRuntime: 950000,
      CpusetCpus: '0,1',
      PidsLimit: 100,
      BlkioWeight: 300,
      BlkioWeightDevice: [{ Path: '/dev/sda', Weight: 400 }],
      BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 12 * 1024 ** 2 }],
      BlkioDeviceWriteIOps: [{ Path: '/dev/sda', Rate: 30 }],
      DeviceCgroupRules: ['c 1:3 mr'],
      Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse2', CgroupPermissions: 'rw' }],
      DeviceRequests: [{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'], Capabilities: [] }],
      Runtime: 'runc',
      StorageOpt: { size: '1G' },
      Annotations: { 'com.example.a': '1' },
      ExtraHosts: ['alpha:50.31.209.229', 'zulu:127.0.0.2', 'zulu:ff02::1'],
    });
  });

  it('network_mode replaces networks; service:NAME is that service\'s first container, and a dependency', () => {
    const project = load('[services.db]\nimage = "x"\ncontainer_name = "the-db"\n[services.svc]\nimage = "x"\nnetwork_mode = "service:db"\nipc = "service:db"\nvolumes_from = ["db:ro", "container:legacy"]');
    const s = project.services.svc!;
    expect(s.depends_on.db).toEqual({ condition: 'service_started', required: true, restart: true });
    const r = containerCreateOptions({ project, service: s, replica: 1, configHash: 'H', surgeVersion: '0' }, 'p-svc-1');
    expect(r.HostConfig).toMatchObject({ NetworkMode: 'container:the-db', IpcMode: 'container:the-db', VolumesFrom: ['the-db:ro', 'legacy'] });
    expect(r.NetworkingConfig).toBeUndefined();
    expect(request('[services.svc]\nimage = "x"\nnetwork_mode = "host"').HostConfig?.NetworkMode).toBe('host');
    expect(request('[services.svc]\nimage = "x"\nnetwork_mode = "none"').HostConfig?.NetworkMode).toBe('none');
  });

  it('per-network settings: the highest priority is joined first, with its addresses, MAC, driver options and links', () => {
    const r = request(`[networks.front]
[networks.back]
[services.db]
image = "x"
[services.svc]
image = "x"
links = ["db:database"]
mac_address = "02:42:ac:11:65:43"
[services.svc.networks.front]
aliases = ["web"]
[services.svc.networks.back]
priority = 10
ipv4_address = "172.16.238.10"
ipv6_address = "2001:3984:3989::10"
interface_name = "eth7"
gw_priority = 5
driver_opts = { "com.docker.network.endpoint.sysctls" = "net.ipv4.conf.IFNAME.log_martians=1" }
`);
    expect(r.HostConfig?.NetworkMode).toBe('p_back');
    expect(r.MacAddress).toBe('02:42:ac:11:65:43');
    expect(r.NetworkingConfig).toEqual({
      EndpointsConfig: {
        p_back: {
          Aliases: ['svc'],
          IPAMConfig: { IPv4Address: '172.16.238.10', IPv6Address: '2001:3984:3989::10' },
          MacAddress: '02:42:ac:11:65:43',
          DriverOpts: { 'com.docker.network.endpoint.sysctls': 'net.ipv4.conf.IFNAME.log_martians=1', 'com.docker.network.endpoint.ifname': 'eth7' },
          GwPriority: 5,
          Links: ['p-db-1:database'],
        },
      },
    });
  });

  it('ports: a host range onto one container port, 127.0.0.1::80, sctp', () => {
    const r = request('[services.svc]\nimage = "x"\nports = ["8000-8010:80", "127.0.0.1::81", "9000:9000/sctp", { target = 82, published = "7000", host_ip = "::1", mode = "host", name = "web", app_protocol = "http" }]');
    expect(r.HostConfig?.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }],
      '81/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '9000/sctp': [{ HostIp: '', HostPort: '9000' }],
      '82/tcp': [{ HostIp: '::1', HostPort: '7000' }],
    });
  });

  it('mounts: bind options, volume nocopy/subpath, tmpfs size and mode, file secrets and configs, the API socket', () => {
    const r = request(
      `[volumes.data]
[secrets.cert]
file = "./cert.pem"
[configs.app]
file = "./app.conf"
[services.svc]
image = "x"
use_api_socket = true
secrets = ["cert"]
configs = [{ source = "app", target = "/etc/app.conf" }]
volumes = [
  { type = "bind", source = "./src", target = "/src", read_only = true, bind = { propagation = "rshared", selinux = "z" } },
  { type = "bind", source = "./must-exist", target = "/m", bind = { create_host_path = false } },
  { type = "volume", source = "data", target = "/data", volume = { nocopy = true, subpath = "sub" } },
  { type = "tmpfs", target = "/scratch", tmpfs = { size = "1m", mode = "1777" } },
]
`,
      'svc',
      { 'cert.pem': 'CERT', 'app.conf': 'x=1' },
    );
    const dir = r.Labels?.['surge.working-dir'];
    expect(r.HostConfig?.Binds).toEqual([`${dir}/src:/src:ro,z,rshared`]);
    expect(r.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: `${dir}/must-exist`, Target: '/m', ReadOnly: false },
      { Type: 'volume', Source: 'p_data', Target: '/data', ReadOnly: false, VolumeOptions: { NoCopy: true, Subpath: 'sub' } },
      { Type: 'tmpfs', Source: '', Target: '/scratch', TmpfsOptions: { SizeBytes: 1024 ** 2, Mode: 0o1777 } },
      { Type: 'bind', Source: `${dir}/cert.pem`, Target: '/run/secrets/cert', ReadOnly: true },
      { Type: 'bind', Source: `${dir}/app.conf`, Target: '/etc/app.conf', ReadOnly: true },
      { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' },
    ]);
  });

  it('deploy: limits, reservations, a GPU reservation as gpu.nvidia gives it, the restart policy', () => {
    const r = request(`[services.svc]
image = "x"
[services.svc.deploy]
replicas = 2
restart_policy = { condition = "on-failure", max_attempts = 3 }
resources.limits = { cpus = "0.5", memory = "50M", pids = 20 }
resources.reservations = { memory = "20M", devices = [{ capabilities = ["gpu"], count = 1 }, { driver = "amd", capabilities = ["gpu", "compute"], device_ids = ["0"] }] }
`);
    expect(r.HostConfig).toMatchObject({
      NanoCpus: 0.5e9,
      Memory: 50 * 1024 ** 2,
      PidsLimit: 20,
      MemoryReservation: 20 * 1024 ** 2,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      DeviceRequests: [
        { Driver: 'nvidia', Count: 1, Capabilities: [['compute', 'utility', 'gpu']] },
        { Driver: 'amd', DeviceIDs: ['0'], Capabilities: [['gpu', 'compute']] },
      ],
    });
    // N GPUs of the engine's choosing: the runtime is told which by the engine, not by the environment.
    expect(r.Env).toEqual(['NVIDIA_DRIVER_CAPABILITIES=compute,utility']);
    expect(request('[services.svc]\nimage = "x"\ngpus = "all"').HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }]);
  });
});

describe('secrets and configs copied in', () => {
  it('environment and inline content are archived at their targets with the asked owner and mode; never in the request', async () => {
    const project = load(
      '[secrets.token]\nenvironment = "TOKEN"\n[configs.motd]\ncontent = "hello ${WHO}"\n[services.svc]\nimage = "x"\nsecrets = [{ source = "token", target = "api", uid = "103", gid = "103", mode = 0o440 }]\nconfigs = ["motd"]',
      {},
      { TOKEN: 's3cret-value', WHO: 'you' },
    );
    const s = project.services.svc!;
    const files = copiedFiles(project, s);
    expect(files.map((f) => [f.target, f.uid, f.gid, f.mode])).toEqual([['/run/secrets/api', '103', '103', 0o440], ['/motd', null, null, null]]);
    const tar = await fileArchive(files);
    expect(tar.includes(Buffer.from('s3cret-value'))).toBe(true);
    expect(tar.includes(Buffer.from('hello you'))).toBe(true);
    const r = containerCreateOptions({ project, service: s, replica: 1, configHash: 'H', surgeVersion: '0' }, 'p-svc-1');
    expect(JSON.stringify(r)).not.toContain('s3cret-value');
    expect(JSON.stringify(project)).not.toContain('s3cret-value');
  });

  it('an external secret is refused on a single engine', () => {
    const project = load('[secrets.ext]\nexternal = true\n[services.svc]\nimage = "x"\nsecrets = ["ext"]');
    expect(() => copiedFiles(project, project.services.svc!)).toThrow(/external: only a Swarm provides it/);
  });
});

describe('networks and builds', () => {
  it('network create: IPAM pools and options, driver options, IPv6, compose name', () => {
    const project = load('[networks.front]\nname = "corp-front"\ndriver_opts = { "com.docker.network.bridge.name" = "br-front" }\nenable_ipv6 = true\nipam = { driver = "default", config = [{ subnet = "172.28.0.0/16", ip_range = "172.28.5.0/24", gateway = "172.28.5.254", aux_addresses = { host1 = "172.28.1.5" } }], options = { foo = "bar" } }\n[services.svc]\nimage = "x"\nnetworks = ["front"]');
    expect(networkCreateBody(project, project.networks.front!, 'H', '0')).toMatchObject({
      Name: 'corp-front',
      IPAM: { Driver: 'default', Config: [{ Subnet: '172.28.0.0/16', IPRange: '172.28.5.0/24', Gateway: '172.28.5.254', AuxiliaryAddresses: { host1: '172.28.1.5' } }], Options: { foo: 'bar' } },
      Options: { 'com.docker.network.bridge.name': 'br-front' },
      EnableIPv6: true,
    });
    const s = project.services.svc!;
    expect(containerCreateOptions({ project, service: s, replica: 1, configHash: 'H', surgeVersion: '0' }, 'c').HostConfig?.NetworkMode).toBe('corp-front');
  });

  it('build: the classic builder\'s options from compose\'s keys', () => {
    const project = load('[services.svc]\nimage = "app"\n[services.svc.build]\ncontext = "."\ncache_from = ["app:cache"]\ntags = ["app:extra"]\nnetwork = "host"\nplatforms = ["linux/amd64"]\nextra_hosts = ["somehost=162.242.195.82"]\nshm_size = "128m"\npull = true\nulimits = { nofile = 1024 }');
    expect(buildOptions(project, project.services.svc!, 'app')).toMatchObject({
      t: ['app', 'app:extra'],
      cachefrom: '["app:cache"]',
      networkmode: 'host',
      platform: 'linux/amd64',
      extrahosts: 'somehost:162.242.195.82',
      shmsize: 128 * 1024 ** 2,
      pull: true,
      ulimits: '[{"Name":"nofile","Soft":1024,"Hard":1024}]',
    });
  });

  it('a hook\'s output is read back from the engine\'s multiplexed stream', () => {
    const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, text.length]), Buffer.from(text)]);
    expect(demultiplex(Buffer.concat([frame(1, 'out '), frame(2, 'boom'), frame(1, 'more')]))).toEqual({ stdout: 'out more', stderr: 'boom' });
  });
});
