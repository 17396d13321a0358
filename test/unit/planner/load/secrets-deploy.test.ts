// compose-go's secrets, configs, deploy and gpus cases (loader/tests/secrets_test.go, configs_test.go, deploy_test.go,
// devices_test.go, gpus_test.go) and where compose puts each on a single engine.
import { describe, expect, it } from 'vitest';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

describe('secrets and configs', () => {
  it('service-level short and long forms: targets under /run/secrets/ and /, uid, gid and mode', () => {
    const { project, warnings } = loadToml(`[secrets.secret1]
file = "./secret_data"
[secrets.secret2]
environment = "BAR"
[configs.config1]
file = "./config_data"
[configs.config2]
content = "inline"
[services.foo]
image = "alpine"
secrets = [{ source = "secret1", target = "/run/secrets/secret1" }, { source = "secret2", target = "my_secret", uid = "103", gid = "103", mode = 0o440 }, "secret2"]
configs = ["config1", { source = "config2", target = "/my_config", uid = "103", gid = "103", mode = "0440" }, { source = "config2", target = "rel.conf" }]
`, { files: { secret_data: 's', config_data: 'c' }, env: { BAR: 'this is a secret' } });
    const s = project.services.foo!;
    expect(s.secrets.map(({ source, target, uid, gid, mode }) => ({ source, target, uid, gid, mode }))).toEqual([
      { source: 'secret1', target: '/run/secrets/secret1', uid: null, gid: null, mode: null },
      { source: 'secret2', target: '/run/secrets/my_secret', uid: '103', gid: '103', mode: 0o440 },
      { source: 'secret2', target: '/run/secrets/secret2', uid: null, gid: null, mode: null },
    ]);
    expect(s.configs.map((c) => [c.target, c.mode])).toEqual([['/config1', null], ['/my_config', 0o440], ['/rel.conf', null]]);
    expect(project.secrets.secret2?.content?.reveal()).toBe('this is a secret');
    expect(JSON.stringify(project)).not.toContain('this is a secret');
    expect(warnings).toEqual([]);
  });

  it('top-level: file, environment, external in both forms, name, labels', () => {
    const { project } = loadToml(`[secrets.secret1]
file = "./secret_data"
labels = { foo = "bar" }
[secrets.secret2]
external = { name = "my_secret" }
[secrets.secret3]
external = true
[secrets.secret4]
name = "bar"
environment = "BAR"
[services.foo]
image = "alpine"
`, { env: { BAR: 'x' } });
    expect(project.secrets.secret1).toMatchObject({ labels: { foo: 'bar' }, external: false });
    expect(project.secrets.secret2).toMatchObject({ external: true, external_name: 'my_secret' });
    expect(project.secrets.secret3).toMatchObject({ external: true, external_name: 'secret3' });
    expect(project.secrets.secret4).toMatchObject({ environment: 'BAR', external_name: 'bar' });
  });

  it('problems are located; a file-based one keeps its own owner and mode (a warning says so)', () => {
    expect(loadError('[secrets.s]\n[services.foo]\nimage = "x"')).toMatch(/secrets\.s: a secret needs exactly one of `file`, `environment` or `external`/);
    expect(loadError('[services.foo]\nimage = "x"\nsecrets = ["nope"]\n[secrets.nop]\nfile = "./f"')).toMatch(/secrets\[0\]: secret "nope" is not declared; did you mean `nop`\?/);
    const { warnings } = loadToml('[secrets.s]\nfile = "./f"\n[services.foo]\nimage = "x"\nsecrets = [{ source = "s", mode = 0o400 }]');
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/a file-based secret is bind-mounted on a single engine/);
    expect(loadToml('[secrets.s]\nenvironment = "UNSET_ONE"\n[services.foo]\nimage = "x"').warnings.map((w) => w.message)).toContain(
      'warning: secrets.s.environment: variable UNSET_ONE is not set: a container using secret "s" cannot be created',
    );
  });
});

describe('deploy and gpus', () => {
  it('mode, replicas, labels, endpoint_mode: kept for Swarm, replicas applied, the rest warned about on Docker', () => {
    const { project, warnings } = loadToml('[services.foo]\nimage = "alpine"\n[services.foo.deploy]\nmode = "replicated"\nreplicas = 6\nlabels = ["FOO=BAR"]\nendpoint_mode = "dnsrr"');
    expect(project.services.foo).toMatchObject({ replicas: 6, deploy: { mode: 'replicated', labels: { FOO: 'BAR' }, endpoint_mode: 'dnsrr' } });
    expect(warnings.map((w) => w.path)).toEqual(['services.foo.deploy.labels', 'services.foo.deploy.endpoint_mode']);
  });

  it('update and rollback config, placement, restart delay and window: Swarm only', () => {
    const { project, warnings } = loadToml(`[services.foo]
image = "alpine"
[services.foo.deploy]
update_config = { parallelism = 3, delay = "10s", failure_action = "continue", monitor = "60s", max_failure_ratio = 0.3, order = "start-first" }
rollback_config = { parallelism = 3, order = "start-first" }
placement = { constraints = ["node=foo"], max_replicas_per_node = 5, preferences = [{ spread = "node.labels.az" }] }
restart_policy = { condition = "on-failure", delay = "5s", max_attempts = 3, window = "120s" }
`);
    const d = project.services.foo!.deploy!;
    expect(d.update_config).toEqual({ parallelism: 3, delay_ms: 10_000, failure_action: 'continue', monitor_ms: 60_000, max_failure_ratio: 0.3, order: 'start-first' });
    expect(d.placement).toEqual({ constraints: ['node=foo'], max_replicas_per_node: 5, preferences: [{ spread: 'node.labels.az' }] });
    expect(d.restart_policy).toEqual({ condition: 'on-failure', delay_ms: 5000, max_attempts: 3, window_ms: 120_000 });
    expect(project.services.foo!.restart).toBe('on-failure:3');
    expect(warnings.every((w) => w.message.endsWith('applies on the Swarm target only; a single Docker engine does not use it'))).toBe(true);
    expect(warnings).toHaveLength(5);
  });

  it('resources: limits and reservations, and their conflicts with the compose-v2 keys', () => {
    const { project } = loadToml('[services.foo]\nimage = "alpine"\ndeploy.resources.limits = { cpus = "0.001", memory = "50M" }\ndeploy.resources.reservations = { cpus = "0.0001", memory = "20M", generic_resources = [{ discrete_resource_spec = { kind = "gpu", value = 2 } }] }');
    expect(project.services.foo).toMatchObject({ cpu_limit: 0.001, memory_limit_bytes: 50 * 1024 ** 2, mem_reservation_bytes: 20 * 1024 ** 2, deploy: { cpu_reservation: 0.0001, generic_resources: [{ kind: 'gpu', value: 2 }] } });
    expect(loadError('[services.foo]\nimage = "x"\ncpus = 1\ndeploy.resources.limits.cpus = 2')).toMatch(/can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'/);
    expect(loadError('[services.foo]\nimage = "x"\nscale = 2\ndeploy.replicas = 3')).toMatch(/can't set distinct values on 'scale' and 'deploy.replicas'/);
    expect(loadToml('[services.foo]\nimage = "x"\nmem_limit = "50M"\ndeploy.resources.limits.memory = "50M"').project.services.foo?.memory_limit_bytes).toBe(50 * 1024 ** 2);
  });

  it('a device reservation with the "gpu" capability means gpu.nvidia; other devices are passed on', () => {
    const { project } = loadToml('[services.test]\nimage = "alpine"\n[[services.test.deploy.resources.reservations.devices]]\ndriver = "nvidia"\ncapabilities = ["gpu"]\ncount = "all"\noptions = { q_bits = 42 }');
    const gpu = project.services.test!.gpu!;
    expect(gpu).toMatchObject({ vendor: 'nvidia', devices: 'all', capabilities: ['compute', 'utility'] });
    expect(gpu.unenforced).toEqual(['GPU request options (q_bits)']);
    expect(project.services.test?.environment).toEqual({ NVIDIA_VISIBLE_DEVICES: 'all', NVIDIA_DRIVER_CAPABILITIES: 'compute,utility' });
    const { project: other } = loadToml('[services.test]\nimage = "alpine"\ngpus = [{ driver = "nvidia" }, { driver = "3dfx", device_ids = ["voodoo2"], capabilities = ["directX"] }]');
    expect(other.services.test?.gpu).toMatchObject({ devices: 'all', capabilities: ['compute', 'utility'] });
    expect(other.services.test?.device_requests).toEqual([{ driver: '3dfx', count: null, device_ids: ['voodoo2'], capabilities: ['directX', 'gpu'], options: {} }]);
    expect(loadError('[services.test]\nimage = "x"\ngpu.nvidia = true\ngpus = "all"')).toMatch(/the GPU is asked for twice/);
  });
});
