// The project lock on a real engine: two surge processes never apply one project at once, whatever their temp
// folder or spelling of the engine's address; a holder killed with -9 is taken over (at once on this machine, after
// its lease from elsewhere); and nothing of the lock is left once an apply is done.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, CLI, docker, SLEEPER, Stack, type Result } from './cli.js';

const stacks: Stack[] = [];
const temps: string[] = [];
const children: ChildProcess[] = [];
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'surge-lock-tmp-'));
  temps.push(d);
  return d;
}

afterAll(async () => {
  // A holder a failed test left running would hold its stack's lock forever.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) killGroup(c);
  await Promise.all(stacks.map((s) => s.destroy()));
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function killGroup(c: ChildProcess): void {
  try {
    process.kill(-(c.pid as number), 'SIGKILL');
  } catch {
    /* gone */
  }
}

interface Running {
  child: ChildProcess;
  done: Promise<Result & { ms: number }>;
  /** what it printed on stderr so far */
  stderr(): string;
}

/** `surge ARGS` in the stack's folder with extra environment; `prefix` runs it through another command. */
function start(s: Stack, args: string[], env: Record<string, string | undefined> = {}, prefix: string[] = []): Running {
  const began = Date.now();
  const argv = [...prefix, CLI, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), { cwd: s.dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<Result & { ms: number }>((resolve) => child.on('close', (code) => resolve({ code: code ?? 137, stdout, stderr, ms: Date.now() - began })));
  return { child, done, stderr: () => stderr };
}

async function lockContainers(project: string): Promise<{ Id: string; State: string; Labels: Record<string, string> }[]> {
  return docker.listContainers({ all: true, filters: { name: [`surge.lock.${project}`] } });
}

async function heartbeats(project: string): Promise<string[]> {
  const { Volumes } = await docker.listVolumes({ filters: { label: [`surge.lock.project=${project}`] } });
  return (Volumes ?? []).map((v) => v.Name);
}

async function until(what: string, test: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function networks(project: string): Promise<number> {
  return (await docker.listNetworks({ filters: { name: [`${project}_default`] } })).filter((n) => n.Name === `${project}_default`).length;
}

// db becomes healthy only once the test opens the gate (a file in ./gate): an `up` holds the lock until then.
const GATED_DB = `
[services.db]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
volumes = ["./gate:/gate"]
healthcheck = { test = ["CMD", "test", "-f", "/gate/open"], interval = "500ms", retries = 1000 }
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { db = { condition = "service_healthy" } }
`;

// db never becomes healthy while the test runs: an `up` holds the lock until it is killed.
const STUCK_DB = `
[services.db]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
healthcheck = { test = ["CMD", "true"], interval = "1h" }
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { db = { condition = "service_healthy" } }
`;

const PLAIN = `
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
`;

describe('the project lock on the engine', () => {
  it('two ups at once, with two temp folders and two spellings of the engine, apply one after the other', async () => {
    const s = stack('lockat');
    s.write(PLAIN);
    for (let trial = 0; trial < 3; trial++) {
      const a = start(s, ['up', '--progress', 'plain'], { TMPDIR: tempDir() });
      const b = start(s, ['up', '--progress', 'plain'], { TMPDIR: tempDir(), DOCKER_HOST: 'unix:///var/run/docker.sock' });
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0]);
      expect(await networks(s.name)).toBe(1);
      expect(Object.keys(await s.containers())).toEqual([`${s.name}-app-1`]);
      const down = await s.surge('down', '-t', '1');
      expect(down.code).toBe(0);
    }
    expect(await lockContainers(s.name)).toEqual([]);
    expect(await heartbeats(s.name)).toEqual([]);
  });

  it('a second up waits for the first, naming it; the lock is a created container during the apply and gone after', async () => {
    const s = stack('lockwait');
    s.write(GATED_DB);
    mkdirSync(join(s.dir, 'gate'));
    const first = start(s, ['up', '--progress', 'plain'], { TMPDIR: tempDir() });
    await until('the first up to take the lock', async () => (await lockContainers(s.name)).length === 1);
    const [lock] = await lockContainers(s.name);
    expect(lock?.State).toBe('created');
    expect(lock?.Labels).toMatchObject({ 'surge.lock.project': s.name, 'surge.lock.pid': String(first.child.pid), 'surge.lock.purpose': 'up' });
    const second = start(s, ['up', '--progress', 'plain'], { TMPDIR: tempDir(), DOCKER_HOST: 'unix:///var/run/docker.sock' });
    // However long the second takes to start, the first holds the lock until it has said it waits.
    await until('the second up to wait', async () => second.stderr().includes('waiting for another surge'), 90_000);
    writeFileSync(join(s.dir, 'gate', 'open'), '');
    const [r1, r2] = await Promise.all([first.done, second.done]);
    expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
    expect(r2.stderr).toMatch(new RegExp(`waiting for another surge \\(pid ${first.child.pid} on host \\S+ \\(up\\), since \\d\\d:\\d\\d:\\d\\d\\) applying project ${s.name}`));
    // The second found everything done by the first.
    expect(r2.stderr).not.toContain('create service');
    expect(await networks(s.name)).toBe(1);
    expect(await lockContainers(s.name)).toEqual([]);
    expect(await heartbeats(s.name)).toEqual([]);
  });

  it('a holder killed with -9 on this machine is taken over at once', async () => {
    const s = stack('lockkill');
    s.write(STUCK_DB);
    const holder = start(s, ['up', '--progress', 'plain']);
    await until('the holder to wait for db', async () => Object.keys(await s.containers()).length > 0 && (await lockContainers(s.name)).length === 1);
    killGroup(holder.child);
    await holder.done;
    s.write(PLAIN);
    const next = await s.surge('up', '--remove-orphans');
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toContain('waiting for another surge');
    expect(await lockContainers(s.name)).toEqual([]);
  });

  it('a holder killed with -9 whose pid this machine cannot see (its own pid namespace) is taken over after its lease', async () => {
    const s = stack('locklease');
    s.write(STUCK_DB);
    // A 4 s lease: it beats every 0.7 s while alive.
    const holder = start(s, ['up', '--progress', 'plain'], { SURGE_LOCK_LEASE: '4' }, ['unshare', '--pid', '--fork', '--mount-proc']);
    await until('the holder to beat', async () => (await heartbeats(s.name)).length > 0);
    killGroup(holder.child);
    const killed = await holder.done;
    expect(killed.code).toBe(137);
    expect(await lockContainers(s.name)).toHaveLength(1); // left behind
    s.write(PLAIN);
    const began = Date.now();
    const next = await s.surge('up', '--remove-orphans');
    const waited = Date.now() - began;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/waiting for another surge \(pid \d+ on host \S+ \(up\), since \d\d:\d\d:\d\d\)/);
    expect(waited).toBeGreaterThan(1500);
    expect(waited).toBeLessThan(20_000);
    expect(await lockContainers(s.name)).toEqual([]);
    expect(await heartbeats(s.name)).toEqual([]);
  });
});
