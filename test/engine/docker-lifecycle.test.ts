// surge up / down and friends on a real Docker engine, through the CLI as a user runs it.
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, docker, SLEEPER, Stack } from './cli.js';

const stacks: Stack[] = [];
function stack(prefix = 'e2e'): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.destroy()));
});

const THREE_TIER = (mode = 'prod') => `
[volumes.data]
[services.db]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'exit 0' TERM; touch /data/ready; while true; do sleep 3600 & wait $$!; done"]
volumes = ["data:/data"]
healthcheck = { test = ["CMD", "test", "-f", "/data/ready"], interval = "500ms", retries = 20 }

[services.migrate]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "echo migrated >> /data/migrations"]
volumes = ["data:/data"]
depends_on = { db = { condition = "service_healthy" } }

[services.api]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
environment = { MODE = "${mode}" }
depends_on = { db = { condition = "service_healthy" }, migrate = { condition = "service_completed_successfully" } }

[services.web]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = ["api"]
`;

describe('surge up on a real engine', () => {
  const s = stack('tier');

  it('cold up --wait converges a multi-tier stack in dependency order', async () => {
    s.write(THREE_TIER());
    const r = await s.surge('up', '--wait');
    expect(r.stderr).toContain('All services are up.');
    expect(r.code).toBe(0);
    const cs = await s.containers();
    expect(Object.keys(cs).sort()).toEqual([`${s.name}-api-1`, `${s.name}-db-1`, `${s.name}-migrate-1`, `${s.name}-web-1`]);
    expect(cs[`${s.name}-db-1`]?.Status).toContain('(healthy)');
    expect(cs[`${s.name}-migrate-1`]?.State).toBe('exited');
    expect(cs[`${s.name}-api-1`]?.State).toBe('running');
    expect(cs[`${s.name}-api-1`]?.Labels).toMatchObject({ 'surge.project': s.name, 'surge.service': 'api', 'surge.replica': '1' });
    // The migration ran after the store was healthy, and the api only after the migration completed.
    const order = r.stderr.split('\n').filter((l) => l.includes(': done in')).map((l) => l.trim().split(' ')[1]?.replace(/:$/, ''));
    expect(order.indexOf('service:migrate#1')).toBeGreaterThan(order.indexOf('service:db#1'));
    expect(order.indexOf('service:api#1')).toBeGreaterThan(order.indexOf('service:migrate#1'));
    const net = await docker.getNetwork(`${s.name}_default`).inspect();
    expect(net.Labels).toMatchObject({ 'surge.project': s.name, 'surge.network': 'default' });
  });

  it('a second up changes nothing and plan --detailed-exitcode is 0', async () => {
    const before = await s.ids();
    const r = await s.surge('up');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('is up to date');
    expect(await s.ids()).toEqual(before);
    expect((await s.surge('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('an environment change recreates exactly that service', async () => {
    const before = await s.ids();
    s.write(THREE_TIER('dev'));
    const plan = await s.surge('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('-/+ service:api#1  recreate  (env MODE changed)');
    const r = await s.surge('up');
    expect(r.code).toBe(0);
    const after = await s.ids();
    for (const name of Object.keys(before)) {
      if (name.endsWith('-api-1')) expect(after[name]).not.toBe(before[name]);
      else expect(after[name], name).toBe(before[name]);
    }
    const api = await docker.getContainer(after[`${s.name}-api-1`] as string).inspect();
    expect(api.Config.Env).toContain('MODE=dev');
    expect(api.State.Running).toBe(true);
  });

  it('a container stopped by hand is seen by plan and restarted by up', async () => {
    const web = `${s.name}-web-1`;
    await docker.getContainer(web).stop({ t: 1 });
    const plan = await s.surge('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/> service:web#1\s+start\s+\(stopped \(exited \d+\)\)/);
    expect((await s.surge('up')).code).toBe(0);
    expect((await docker.getContainer(web).inspect()).State.Running).toBe(true);
  });

  it('data in a named volume survives down and up; down --volumes removes it', async () => {
    expect((await s.surge('down')).code).toBe(0);
    expect(Object.keys(await s.containers())).toEqual([]);
    await expect(docker.getVolume(`${s.name}_data`).inspect()).resolves.toMatchObject({ Name: `${s.name}_data` });
    expect((await s.surge('up', '--wait')).code).toBe(0);
    const log = await s.surge('run', '--rm', 'migrate', '--', 'cat', '/data/migrations');
    expect(log.code).toBe(0);
    expect(log.stdout.trim().split('\n')).toEqual(['migrated', 'migrated']);
    expect((await s.surge('down', '--volumes')).code).toBe(0);
    await expect(docker.getVolume(`${s.name}_data`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getNetwork(`${s.name}_default`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('orphans, failures and guards', () => {
  it('warns about orphans, and --remove-orphans removes them', async () => {
    const s = stack('orph');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n[services.b]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('up')).code).toBe(0);
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    const up = await s.surge('up');
    expect(up.stderr).toContain(`orphan ${s.name}-b-1: service "b" is no longer in the Boltfile; remove it with --remove-orphans`);
    expect(Object.keys(await s.containers())).toContain(`${s.name}-b-1`);
    const plan = await s.surge('plan', '--remove-orphans');
    expect(plan.stdout).toContain('- service:b#1  remove    (orphan)');
    expect((await s.surge('up', '--remove-orphans')).code).toBe(0);
    expect(Object.keys(await s.containers())).toEqual([`${s.name}-a-1`]);
  });

  it('a missing image fails clearly and leaves the running stack untouched', async () => {
    const s = stack('miss');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nenvironment = { V = "1" }\n`);
    expect((await s.surge('up')).code).toBe(0);
    const before = await s.ids();
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nenvironment = { V = "2" }\n[services.b]\nimage = "surge-test/does-not-exist:404"\n`);
    const r = await s.surge('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/service b: cannot pull image "surge-test\/does-not-exist:404": .+/);
    expect(r.stderr).toContain('No container, network or volume was changed.');
    expect(await s.ids()).toEqual(before);
  });

  it("a failing service's dependents are skipped while an independent service comes up", async () => {
    const s = stack('fail');
    s.write(`
[services.broken]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "exit 3"]
[services.needs-broken]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { broken = { condition = "service_completed_successfully" } }
[services.after]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = ["needs-broken"]
[services.independent]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
`);
    const r = await s.surge('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('service:needs-broken#1: needs-broken needs broken (completed successfully): service broken exited with code 3');
    expect(r.stderr).toContain('skipped because something they depend on failed: service:after#1');
    const cs = await s.containers();
    expect(cs[`${s.name}-independent-1`]?.State).toBe('running');
    expect(cs[`${s.name}-needs-broken-1`]).toBeUndefined();
    expect(cs[`${s.name}-after-1`]).toBeUndefined();
  });

  it('two concurrent ups leave exactly one container per service', async () => {
    const s = stack('conc');
    s.write(['a', 'b', 'c'].map((n) => `[services.${n}]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`).join(''));
    const [r1, r2] = await Promise.all([s.surge('up'), s.surge('up')]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect(Object.keys(await s.containers()).sort()).toEqual([`${s.name}-a-1`, `${s.name}-b-1`, `${s.name}-c-1`]);
  });

  it('run --rm and exec work', async () => {
    const s = stack('exec');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nenvironment = { WHO = "surge" }\n`);
    expect((await s.surge('up')).code).toBe(0);
    const e = await s.surge('exec', '-T', 'a', '--', 'sh', '-c', 'echo hello $WHO; exit 5');
    expect(e.stdout).toBe('hello surge\n');
    expect(e.code).toBe(5);
    // compose's form: no `--`, the command's own options after the service.
    const bare = await s.surge('exec', '-T', 'a', 'ls', '-d', '/bin');
    expect([bare.code, bare.stdout]).toEqual([0, '/bin\n']);
    const r = await s.surge('run', '--rm', '-T', 'a', '--', 'sh', '-c', 'echo one-off $WHO');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('one-off surge');
    const all = await docker.listContainers({ all: true, filters: { label: [`surge.project=${s.name}`, 'surge.oneoff=true'] } });
    expect(all).toEqual([]);
    // A one-off that stays is labelled like every object surge creates: replica 1, one-off true.
    expect((await s.surge('run', '-T', 'a', 'true')).code).toBe(0);
    const kept = await docker.listContainers({ all: true, filters: { label: [`surge.project=${s.name}`, 'surge.oneoff=true'] } });
    expect(kept.map((c) => [c.Labels['surge.service'], c.Labels['surge.replica']])).toEqual([['a', '1']]);
  });

  it('apply refuses a plan made before the live state changed', async () => {
    const s = stack('stale');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n[services.b]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('plan', '-o', 'plan.json')).code).toBe(0);
    expect((await s.surge('up', 'a')).code).toBe(0);
    const r = await s.surge('apply', 'plan.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the live state of project ${s.name} changed since this plan was made`);
    expect(Object.keys(await s.containers())).toEqual([`${s.name}-a-1`]);
    expect((await s.surge('plan', '-o', 'fresh.json')).code).toBe(0);
    const ok = await s.surge('apply', 'fresh.json');
    expect(ok.code).toBe(0);
    expect(Object.keys(await s.containers()).sort()).toEqual([`${s.name}-a-1`, `${s.name}-b-1`]);
  });

  it('scale adds and removes replicas without recreating the existing one', async () => {
    const s = stack('scale');
    s.write(`[services.w]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('up')).code).toBe(0);
    const first = (await s.ids())[`${s.name}-w-1`];
    expect((await s.surge('scale', 'w=3')).code).toBe(0);
    const ids = await s.ids();
    expect(Object.keys(ids).sort()).toEqual([`${s.name}-w-1`, `${s.name}-w-2`, `${s.name}-w-3`]);
    expect(ids[`${s.name}-w-1`]).toBe(first);
    expect((await s.surge('up')).code).toBe(0);
    expect(Object.keys(await s.ids())).toEqual([`${s.name}-w-1`]);
  });

  it('GPU services fail the preflight on an engine without GPUs, with nothing created', async () => {
    const s = stack('gpu');
    s.write(`[services.plain]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n[services.trainer]\nimage = "${BASE_IMAGE}"\ngpu.nvidia = true\n[services.render]\nimage = "${BASE_IMAGE}"\ngpu.profile = "gaming"\n`);
    const r = await s.surge('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('services render, trainer ask for an NVIDIA GPU, but the engine at unix:///var/run/docker.sock cannot give one');
    expect(r.stderr).toContain('Install the NVIDIA Container Toolkit');
    expect(Object.keys(await s.containers())).toEqual([]);
    const nets = await docker.listNetworks({ filters: { label: [`surge.project=${s.name}`] } });
    expect(nets).toEqual([]);
    // plan and up --dry-run change nothing themselves, and say that up would stop.
    for (const args of [['plan'], ['up', '--dry-run']]) {
      const p = await s.surge(...args);
      expect(p.code).toBe(0);
      expect(p.stdout).toContain('! `surge up` would stop before changing anything: services render, trainer ask for an NVIDIA GPU');
    }
  });

  it('scale, run and a saved plan of GPU services fail the same preflight, with nothing created', async () => {
    const s = stack('gpu');
    s.write(`[volumes.data]\n[services.plain]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n[services.trainer]\nimage = "${BASE_IMAGE}"\ngpu.nvidia = true\nvolumes = ["data:/data"]\n`);
    const nothing = async () => {
      expect(Object.keys(await s.containers())).toEqual([]);
      expect(await docker.listNetworks({ filters: { label: [`surge.project=${s.name}`] } })).toEqual([]);
      expect((await docker.listVolumes({ filters: { label: [`surge.project=${s.name}`] } })).Volumes ?? []).toEqual([]);
    };
    for (const args of [['scale', 'trainer=1'], ['run', '--rm', 'trainer', '--', 'true']]) {
      const r = await s.surge(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('service trainer asks for an NVIDIA GPU');
      await nothing();
    }
    expect((await s.surge('plan', '-o', 'all.plan')).code).toBe(0);
    const all = await s.surge('apply', 'all.plan');
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('service trainer asks for an NVIDIA GPU');
    await nothing();
    // A plan that touches no GPU service needs no GPU.
    expect((await s.surge('plan', 'plain', '-o', 'plain.plan')).code).toBe(0);
    const plain = await s.surge('apply', 'plain.plan');
    expect(plain.code).toBe(0);
    expect(Object.keys(await s.containers())).toEqual([`${s.name}-plain-1`]);
  });
});
