// compose-go's loader tests (loader/tests/*_test.go), one per key, in TOML: the same values, in surge's model.
import { describe, expect, it } from 'vitest';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

function svc(body: string, options: Parameters<typeof loadToml>[1] = {}) {
  const { project, warnings } = loadToml(`[services.foo]\nimage = "alpine"\n${body}`, options);
  const s = project.services.foo;
  if (!s) throw new Error('no foo');
  return { s, warnings: warnings.map((w) => w.message), project };
}

describe('compose-go loader cases', () => {
  it('devices: short and long syntax', () => {
    expect(svc('devices = ["/dev/source:/dev/target:rw", "/dev/single", { source = "/dev/src", target = "/dev/tgt", permissions = "r" }]').s.devices).toEqual([
      { source: '/dev/source', target: '/dev/target', permissions: 'rw' },
      { source: '/dev/single', target: '/dev/single', permissions: 'rwm' },
      { source: '/dev/src', target: '/dev/tgt', permissions: 'r' },
    ]);
  });

  it('env_file: a string, a list, the long form with required = false and format = "raw"', () => {
    const files = { 'a.env': 'A=1\nQ="quoted"\n', 'raw.env': 'R="kept as is"\nX=${NOT_EXPANDED}\n' };
    expect(svc('env_file = "a.env"', { files }).s.environment).toEqual({ A: '1', Q: 'quoted' });
    const { s } = svc('env_file = [{ path = "a.env" }, { path = "missing.env", required = false }, { path = "raw.env", format = "raw" }]', { files });
    expect(s.environment).toEqual({ A: '1', Q: 'quoted', R: '"kept as is"', X: '${NOT_EXPANDED}' });
    expect(loadError('[services.foo]\nimage = "x"\nenv_file = [{ path = "missing.env" }]')).toMatch(/env_file "missing\.env" not found/);
    expect(loadError('[services.foo]\nimage = "x"\nenv_file = [{ path = "a.env", format = "yaml" }]', { files })).toMatch(/env_file\[0\]\.format: unsupported env_file format "yaml"/);
  });

  it('label_file: labels from files, before the service\'s own', () => {
    expect(svc('label_file = ["l1", "l2"]\nlabels = { B = "own" }', { files: { l1: 'A=1\nB=from-file\n', l2: '# comment\nC=3\n' } }).s.labels).toEqual({ A: '1', B: 'own', C: '3' });
  });

  it('ulimits: a single value or soft and hard', () => {
    expect(svc('ulimits = { nproc = 65535, nofile = { soft = 20000, hard = 40000 } }').s.ulimits).toEqual({ nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } });
    expect(loadError('[services.foo]\nimage = "x"\nulimits = { nofile = { soft = 2, hard = 1 } }')).toMatch(/soft limit 2 is above the hard limit 1/);
  });

  it('sysctls: a list and a table give the same mapping', () => {
    const expected = { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0', 'testing.one.one': '', 'testing.one.two': '' };
    expect(svc('sysctls = ["net.core.somaxconn=1024", "net.ipv4.tcp_syncookies=0", "testing.one.one=", "testing.one.two"]').s.sysctls).toEqual(expected);
    expect(svc('sysctls = { "net.core.somaxconn" = 1024, "net.ipv4.tcp_syncookies" = 0, "testing.one.one" = "", "testing.one.two" = "" }').s.sysctls).toEqual(expected);
  });

  it('logging', () => {
    expect(svc('logging = { driver = "syslog", options = { syslog-address = "tcp://192.168.0.42:123" } }').s.logging).toEqual({ driver: 'syslog', options: { 'syslog-address': 'tcp://192.168.0.42:123' } });
  });

  it('healthcheck: start_interval, and disable', () => {
    expect(svc('healthcheck = { test = \'echo "hello world"\', interval = "10s", timeout = "1s", retries = 5, start_period = "15s", start_interval = "5s" }').s.healthcheck).toEqual({
      test: ['CMD-SHELL', 'echo "hello world"'],
      interval_ms: 10_000,
      timeout_ms: 1000,
      start_period_ms: 15_000,
      start_interval_ms: 5000,
      retries: 5,
    });
    expect(svc('healthcheck = { disable = true }').s.healthcheck?.test).toEqual(['NONE']);
  });

  it('hooks: post_start and pre_stop; pre_start is kept and said not to run yet', () => {
    const { s, warnings } = svc(`post_start = [{ command = "echo start", user = "root", privileged = true, working_dir = "/", environment = ["FOO=BAR"] }]
pre_stop = [{ command = ["echo", "stop"], user = "root", working_dir = "/", environment = { FOO = "BAR" } }]
pre_start = [{ command = ["./manage.py", "migrate"] }, { image = "migrator:latest" }]`);
    expect(s.hooks.post_start).toEqual([{ command: ['echo', 'start'], user: 'root', privileged: true, working_dir: '/', environment: { FOO: 'BAR' } }]);
    expect(s.hooks.pre_stop).toEqual([{ command: ['echo', 'stop'], user: 'root', privileged: false, working_dir: '/', environment: { FOO: 'BAR' } }]);
    expect(s.hooks.pre_start.map((h) => h.image ?? null)).toEqual([null, 'migrator:latest']);
    expect(warnings).toContain('warning: services.foo.pre_start: pre_start hooks are not run by surge yet');
  });

  it('cpu and memory fields', () => {
    expect(svc('cpu_count = 4\ncpu_percent = 50\ncpu_shares = 1024\ncpu_quota = 50000\ncpu_period = 100000\ncpu_rt_period = 1000000\ncpu_rt_runtime = 950000\ncpus = 1.5\ncpuset = "0,1"').s).toMatchObject({
      cpu_count: 4, cpu_percent: 50, cpu_shares: 1024, cpu_quota: 50000, cpu_period: 100000, cpu_rt_period: 1000000, cpu_rt_runtime: 950000, cpu_limit: 1.5, cpuset: '0,1',
    });
    expect(svc('mem_limit = "512m"\nmem_reservation = "256m"\nmem_swappiness = 60\nmemswap_limit = "1g"\nshm_size = "64m"').s).toMatchObject({
      memory_limit_bytes: 512 * 1024 ** 2, mem_reservation_bytes: 256 * 1024 ** 2, mem_swappiness: 60, memswap_limit_bytes: 1024 ** 3, shm_size_bytes: 64 * 1024 ** 2,
    });
    expect(svc('memswap_limit = -1').s.memswap_limit_bytes).toBe(-1);
    expect(loadError('[services.foo]\nimage = "x"\ncpu_percent = 150')).toMatch(/cpu_percent: expected a whole number from 0 to 100/);
  });

  it('oom, pids, init, stdin/tty, group_add, security_opt, dns_opt, expose, namespaces, cgroup', () => {
    expect(svc('oom_kill_disable = true\noom_score_adj = 500\npids_limit = 100\ninit = false\nstdin_open = true\ntty = true\ngroup_add = ["mail", 42]\nsecurity_opt = ["label:disable"]\ndns_opt = ["use-vc", "no-tld-query"]\nexpose = ["3000", 8000, "8000-8010/udp"]\nipc = "host"\npid = "host"\nuts = "host"\nuserns_mode = "host"\ncgroup = "host"\ncgroup_parent = "m-executor-abcd"').s).toMatchObject({
      oom_kill_disable: true, oom_score_adj: 500, pids_limit: 100, init: false, stdin_open: true, tty: true, group_add: ['mail', '42'], security_opt: ['label:disable'],
      dns_opt: ['use-vc', 'no-tld-query'], expose: ['3000/tcp', '8000/tcp', '8000-8010/udp'], ipc: 'host', pid: 'host', uts: 'host', userns_mode: 'host', cgroup: 'host', cgroup_parent: 'm-executor-abcd',
    });
    expect(svc('').s.init).toBeNull();
  });

  it('network_mode, and its conflict with networks', () => {
    expect(svc('network_mode = "container:0cfeab0f748b"').s).toMatchObject({ network_mode: 'container:0cfeab0f748b', networks: {} });
    expect(loadError('[services.foo]\nimage = "x"\nnetwork_mode = "host"\nnetworks = ["default"]')).toMatch(/use either `network_mode` or `networks`/);
    expect(loadError('[services.foo]\nimage = "x"\nnetwork_mode = "service:nope"')).toMatch(/network_mode of service "foo" refers to "nope", which is not a service/);
  });

  it('service networks in the long form', () => {
    const { project } = loadToml(`[networks.some-network]
[networks.other-network]
[networks.other-other-network]
[services.foo]
image = "alpine"
[services.foo.networks.some-network]
aliases = ["alias1", "alias3"]
[services.foo.networks.other-network]
ipv4_address = "172.16.238.10"
ipv6_address = "2001:3984:3989::10"
mac_address = "02:42:72:98:65:08"
[services.foo.networks.other-other-network]
`);
    expect(project.services.foo?.networks).toEqual({
      'some-network': { aliases: ['alias1', 'alias3'] },
      'other-network': { aliases: [], ipv4_address: '172.16.238.10', ipv6_address: '2001:3984:3989::10', mac_address: '02:42:72:98:65:08' },
      'other-other-network': { aliases: [] },
    });
  });

  it('top-level networks: driver options, IPAM, labels, external in both forms', () => {
    const { project } = loadToml(`[networks.some-network]
[networks.other-network]
driver = "overlay"
driver_opts = { foo = "bar", baz = 1 }
labels = { foo = "bar" }
[networks.other-network.ipam]
driver = "overlay"
config = [{ subnet = "172.28.0.0/16", ip_range = "172.28.5.0/24", gateway = "172.28.5.254", aux_addresses = { host1 = "172.28.1.5", host2 = "172.28.1.6" } }, { subnet = "2001:3984:3989::/64", gateway = "2001:3984:3989::1" }]
[networks.external-network]
external = true
[networks.other-external-network]
external = { name = "my-cool-network" }
[services.foo]
image = "alpine"
`);
    expect(project.networks['other-network']).toMatchObject({
      driver: 'overlay',
      driver_opts: { foo: 'bar', baz: '1' },
      labels: { foo: 'bar' },
      ipam: {
        driver: 'overlay',
        config: [
          { subnet: '172.28.0.0/16', ip_range: '172.28.5.0/24', gateway: '172.28.5.254', aux_addresses: { host1: '172.28.1.5', host2: '172.28.1.6' } },
          { subnet: '2001:3984:3989::/64', gateway: '2001:3984:3989::1', ip_range: null, aux_addresses: {} },
        ],
      },
    });
    expect(project.networks['external-network']).toMatchObject({ external: true, external_name: 'external-network' });
    expect(project.networks['other-external-network']).toMatchObject({ external: true, external_name: 'my-cool-network' });
  });

  it('volumes in the long form: bind propagation and selinux, volume nocopy', () => {
    const { s } = svc('volumes = [{ type = "bind", source = "/host", target = "/container", bind = { propagation = "rslave", selinux = "z" } }, { type = "volume", source = "mydata", target = "/data", volume = { nocopy = true } }]\n[volumes.mydata]');
    expect(s.volumes).toEqual([
      { type: 'bind', source: '/host', target: '/container', read_only: false, bind: { propagation: 'rslave', selinux: 'z' } },
      { type: 'volume', source: 'mydata', target: '/data', read_only: false, volume: { nocopy: true } },
    ]);
    expect(loadError('[services.foo]\nimage = "x"\ntmpfs = ["/run"]\nvolumes = ["/run"]')).toMatch(/\/run is already mounted \(tmpfs\)/);
  });

  it('container_name, and one replica only', () => {
    expect(svc('container_name = "my-web-container"').s.container_name).toBe('my-web-container');
    expect(loadError('[services.foo]\nimage = "x"\ncontainer_name = "c"\nscale = 2')).toMatch(/has 2 replicas: a fixed container_name allows one/);
    expect(loadError('[services.a]\nimage = "x"\ncontainer_name = "c"\n[services.b]\nimage = "x"\ncontainer_name = "c"')).toMatch(/container name "c" is also service "a"'s/);
  });

  it('pull_policy', () => {
    expect(svc('pull_policy = "always"').s.pull_policy).toBe('always');
    expect(svc('pull_policy = "every_2d"').warnings.some((w) => w.includes('"every_2d" is not applied by surge yet'))).toBe(true);
    expect(loadError('[services.foo]\nimage = "x"\npull_policy = "sometimes"')).toMatch(/invalid pull_policy "sometimes"/);
    expect(loadError('[services.foo]\nimage = "x"\npull_policy = "build"')).toMatch(/pull_policy "build" needs a `build` section/);
  });

  it('links and volumes_from are dependencies, as compose adds them', () => {
    const { project } = loadToml('[services.db]\nimage = "x"\n[services.data]\nimage = "x"\n[services.foo]\nimage = "x"\nlinks = ["db:database"]\nvolumes_from = ["data:ro", "container:other"]');
    expect(project.services.foo?.depends_on).toEqual({
      db: { condition: 'service_started', required: true, restart: true },
      data: { condition: 'service_started', required: true, restart: false },
    });
    expect(project.services.foo?.links).toEqual(['db:database']);
  });

  it('build: the classic builder\'s keys, and a warning for each BuildKit-only one', () => {
    const { s, warnings } = svc('[services.foo.build]\ncontext = "."\ncache_from = ["a"]\ntags = ["t"]\nnetwork = "host"\nplatforms = ["linux/amd64", "linux/arm64"]\nssh = ["default"]\nsecrets = ["s"]');
    expect(s.build).toMatchObject({ cache_from: ['a'], tags: ['t'], network: 'host', platforms: ['linux/amd64', 'linux/arm64'] });
    expect(warnings).toEqual(expect.arrayContaining([
      "warning: services.foo.build.ssh: needs BuildKit (docker buildx); the engine's classic builder that surge drives does not apply it",
      "warning: services.foo.build.secrets: needs BuildKit (docker buildx); the engine's classic builder that surge drives does not apply it",
      'warning: services.foo.build.platforms: the classic builder builds one platform: surge builds linux/amd64 (several need BuildKit)',
    ]));
    expect(loadError('[services.foo]\nplatform = "linux/s390x"\nbuild = { platforms = ["linux/amd64"] }')).toMatch(/build\.platforms must include the service's platform "linux\/s390x"/);
  });
});

describe('override files and compose keys', () => {
  it('lists add up, secrets and configs merge by target, sysctls and annotations entry by entry (compose-go override rules)', () => {
    const { project } = loadToml(
      '[secrets.a]\nfile = "./a"\n[secrets.b]\nfile = "./b"\n[services.foo]\nimage = "x"\nsecurity_opt = ["label:disable"]\ndns_opt = ["use-vc"]\nprofiles = ["one"]\nsecrets = ["a", { source = "a", target = "other" }]\nsysctls = ["net.core.somaxconn=1024"]\nannotations = { a = "1" }',
      {
        files: { 'over.toml': '[services.foo]\nsecurity_opt = ["no-new-privileges"]\ndns_opt = ["ndots:2"]\nprofiles = ["two"]\nsecrets = [{ source = "b", target = "a" }]\nsysctls = { "net.ipv4.ip_forward" = 1 }\nannotations = ["b=2"]\n' },
        load: ['Boltfile.toml', 'over.toml'],
        env: { COMPOSE_PROFILES: 'two' },
      },
    );
    const s = project.services.foo!;
    expect(s.security_opt).toEqual(['label:disable', 'no-new-privileges']);
    expect(s.dns_opt).toEqual(['use-vc', 'ndots:2']);
    expect(s.profiles).toEqual(['one', 'two']);
    // compose-go's EnforceUnicity: the later entry for a target takes the place of the first
    expect(s.secrets.map((m) => [m.source, m.target])).toEqual([['b', '/run/secrets/a'], ['a', '/run/secrets/other']]);
    expect(s.sysctls).toEqual({ 'net.core.somaxconn': '1024', 'net.ipv4.ip_forward': '1' });
    expect(s.annotations).toEqual({ a: '1', b: '2' });
  });
});
