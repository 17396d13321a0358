import { describe, expect, it } from 'vitest';
import { loadToml } from '../../../fixtures/load-toml.js';

function svc(toml: string, name = 'web', env: Record<string, string> = {}) {
  const { project } = loadToml(toml, { env });
  const s = project.services[name];
  if (!s) throw new Error(`no service ${name}`);
  return s;
}

describe('environment forms', () => {
  const expected = { A: '1', B: 'two' };
  it.each([
    ['inline table', '[services.web]\nimage = "x"\nenvironment = { A = 1, B = "two" }'],
    ['sub-table', '[services.web]\nimage = "x"\n[services.web.environment]\nA = "1"\nB = "two"'],
    ['array of K=V', '[services.web]\nimage = "x"\nenvironment = ["A=1", "B=two"]'],
    ['dotted env.K', '[services.web]\nimage = "x"\nenv.A = "1"\nenv.B = "two"'],
    ['env inline', '[services.web]\nimage = "x"\nenv = { A = "1", B = "two" }'],
  ])('%s', (_n, toml) => expect(svc(toml).environment).toEqual(expected));

  it('takes a bare array entry from the environment', () => {
    expect(svc('[services.web]\nimage = "x"\nenvironment = ["FROM_SHELL", "MISSING"]', 'web', { FROM_SHELL: 'yes' }).environment).toEqual({ FROM_SHELL: 'yes' });
  });

  it('reads env_file entries under environment', () => {
    const { project } = loadToml('[services.web]\nimage = "x"\nenv_file = "web.env"\nenvironment = { B = "over" }', { files: { 'web.env': 'A=file\nB=file' } });
    expect(project.services.web?.environment).toEqual({ A: 'file', B: 'over' });
  });
});

describe('command and entrypoint', () => {
  it('array stays argv; string is split like compose for containers', () => {
    const s = svc('[services.web]\nimage = "x"\ncommand = "httpd -f -p \'8080\'"\nentrypoint = ["/bin/sh", "-c"]');
    expect(s.command).toEqual(['httpd', '-f', '-p', '8080']);
    expect(s.entrypoint).toEqual(['/bin/sh', '-c']);
  });
  it('a string command of a host process runs through /bin/sh -c', () => {
    const s = svc('[services.job]\ncommand = "echo $$HOME && sleep 1"', 'job');
    expect(s.driver).toBe('process');
    expect(s.command).toEqual(['/bin/sh', '-c', 'echo $HOME && sleep 1']);
  });
});

describe('depends_on', () => {
  it('list of names', () => {
    const { project } = loadToml('[services.db]\nimage = "x"\n[services.web]\nimage = "x"\ndepends_on = ["db"]');
    expect(project.services.web?.depends_on).toEqual({ db: { condition: 'service_started', required: true, restart: false } });
  });
  it('table with conditions', () => {
    const { project } = loadToml(
      '[services.db]\nimage = "x"\n[services.migrate]\nimage = "x"\n[services.web]\nimage = "x"\ndepends_on = { db = { condition = "service_healthy" }, migrate = { condition = "service_completed_successfully", required = false } }',
    );
    expect(project.services.web?.depends_on).toEqual({
      db: { condition: 'service_healthy', required: true, restart: false },
      migrate: { condition: 'service_completed_successfully', required: false, restart: false },
    });
  });
});

describe('ports, volumes, healthcheck', () => {
  it('ports in every form', () => {
    const s = svc('[services.web]\nimage = "x"\nports = ["80", "8080:80", "127.0.0.1:8443:443", "4433:4433/udp", "9000-9001:9000-9001", 53]');
    expect(s.ports.map((p) => `${p.host_ip ?? ''}|${p.published ?? ''}|${p.target}/${p.protocol}`)).toEqual([
      '||80/tcp',
      '|8080|80/tcp',
      '127.0.0.1|8443|443/tcp',
      '|4433|4433/udp',
      '|9000-9001|9000-9001/tcp',
      '||53/tcp',
    ]);
  });

  it('volumes: named, relative, absolute, long form', () => {
    const { project, dir } = loadToml(
      '[volumes.data]\n[services.web]\nimage = "x"\nvolumes = ["data:/data", "./conf:/etc/conf:ro", "/abs:/abs", { type = "tmpfs", target = "/run" }]',
    );
    expect(project.services.web?.volumes).toEqual([
      { type: 'volume', source: 'data', target: '/data', read_only: false },
      { type: 'bind', source: `${dir}/conf`, target: '/etc/conf', read_only: true },
      { type: 'bind', source: '/abs', target: '/abs', read_only: false },
      { type: 'tmpfs', source: null, target: '/run', read_only: false },
    ]);
  });

  it('healthcheck in compose form', () => {
    const s = svc('[services.web]\nimage = "x"\nhealthcheck = { test = ["CMD", "true"], interval = "1s", timeout = "500ms", start_period = 5, retries = 3 }');
    expect(s.healthcheck).toEqual({ test: ['CMD', 'true'], interval_ms: 1000, timeout_ms: 500, start_period_ms: 5000, retries: 3 });
  });
  it('healthcheck test as a string runs through the shell', () => {
    expect(svc('[services.web]\nimage = "x"\nhealthcheck.test = "wget -q localhost"').healthcheck?.test).toEqual(['CMD-SHELL', 'wget -q localhost']);
  });
  it("Bolt's [services.X.health] form", () => {
    const s = svc('[services.web]\nimage = "x"\n[services.web.health]\ntest = ["CMD", "curl", "-f", "http://localhost"]\ninterval = 30\ntimeout = 10\nretries = 3');
    expect(s.healthcheck).toEqual({ test: ['CMD', 'curl', '-f', 'http://localhost'], interval_ms: 30_000, timeout_ms: 10_000, start_period_ms: null, retries: 3 });
  });
});

describe('the other service keys', () => {
  it('normalizes them', () => {
    const s = svc(`[services.web]
image = "x"
restart = "on-failure:3"
labels = { "traefik.enable" = "true" }
user = 1000
working_dir = "/app"
privileged = true
devices = ["/dev/fuse", "/dev/a:/dev/b:r"]
cap_add = ["NET_ADMIN"]
cap_drop = ["ALL"]
read_only = true
tmpfs = "/tmp"
extra_hosts = ["db:10.0.0.2", "cache=10.0.0.3"]
dns = "1.1.1.1"
hostname = "web1"
stop_signal = "SIGINT"
stop_grace_period = "1m"
replicas = 2
cpu_limit = "1.5"
memory_limit = "512m"
platform = "linux/amd64"
`);
    expect(s).toMatchObject({
      restart: 'on-failure:3',
      labels: { 'traefik.enable': 'true' },
      user: '1000',
      working_dir: '/app',
      privileged: true,
      devices: [
        { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
        { source: '/dev/a', target: '/dev/b', permissions: 'r' },
      ],
      cap_add: ['NET_ADMIN'],
      cap_drop: ['ALL'],
      read_only: true,
      tmpfs: ['/tmp'],
      extra_hosts: ['db:10.0.0.2', 'cache:10.0.0.3'],
      dns: ['1.1.1.1'],
      hostname: 'web1',
      stop_signal: 'SIGINT',
      stop_grace_period_ms: 60_000,
      replicas: 2,
      cpu_limit: 1.5,
      memory_limit_bytes: 512 * 1024 ** 2,
      platform: 'linux/amd64',
    });
  });

  it('build as a path or a table', () => {
    const { project, dir } = loadToml('[services.a]\nbuild = "./a"\n[services.b]\nbuild = { context = "./b", dockerfile = "Dockerfile.dev", args = { V = 1 }, target = "dev", labels = { team = "ml" }, no_cache = true }');
    // The keys compose adds (cache_from, tags, network, platforms…) are empty when not written.
    const unset = { cache_from: [], tags: [], network: null, platforms: [], extra_hosts: [], shm_size_bytes: null, pull: false, isolation: null, ulimits: {} };
    expect(project.services.a?.build).toEqual({ context: `${dir}/a`, dockerfile: null, args: {}, target: null, labels: {}, no_cache: false, ...unset });
    expect(project.services.b?.build).toEqual({ context: `${dir}/b`, dockerfile: 'Dockerfile.dev', args: { V: '1' }, target: 'dev', labels: { team: 'ml' }, no_cache: true, ...unset });
    expect(project.services.a?.driver).toBe('docker');
  });

  it('capabilities = { add, drop } is cap_add/cap_drop', () => {
    expect(svc('[services.web]\nimage = "x"\ncapabilities = { add = ["SYS_ADMIN"], drop = ["MKNOD"] }')).toMatchObject({ cap_add: ['SYS_ADMIN'], cap_drop: ['MKNOD'] });
  });
});

describe('networks and volumes', () => {
  it('the singular [network] is the default network; driver quic is a bridge flagged QUIC', () => {
    const { project } = loadToml('[network]\ndriver = "quic"\nencryption = true\nsubnet = "10.10.0.0/16"\n[services.web]\nimage = "x"');
    expect(project.networks.default).toMatchObject({ name: 'default', driver: 'bridge', quic: true, encryption: true, subnet: '10.10.0.0/16' });
    expect(project.services.web?.networks).toEqual({ default: { aliases: [] } });
  });

  it('[networks.NAME] and [volumes.NAME] with every key', () => {
    const { project } = loadToml(`[networks.front]
driver = "bridge"
subnet = "172.28.0.0/16"
gateway = "172.28.0.1"
internal = true
labels = { tier = "front" }
enable_quic = true
[networks.shared]
external = true
name = "corp-net"
[volumes.data]
driver = "local"
driver_opts = { type = "tmpfs", device = "tmpfs" }
labels.purpose = "db"
[volumes.old]
external = true
[services.web]
image = "x"
networks = ["front", "shared"]
volumes = ["data:/data"]
`);
    expect(project.networks.front).toMatchObject({ internal: true, quic: true, gateway: '172.28.0.1', labels: { tier: 'front' } });
    expect(project.networks.shared).toMatchObject({ external: true, external_name: 'corp-net' });
    expect(project.volumes.data).toEqual({ name: 'data', driver: 'local', driver_opts: { type: 'tmpfs', device: 'tmpfs' }, labels: { purpose: 'db' }, external: false, external_name: null });
    expect(project.volumes.old).toMatchObject({ external: true, external_name: 'old' });
    expect(project.networks.default).toBeUndefined();
  });

  it('a service asking for QUIC joins the QUIC network, made when none is declared', () => {
    const { project } = loadToml('[services.web]\nimage = "x"\n[services.web.network]\nquic_enabled = true\nports = ["4433:4433/udp"]');
    expect(project.networks.quic).toMatchObject({ quic: true, driver: 'bridge' });
    // It stays on the default network too, so it still reaches the rest of the stack by name.
    expect(project.services.web?.networks).toEqual({ default: { aliases: [] }, quic: { aliases: [] } });
    expect(project.networks.default).toMatchObject({ quic: false });
    expect(project.services.web?.ports[0]).toMatchObject({ published: '4433', protocol: 'udp' });
  });

  it('QUIC joins what the service lists, and is the default network when that one is QUIC-flagged', () => {
    const listed = loadToml('[networks.back]\n[services.web]\nimage = "x"\nnetworks = ["back"]\nnetwork.quic_enabled = true');
    expect(listed.project.services.web?.networks).toEqual({ back: { aliases: [] }, quic: { aliases: [] } });
    const flagged = loadToml('[network]\ndriver = "quic"\n[services.web]\nimage = "x"\nnetwork.quic_enabled = true');
    expect(flagged.project.services.web?.networks).toEqual({ default: { aliases: [] } });
    expect(flagged.project.networks.quic).toBeUndefined();
  });
});

describe('gpu', () => {
  it('gpu.nvidia = true', () => {
    const s = svc('[services.web]\nimage = "x"\ngpu.nvidia = true');
    expect(s.gpu).toMatchObject({ vendor: 'nvidia', devices: 'all', capabilities: ['compute', 'utility'] });
    expect(s.environment).toMatchObject({ NVIDIA_VISIBLE_DEVICES: 'all', NVIDIA_DRIVER_CAPABILITIES: 'compute,utility' });
  });
  it('a table with a device', () => {
    expect(svc('[services.web]\nimage = "x"\ngpu.nvidia = { device = 0, cuda = true }').gpu).toMatchObject({ devices: ['0'], capabilities: ['compute', 'utility'] });
  });
  it('no gpu is null', () => expect(svc('[services.web]\nimage = "x"').gpu).toBeNull());
});
