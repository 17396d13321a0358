// More of the lifecycle on a real engine: the README's Docker quickstart, builds, Ctrl-C, JSON progress, logs.
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, CLI, docker, run, SLEEPER, Stack } from './cli.js';

const stacks: Stack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.destroy()));
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

describe('the Docker quickstart example', () => {
  it('comes up with builds, volume, one-shot and healthchecks, serves its page, and two copies run side by side', async () => {
    const [a, b] = [stack('dqs'), stack('dqs')];
    for (const s of [a, b]) cpSync(resolve(import.meta.dirname, '../../examples/bolt/docker-quickstart'), s.dir, { recursive: true });
    // Two checkouts: each is named after its folder, builds an image of its own and gets a port of its own.
    const ups = [await run(['up', '--wait', '--progress', 'plain'], a.dir), await run(['up', '--wait', '--progress', 'plain'], b.dir)];
    for (const [i, s] of [a, b].entries()) {
      const up = ups[i] as { code: number; stderr: string };
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain(`create image:${s.name}-web (not present locally: build)`);
      const where = await run(['port', 'web', '8080'], s.dir);
      expect(where.stdout).toMatch(/^127\.0\.0\.1:\d+\n$/);
      const page = await (await fetch(`http://${where.stdout.trim()}/`)).text();
      expect(page).toContain('It works.');
    }
    const ps = JSON.parse((await run(['ps', '--format', 'json'], a.dir)).stdout) as { service: string; state: string; health: string | null; exitCode: number | null }[];
    expect(ps.map((r) => [r.service, r.state, r.health])).toEqual([
      ['migrate', 'exited', null],
      ['store', 'running', 'healthy'],
      ['web', 'running', 'healthy'],
    ]);
    // A second up builds nothing and changes nothing.
    const again = await run(['up', '--progress', 'plain'], a.dir);
    expect(again.stderr).not.toContain('image:');
    expect(again.stderr).toContain('is up to date');
    // --build rebuilds; an unchanged build gives the same image, so nothing is recreated.
    const rebuilt = await run(['up', '--build', '--progress', 'plain'], a.dir);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toContain(`update image:${a.name}-web (rebuild requested (--build))`);
    expect(rebuilt.stderr).not.toContain('recreate service');
    // The image is the project's own: --rmi local takes it away, even after a plain down.
    expect((await run(['down', '--progress', 'plain'], a.dir)).code).toBe(0);
    const rmi = await run(['down', '--volumes', '--rmi', 'local', '--progress', 'plain'], a.dir);
    expect(rmi.stderr).toContain(`remove image:${a.name}-web (down --rmi local)`);
    expect((await docker.listImages({ filters: { reference: [`${a.name}-*`] } })).length).toBe(0);
    // The other copy is untouched.
    expect((await run(['ps', '--status', 'running', '--services'], b.dir)).stdout).toBe('store\nweb\n');
    // Taken down now: the engine has room for only so many networks, and the tests below need some.
    for (const s of [a, b]) {
      await s.destroy();
      stacks.splice(stacks.indexOf(s), 1);
    }
  });
});

describe('builds', () => {
  it('a broken Dockerfile fails clearly, naming the service and image, and touches nothing', async () => {
    const s = stack('bld');
    s.file('Dockerfile', `FROM ${BASE_IMAGE}\nRUN exit 7\n`);
    s.write(`[services.app]\nbuild = "."\ncommand = ${SLEEPER}\n`);
    const r = await s.surge('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`service app: building image "${s.name}-app" failed: .*returned a non-zero code: 7`));
    expect(Object.keys(await s.containers())).toEqual([]);
  });

  it('a changed build recreates the service that runs it', async () => {
    const s = stack('reb');
    s.file('Dockerfile', `FROM ${BASE_IMAGE}\nRUN echo one > /version\n`);
    s.write(`[services.app]\nbuild = "."\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('up')).code).toBe(0);
    const before = (await s.ids())[`${s.name}-app-1`];
    s.file('Dockerfile', `FROM ${BASE_IMAGE}\nRUN echo two > /version\n`);
    const r = await s.surge('up', '--build');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('recreate service:app#1 (image rebuilt)');
    expect((await s.ids())[`${s.name}-app-1`]).not.toBe(before);
    const cat = await s.surge('exec', '-T', 'app', '--', 'cat', '/version');
    expect(cat.stdout).toBe('two\n');
  });
});

describe('progress and interruption', () => {
  it('--progress json prints one event per line with ids and durations', async () => {
    const s = stack('json');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    const r = await run(['up', '--progress', 'json'], s.dir);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(['apply-started', 'action-started', 'action-finished', 'action-started', 'action-finished', 'apply-finished']);
    expect(events.find((e) => e.event === 'action-finished' && e.id === 'service:a#1')).toMatchObject({ kind: 'service', name: 'a', op: 'create', durationMs: expect.any(Number) });
  });

  it('Ctrl-C stops scheduling, lets in-flight actions finish, exits 130; the next up converges', async () => {
    // slow stays unhealthy for 8 s: Ctrl-C reaches the up while it still waits, however busy the machine.
    const s = stack('int');
    s.write(`
[services.slow]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'exit 0' TERM; sleep 8; touch /ok; while true; do sleep 3600 & wait $$!; done"]
healthcheck = { test = ["CMD", "test", "-f", "/ok"], interval = "300ms", retries = 60 }
[services.after]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { slow = { condition = "service_healthy" } }
[services.later]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = ["after"]
`);
    const child = spawn(process.execPath, [CLI, 'up', '--progress', 'plain', '--parallel', '1'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exit = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
    while (!err.includes('waiting for slow to be healthy')) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(err).toContain('Stopping: no new actions start');
    expect(err).toContain('not started (cancelled)');
    const cs = await s.containers();
    expect(cs[`${s.name}-later-1`]).toBeUndefined();
    const r = await s.surge('up', '--wait');
    expect(r.code).toBe(0);
    expect(Object.keys(await s.containers()).sort()).toEqual([`${s.name}-after-1`, `${s.name}-later-1`, `${s.name}-slow-1`]);
  });

  it('Ctrl-C exits 130 even when the in-flight action finishes, and ends --wait at once', async () => {
    const s = stack('intwait');
    s.write(`
[services.slowstop]
image = "${BASE_IMAGE}"
command = ["sleep", "1000"]
stop_grace_period = "3s"
[services.never]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
healthcheck = { test = ["CMD", "false"], interval = "500ms", retries = 1000 }
`);
    expect((await s.surge('up')).code).toBe(0);
    const interrupt = async (args: string[], when: string): Promise<{ code: number; err: string; ms: number }> => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const exit = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
      while (!err.includes(when)) await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      child.kill('SIGINT');
      const code = await exit;
      return { code, err, ms: Date.now() - t0 };
    };
    const before = (await s.ids())[`${s.name}-slowstop-1`];
    // The recreate is in flight when Ctrl-C comes: it finishes, and the exit code still says "interrupted".
    const recreate = await interrupt(['up', 'slowstop', '--force-recreate', '--progress', 'plain'], 'replacing');
    expect(recreate.code).toBe(130);
    expect(recreate.err).toContain('recreate service:slowstop#1: done');
    expect((await s.ids())[`${s.name}-slowstop-1`]).not.toBe(before);
    // Nothing is in flight during --wait: the first Ctrl-C ends it, long before --wait-timeout.
    const wait = await interrupt(['up', '--wait', '--wait-timeout', '60', '--progress', 'plain'], 'is up to date');
    expect(wait.code).toBe(130);
    expect(wait.ms).toBeLessThan(10_000);
    expect(wait.err).toContain('--wait interrupted');
  });

  it('a second Ctrl-C cuts a graceful stop short instead of waiting out stop_grace_period', async () => {
    const s = stack('abort');
    s.write(`[services.slowstop]\nimage = "${BASE_IMAGE}"\ncommand = ["sleep", "1000"]\nstop_grace_period = "60s"\n`);
    expect((await s.surge('up')).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'up', '--force-recreate', '--progress', 'plain'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exit = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
    while (!err.includes('replacing')) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(Date.now() - t0).toBeLessThan(15_000);
    // The replacement was finished, not left half-done: one running container under its own name.
    const cs = await s.containers();
    expect(Object.keys(cs)).toEqual([`${s.name}-slowstop-1`]);
    expect(cs[`${s.name}-slowstop-1`]?.State).toBe('running');
  });

  it('logs show container output with service prefixes; --tail and -t work', async () => {
    const s = stack('logs');
    s.write(`[services.talk]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "for i in 1 2 3; do echo line $$i; done; echo oops >&2; trap 'exit 0' TERM; while true; do sleep 3600 & wait $$!; done"]\n`);
    expect((await s.surge('up')).code).toBe(0);
    // up returns once the container is started; its shell prints a moment later (oops is printed last).
    for (let i = 0; !(await s.surge('logs')).stderr.includes('oops'); i++) {
      if (i > 300) throw new Error('the container did not print within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const all = await s.surge('logs');
    expect(all.stdout).toBe(`${s.name}-talk-1 | line 1\n${s.name}-talk-1 | line 2\n${s.name}-talk-1 | line 3\n`);
    expect(all.stderr).toContain(`${s.name}-talk-1 | oops`);
    const tail = await s.surge('logs', '--tail', '1', '--no-log-prefix', '-t');
    expect(tail.stdout + tail.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (line 3|oops)\n$/);
  });
});

describe('networks and volumes', () => {
  it('QUIC-flagged networks carry their flags; udp ports are published; services reach each other by name', async () => {
    const s = stack('quic');
    s.write(`[network]\ndriver = "quic"\nencryption = true\n[services.srv]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nports = ["127.0.0.1::4433/udp"]\n[services.cli]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    const plan = await s.surge('plan');
    expect(plan.stdout).toContain('encryption = true is not enforced: traffic on this network stays on this host; encryption is enforced on swarm overlay networks');
    const up = await s.surge('up');
    expect(up.code).toBe(0);
    expect(up.stderr).toContain('traffic on this network stays on this host');
    const net = await docker.getNetwork(`${s.name}_default`).inspect();
    expect(net.Labels).toMatchObject({ 'surge.quic': 'true', 'surge.encryption': 'true' });
    expect(net.Driver).toBe('bridge');
    const ps = JSON.parse((await s.surge('ps', '--format', 'json')).stdout) as { service: string; ports: string[] }[];
    expect(ps.find((p) => p.service === 'srv')?.ports[0]).toMatch(/^127\.0\.0\.1:\d+->4433\/udp$/);
    const ping = await s.surge('exec', '-T', 'cli', '--', 'ping', '-c', '1', '-W', '2', 'srv');
    expect(ping.code).toBe(0);
    const graph = await s.surge('graph', '--format', 'json');
    expect(JSON.parse(graph.stdout).networks).toEqual({ default: { quic: true, encryption: true, encryption_enforced: false } });
    expect((await s.surge('graph')).stdout).toContain('network:default (quic, encryption not enforced)');
  });

  it('an external network must exist, and is used by name', async () => {
    const s = stack('ext');
    s.write(`[networks.shared]\nexternal = true\nname = "${s.name}-corp"\n[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nnetworks = ["shared"]\n`);
    const r = await s.surge('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`external network "${s.name}-corp" (networks.shared) does not exist; create it first`);
    const net = await docker.createNetwork({ Name: `${s.name}-corp` });
    try {
      expect((await s.surge('up')).code).toBe(0);
      const info = await docker.getContainer(`${s.name}-a-1`).inspect();
      expect(Object.keys(info.NetworkSettings.Networks)).toEqual([`${s.name}-corp`]);
      expect((await s.surge('down')).code).toBe(0);
      await expect(net.inspect()).resolves.toBeTruthy();
    } finally {
      await net.remove().catch(() => undefined);
    }
  });
});

