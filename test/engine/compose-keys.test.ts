// compose's keys on a real engine: surge creates what docker-compose (1.29, the one installed) creates for the same
// stack, field by field in `docker inspect`; and what compose 1.29 does not know (hooks, environment secrets,
// profiles on the command line) does what today's compose does.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, docker, SLEEPER, Stack } from './cli.js';

const stacks: Stack[] = [];
const composeProjects: { name: string; dir: string }[] = [];
afterAll(async () => {
  for (const p of composeProjects) spawnSync('docker-compose', ['-p', p.name, 'down', '-v', '-t', '1'], { cwd: p.dir });
  await Promise.all(stacks.map((s) => s.destroy()));
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

function inspect(name: string): Promise<Docker.ContainerInspectInfo> {
  return docker.getContainer(name).inspect();
}

/** The fields both tools must set the same way. */
function created(c: Docker.ContainerInspectInfo, network: string) {
  const h = c.HostConfig as Docker.HostConfig & Record<string, unknown>;
  const byName = <T extends { Name: string }>(l: T[] | null | undefined) => [...(l ?? [])].sort((a, b) => a.Name.localeCompare(b.Name));
  return {
    Init: h.Init,
    Ulimits: byName(h.Ulimits as { Name: string }[]),
    Sysctls: h.Sysctls,
    ShmSize: h.ShmSize,
    PidMode: h.PidMode,
    IpcMode: h.IpcMode,
    LogConfig: h.LogConfig,
    SecurityOpt: h.SecurityOpt,
    GroupAdd: h.GroupAdd,
    DnsSearch: h.DnsSearch,
    DnsOptions: h.DnsOptions,
    CgroupParent: h.CgroupParent,
    OomScoreAdj: h.OomScoreAdj,
    MemoryReservation: h.MemoryReservation,
    MemorySwap: h.MemorySwap,
    Memory: h.Memory,
    CpuShares: h.CpuShares,
    CpusetCpus: h.CpusetCpus,
    PidsLimit: h.PidsLimit,
    ExtraHosts: [...((h.ExtraHosts as string[] | null) ?? [])].sort(),
    Devices: h.Devices,
    CapAdd: h.CapAdd,
    PortBindings: h.PortBindings,
    Tty: c.Config.Tty,
    OpenStdin: c.Config.OpenStdin,
    ExposedPorts: c.Config.ExposedPorts,
    Domainname: c.Config.Domainname,
    MacAddress: c.NetworkSettings.Networks[network]?.MacAddress,
    IPAddress: c.NetworkSettings.Networks[network]?.IPAddress,
    Aliases: [...(c.NetworkSettings.Networks[network]?.Aliases ?? [])].filter((a) => !/^[0-9a-f]{12}$/.test(a)).sort(),
    SecretMount: c.Mounts.filter((m) => m.Destination.startsWith('/run/secrets')).map((m) => [m.Destination, m.RW]),
  };
}

describe('the same stack under docker-compose and surge', () => {
  it('creates the same container settings', async () => {
    const s = stack('cmp');
    const octet = 100 + Math.floor(Math.random() * 100);
    const subnet = `10.${octet}.${Math.floor(Math.random() * 250)}`;
    const port = 20000 + Math.floor(Math.random() * 20000);
    s.file('token.txt', 'file-secret\n');
    const composeName = `${s.name}dc`;
    composeProjects.push({ name: composeName, dir: s.dir });
    s.file(
      'docker-compose.yml',
      `version: "3.9"
services:
  app:
    image: ${BASE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 3600 & wait $$!; done"]
    init: true
    ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } }
    sysctls: { net.core.somaxconn: "1024" }
    shm_size: 64m
    ipc: shareable
    logging: { driver: json-file, options: { max-size: 1m, max-file: "3" } }
    security_opt: ["no-new-privileges:true"]
    group_add: ["1234"]
    dns_search: example.com
    dns_opt: ["use-vc"]
    oom_score_adj: 500
    mem_reservation: 64m
    mem_limit: 256m
    memswap_limit: 512m
    cpu_shares: 512
    cpuset: "0"
    pids_limit: 100
    extra_hosts: ["alpha:10.0.0.1", "beta:10.0.0.2"]
    devices: ["/dev/null:/dev/mynull:rw"]
    cap_add: [NET_ADMIN]
    ports: ["${port}-${port + 5}:80"]
    expose: ["3000", "4000/udp"]
    stdin_open: true
    tty: true
    domainname: example.com
    mac_address: "02:42:ac:11:65:43"
    secrets: [token]
    networks:
      front: { ipv4_address: ${subnet}.10, aliases: [web] }
networks:
  front:
    ipam: { config: [{ subnet: ${subnet}.0/24 }] }
secrets:
  token: { file: ./token.txt }
`,
    );
    const up = spawnSync('docker-compose', ['-p', composeName, 'up', '-d'], { cwd: s.dir, encoding: 'utf8' });
    expect(up.status, up.stderr).toBe(0);
    const theirs = created(await inspect(`${composeName}_app_1`), `${composeName}_front`);
    spawnSync('docker-compose', ['-p', composeName, 'down', '-v', '-t', '1'], { cwd: s.dir });
    // compose did apply them: the comparison below is between two set values, not two absent ones.
    expect(theirs).toMatchObject({ Init: true, ShmSize: 64 * 1024 ** 2, IpcMode: 'shareable', PidsLimit: 100, Tty: true, MacAddress: '02:42:ac:11:65:43', IPAddress: `${subnet}.10` });
    expect(theirs.Ulimits).toHaveLength(2);
    expect(theirs.SecretMount).toEqual([['/run/secrets/token', false]]);

    s.write(`
[networks.front]
ipam = { config = [{ subnet = "${subnet}.0/24" }] }
[secrets.token]
file = "./token.txt"
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
init = true
ulimits = { nproc = 65535, nofile = { soft = 1024, hard = 2048 } }
sysctls = { "net.core.somaxconn" = "1024" }
shm_size = "64m"
ipc = "shareable"
logging = { driver = "json-file", options = { max-size = "1m", max-file = "3" } }
security_opt = ["no-new-privileges:true"]
group_add = [1234]
dns_search = "example.com"
dns_opt = ["use-vc"]
oom_score_adj = 500
mem_reservation = "64m"
mem_limit = "256m"
memswap_limit = "512m"
cpu_shares = 512
cpuset = "0"
pids_limit = 100
extra_hosts = ["alpha:10.0.0.1", "beta=10.0.0.2"]
devices = ["/dev/null:/dev/mynull:rw"]
cap_add = ["NET_ADMIN"]
ports = ["${port}-${port + 5}:80"]
expose = ["3000", "4000/udp"]
stdin_open = true
tty = true
domainname = "example.com"
mac_address = "02:42:ac:11:65:43"
secrets = ["token"]
networks = { front = { ipv4_address = "${subnet}.10", aliases = ["web"] } }
`);
    const r = await s.surge('up');
    expect(r.code, r.stderr).toBe(0);
    const ours = created(await inspect(`${s.name}-app-1`), `${s.name}_front`);
    // compose 1.29 adds its container name and id as aliases; the service name and the declared alias are in both.
    expect(ours.Aliases).toEqual(expect.arrayContaining(['app', 'web']));
    expect(theirs.Aliases).toEqual(expect.arrayContaining(['app', 'web']));
    expect({ ...ours, Aliases: null }).toEqual({ ...theirs, Aliases: null });
    expect(ours.IPAddress).toBe(`${subnet}.10`);
    const cat = await s.surge('exec', '-T', 'app', '--', 'cat', '/run/secrets/token');
    expect(cat.stdout).toBe('file-secret\n');
  });
});

describe('what compose 1.29 does not know', () => {
  it('environment secrets and inline configs are copied in with their mode; hooks run after start and before stop', async () => {
    const s = stack('hk');
    s.write(`
[secrets.api_key]
environment = "SURGE_TEST_API_KEY"
[configs.motd]
content = "welcome to \${SURGE_TEST_WHO}"
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
secrets = [{ source = "api_key", target = "key", mode = 0o400 }]
configs = [{ source = "motd", target = "/etc/motd" }]
volumes = ["./out:/out"]
post_start = [{ command = ["sh", "-c", "echo started > /out/post"] }]
pre_stop = [{ command = ["sh", "-c", "echo stopping > /out/pre"] }]
`);
    const env = { SURGE_TEST_API_KEY: 'k-123', SURGE_TEST_WHO: 'surge' };
    const { run } = await import('./cli.js');
    const up = await run(['up', '--progress', 'plain'], s.dir, env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr + up.stdout).not.toContain('k-123');
    expect((await s.surge('exec', '-T', 'app', '--', 'cat', '/run/secrets/key')).stdout).toBe('k-123');
    expect((await s.surge('exec', '-T', 'app', '--', 'stat', '-c', '%a', '/run/secrets/key')).stdout).toBe('400\n');
    expect((await s.surge('exec', '-T', 'app', '--', 'cat', '/etc/motd')).stdout).toBe('welcome to surge');
    expect(readFileSync(join(s.dir, 'out/post'), 'utf8')).toBe('started\n');
    const labels = (await inspect(`${s.name}-app-1`)).Config.Labels;
    expect(JSON.stringify(labels)).not.toContain('k-123');
    expect(existsSync(join(s.dir, 'out/pre'))).toBe(false);
    expect((await run(['stop', '--progress', 'plain'], s.dir, env)).code).toBe(0);
    expect(readFileSync(join(s.dir, 'out/pre'), 'utf8')).toBe('stopping\n');
    // A new secret value gives a new container, and the plan does not show the value.
    const plan = await run(['plan'], s.dir, { ...env, SURGE_TEST_API_KEY: 'k-456' });
    expect(plan.stdout).toContain('config changed');
    expect(plan.stdout + plan.stderr).not.toMatch(/k-456|k-123/);
  });

  it('a failing post_start hook fails the start, with what it printed', async () => {
    const s = stack('hkf');
    s.write(`[services.app]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\npost_start = [{ command = ["sh", "-c", "echo no database >&2; exit 3"] }]\n`);
    const r = await s.surge('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('service app: post_start hook `sh -c echo no database >&2; exit 3` exited with status 3: no database');
  });

  it('profiles: left out until active; network_mode service:NAME shares the namespace; container_name names it', async () => {
    const s = stack('prof');
    s.write(`
[services.db]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
container_name = "${s.name}-the-db"
hostname = "dbhost"
[services.sidecar]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
network_mode = "service:db"
[services.debug]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
profiles = ["debug"]
`);
    expect((await s.surge('up')).code).toBe(0);
    expect(Object.keys(await s.containers()).sort()).toEqual([`${s.name}-sidecar-1`, `${s.name}-the-db`]);
    const sidecar = await inspect(`${s.name}-sidecar-1`);
    const db = await inspect(`${s.name}-the-db`);
    expect(sidecar.HostConfig.NetworkMode).toBe(`container:${db.Id}`);
    expect((await s.surge('exec', '-T', 'sidecar', '--', 'hostname')).stdout).toBe('dbhost\n');
    const withProfile = await s.surge('--profile', 'debug', 'up');
    expect(withProfile.code, withProfile.stderr).toBe(0);
    expect(Object.keys(await s.containers())).toContain(`${s.name}-debug-1`);
    // Without the profile, its container is the project's all the same: no orphan to remove.
    const plain = await s.surge('up', '--remove-orphans');
    expect(plain.stderr).not.toContain('orphan');
    expect(Object.keys(await s.containers())).toContain(`${s.name}-debug-1`);
  });
});
