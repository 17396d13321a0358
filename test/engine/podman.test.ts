// The basic lifecycle on Podman through its Docker API, as the README promises it (scripts/podman.sh serves it and
// loads the test image, which Podman names localhost/surge-test/busybox:1). Podman runs no healthchecks without
// systemd: a service_healthy dependency fails, in bounded time, saying so.
import { spawn } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, CLI, run, SLEEPER, Stack, type Result } from './cli.js';

const SOCKET = process.env.SURGE_PODMAN_SOCK ?? '/tmp/podman.sock';
const ENV = { DOCKER_HOST: `unix://${SOCKET}` };
const podman = new Docker({ socketPath: SOCKET });

const stacks: Stack[] = [];
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

afterAll(async () => {
  for (const s of stacks) await run(['down', '--volumes', '--remove-orphans', '-t', '1', '--progress', 'quiet'], s.dir, ENV);
});

function surge(s: Stack, ...args: string[]): Promise<Result> {
  return run(args, s.dir, ENV);
}

/** `timeout [-s TERM] SECONDS surge ARGS` on Podman, with how long it took */
function timed(s: Stack, seconds: number, args: string[]): Promise<Result & { ms: number }> {
  const began = Date.now();
  return new Promise((resolve) => {
    const child = spawn('timeout', ['-s', 'TERM', String(seconds), CLI, ...args], { cwd: s.dir, env: { ...process.env, NO_COLOR: '1', ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, ms: Date.now() - began }));
  });
}

async function projectObjects(project: string): Promise<string[]> {
  const containers = await podman.listContainers({ all: true, filters: { label: [`surge.project=${project}`] } });
  const networks = (await podman.listNetworks()).filter((n) => n.Name.startsWith(`${project}_`));
  const locks = await podman.listContainers({ all: true, filters: { name: [`surge.lock.${project}`] } });
  const beats = (await podman.listVolumes({ filters: { label: [`surge.lock.project=${project}`] } })).Volumes ?? [];
  return [...containers.map((c) => c.Names[0] ?? c.Id), ...networks.map((n) => n.Name), ...locks.map((c) => c.Names[0] ?? c.Id), ...beats.map((v) => v.Name)];
}

describe('Podman through its Docker API', () => {
  const s = stack('pod');

  it('up --wait: the locally loaded image is found (no pull); a service_healthy dependency fails in bounded time, naming the cause', async () => {
    s.write(`
[services.web]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "echo hello from web; trap 'exit 0' TERM; while true; do sleep 1; done"]
[services.db]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
healthcheck = { test = ["CMD", "true"], interval = "1s", timeout = "1s", retries = 3 }
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { db = { condition = "service_healthy" } }
`);
    const r = await timed(s, 120, ['up', '--wait', '--progress', 'plain']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(60_000);
    expect(r.stderr).not.toMatch(/pull/i);
    expect(r.stderr).toContain(
      'app needs db (healthy): service db: no healthcheck has run in 3 s: the engine does not run healthchecks — Podman needs systemd for them — or the check cannot start',
    );
  });

  it('ps shows what runs, on the image Podman resolved', async () => {
    const r = await surge(s, 'ps', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { service: string; state: string; image: string }[];
    expect(rows.map((x) => [x.service, x.state]).sort()).toEqual([
      ['db', 'running'],
      ['web', 'running'],
    ]);
    expect(rows[0]?.image).toBe(`localhost/${BASE_IMAGE}`);
  });

  it('logs', async () => {
    const r = await surge(s, 'logs', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hello from web');
  });

  it('plan finds the image present: no pull is planned', async () => {
    const r = await surge(s, 'plan', '--json');
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { actions: { id: string }[] };
    expect(plan.actions.map((a) => a.id)).not.toContain(`image:${BASE_IMAGE}`);
  });

  it('SIGTERM (from timeout) ends a waiting up as Ctrl-C does', async () => {
    const t = stack('podterm');
    // A 30 s check interval: surge would wait 90 s before judging that no check runs.
    t.write(`
[services.db]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
healthcheck = { test = ["CMD", "true"], interval = "30s" }
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { db = { condition = "service_healthy" } }
`);
    const r = await timed(t, 4, ['up', '--wait', '--progress', 'plain']);
    expect(r.code).toBe(124); // timeout had to send SIGTERM ...
    expect(r.ms).toBeLessThan(15_000); // ... and surge ended at once
    expect(r.stderr).toContain('Stopping: no new actions start and waits end');
    const down = await surge(t, 'down', '-t', '1');
    expect(down.code, down.stderr).toBe(0);
    expect(await projectObjects(t.name)).toEqual([]);
  });

  it('down removes everything, the lock included', async () => {
    const r = await surge(s, 'down', '-t', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(await projectObjects(s.name)).toEqual([]);
  });
});
