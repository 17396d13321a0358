// Host-process stacks through the CLI: the embedded default, and stacks that mix processes and containers.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { procStat } from '../../src/drivers/process/proc-info.js';
import { BASE_IMAGE, CLI, run, SLEEPER, Stack } from './cli.js';
import { copies, CORRUPTIONS, killProject, corruptRecord, gone, isAlive, killNow, pidOf, processesOf, type Target, tree, TREE_COMMAND, unrelatedProcess, until } from './process-harness.js';

const stacks: Stack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.destroy()));
  // A failed test must not leave processes behind: whatever still carries a stack's markers is killed by group.
  for (const s of stacks) killProject(s.name);
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

interface PsRow {
  service: string;
  state: string;
  pid: number | null;
  health: string | null;
  exitCode: number | null;
  driver: string;
}

async function ps(s: Stack): Promise<Record<string, PsRow>> {
  const r = await s.surge('ps', '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout) as PsRow[]).map((row) => [row.service, row]));
}

function alive(pid: number): boolean {
  const st = procStat(pid);
  return st !== null && !st.zombie;
}

const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

describe('host processes', () => {
  const s = stack('proc');
  const boltfile = (greeting: string) => `
[services.api]
command = "touch api.ready; echo api up; exec sleep 300"
healthcheck = { test = "test -f api.ready", interval = "200ms", retries = 20 }
[services.worker]
command = ["sh", "-c", "echo worker says $$\{GREETING}; sleep 300 & sleep 300"]
environment = { GREETING = "${greeting}" }
depends_on = { api = { condition = "service_healthy" } }
`;

  it('up waits for the healthcheck dependency and never touches Docker', async () => {
    s.write(boltfile('hi'));
    const r = await run(['up', '--progress', 'plain'], s.dir, NO_ENGINE);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('service:worker#1: waiting for api to be healthy');
    const rows = await ps(s);
    expect(rows.api).toMatchObject({ state: 'running', health: 'healthy', driver: 'process' });
    expect(rows.worker).toMatchObject({ state: 'running', health: null });
    expect(alive(rows.worker?.pid as number)).toBe(true);
  });

  it('a no-op up keeps the pids', async () => {
    const before = await ps(s);
    const r = await run(['up', '--progress', 'plain'], s.dir, NO_ENGINE);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('is up to date');
    const after = await ps(s);
    expect(after.api?.pid).toBe(before.api?.pid);
    expect(after.worker?.pid).toBe(before.worker?.pid);
  });

  it('an environment change restarts exactly that process, with a new pid', async () => {
    const before = await ps(s);
    s.write(boltfile('hello'));
    const plan = await s.surge('plan');
    expect(plan.stdout).toContain('-/+ service:worker#1  recreate  (env GREETING changed)');
    expect((await s.surge('up')).code).toBe(0);
    const after = await ps(s);
    expect(after.api?.pid).toBe(before.api?.pid);
    expect(after.worker?.pid).not.toBe(before.worker?.pid);
    expect(alive(before.worker?.pid as number)).toBe(false);
  });

  it('logs show what the processes printed', async () => {
    const r = await s.surge('logs', 'worker');
    expect(r.stdout).toMatch(new RegExp(`${s.name}-worker-1 \\| worker says hello`));
    const api = await s.surge('logs', '--no-log-prefix', 'api');
    expect(api.stdout).toContain('api up');
  });

  it('logs -f follows what the processes print (as the README shows), until interrupted', async () => {
    const child = spawn(process.execPath, [CLI, 'logs', '-f', 'api'], { cwd: s.dir, env: { ...process.env, NO_COLOR: '1', ...NO_ENGINE }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exit = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    await until(() => out.includes('api up'), 60_000, 'logs -f to print what api printed');
    expect(out).toContain(`${s.name}-api-1 | api up`);
    const exec = await s.surge('exec', 'api', '--', 'sh', '-c', 'echo followed-line >> "$0"', join(s.dir, '.surge', s.name, 'logs', 'api-1.log'));
    expect(exec.code, exec.stderr).toBe(0);
    await until(() => out.includes('followed-line'), 60_000, 'logs -f to follow the new line');
    expect(out).toContain(`${s.name}-api-1 | followed-line`);
    child.kill('SIGINT');
    expect(await exit).toBe(130);
  });

  it('down leaves no process behind, children included', async () => {
    const rows = await ps(s);
    const pids = Object.values(rows).map((r) => r.pid as number);
    const children = readFileSync('/proc/' + pids[1] + '/task/' + pids[1] + '/children', 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    expect((await s.surge('down')).code).toBe(0);
    for (const pid of [...pids, ...children]) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(join(s.dir, '.surge', s.name, 'worker-1.json'))).toBe(false);
  });

  it('start/restart after a Boltfile edit run the new config, and the record says so (plan has nothing left to do)', async () => {
    const t = stack('edit');
    const file = (mode: string): string => `[services.svc]\ncommand = "echo mode=$$MODE; exec sleep 300"\nenvironment = { MODE = "${mode}" }\n`;
    t.write(file('one'));
    expect((await t.surge('up')).code).toBe(0);
    expect((await t.surge('stop')).code).toBe(0);
    t.write(file('two'));
    expect((await t.surge('start')).code).toBe(0);
    t.write(file('three'));
    expect((await t.surge('restart')).code).toBe(0);
    // restart returns once the process is spawned; what it prints comes a moment later.
    await until(async () => (await t.surge('logs', 'svc')).stdout.includes('mode=three'), 60_000, 'the restarted process to print mode=three');
    const plan = await t.surge('plan', '--detailed-exitcode');
    expect(plan.stdout).toContain('no changes');
    expect(plan.code).toBe(0);
  });

  it('a corrupt state record is reported by ps, plan and up (never replaced silently); the copy it described is found and replaced', async () => {
    const t = stack('corrupt');
    t.write('[services.svc]\ncommand = "exec sleep 300"\n');
    expect((await t.surge('up')).code).toBe(0);
    const record = join(t.dir, '.surge', t.name, 'svc-1.json');
    const { pid } = JSON.parse(readFileSync(record, 'utf8')) as { pid: number };
    writeFileSync(record, '{ not json');
    const ps = (await t.surge('ps')).stdout;
    expect(ps).toMatch(/! .*svc-1: corrupt state file .*svc-1\.json/);
    expect(ps).toMatch(new RegExp(`! .*svc-1: its processes still run \\(pids? ${pid}(, \\d+)? in group ${pid}\\), found by their environment markers: \`up\` replaces them`));
    const plan = await t.surge('plan');
    expect(plan.stdout).toContain('service:svc#1  recreate  (state record not trusted)');
    expect(plan.stdout).toMatch(/svc-1: corrupt state file/);
    const up = await t.surge('up');
    expect(up.stderr).toMatch(/! .*svc-1: corrupt state file/);
    expect(up.stderr).toMatch(/stopping a copy of this replica that has no state record/);
    expect(up.stderr).toMatch(/kept the unreadable state record as .*svc-1\.json\.corrupt-/);
    // one copy runs: the new one; the one the record described was stopped by its group
    expect(alive(pid)).toBe(false);
    expect(processesOf(t.name).filter((p) => p.cmdline === 'sleep 300')).toHaveLength(1);
  });

  it('a process that exits non-zero is reported', async () => {
    const f = stack('crash');
    f.write('[services.crash]\ncommand = "echo failing; exit 3"\n');
    expect((await f.surge('up')).code).toBe(0);
    // up returns once the process is spawned: it ends (and its wrapper records the code) a moment later.
    await until(async () => (await ps(f)).crash?.state === 'exited', 60_000, 'the process to end');
    const rows = await ps(f);
    expect(rows.crash).toMatchObject({ state: 'exited', exitCode: 3 });
    const table = await f.surge('ps');
    expect(table.stdout).toMatch(/crash\s+exited \(3\)/);
    // --wait does not call a service up that already died, as compose's --wait does not; a completed one-shot is fine.
    f.write('[services.crash]\ncommand = "echo failing; exit 3"\n[services.once]\ncommand = "true"\n');
    const wait = await f.surge('up', '--wait', '--force-recreate');
    expect(wait.code).toBe(1);
    expect(wait.stderr).toContain('--wait: crash exited with code 3');
    expect(wait.stderr).not.toContain('--wait: once');
  });
});

describe('mixed stacks', () => {
  it('a host process waits for a healthy container, and containers wait for a healthy / completed process', async () => {
    const s = stack('mix');
    s.write(`
[services.db]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'exit 0' TERM; sleep 1; touch /ready; while true; do sleep 3600 & wait $$!; done"]
healthcheck = { test = ["CMD", "test", "-f", "/ready"], interval = "300ms", retries = 30 }
[services.app]
command = "echo app started after db; touch app.ready; exec sleep 300"
depends_on = { db = { condition = "service_healthy" } }
healthcheck = { test = "test -f app.ready", interval = "200ms", retries = 30 }
[services.front]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { app = { condition = "service_healthy" } }
[services.seed]
command = "echo seeded > seed.txt"
[services.edge]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { seed = { condition = "service_completed_successfully" } }
`);
    const r = await s.surge('up', '--wait');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('service:app#1: waiting for db to be healthy');
    expect(r.stderr).toContain('service:front#1: waiting for app to be healthy');
    const rows = await ps(s);
    expect(rows.db).toMatchObject({ driver: 'docker', state: 'running', health: 'healthy' });
    expect(rows.app).toMatchObject({ driver: 'process', state: 'running', health: 'healthy' });
    expect(rows.front).toMatchObject({ driver: 'docker', state: 'running' });
    expect(rows.edge).toMatchObject({ driver: 'docker', state: 'running' });
    expect(readFileSync(join(s.dir, 'seed.txt'), 'utf8')).toBe('seeded\n');
    expect((await s.surge('down')).code).toBe(0);
    expect(await ps(s)).toEqual({});
  });

  it('when the engine is needed and unreachable, the error names the services that need it', async () => {
    const s = stack('noeng');
    s.write(`[services.web]\nimage = "${BASE_IMAGE}"\n[services.db]\nimage = "${BASE_IMAGE}"\n[services.job]\ncommand = "true"\n`);
    const r = await run(['up'], s.dir, NO_ENGINE);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('surge: services db, web need a container engine: cannot reach a Docker engine at unix:///nonexistent/docker.sock');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

type PsRowWithProblems = PsRow & { problems?: string[] };

/** `surge ps` rows of one service (more than one when a replica runs twice), with the problems they report. */
async function psRows(s: Stack, service: string): Promise<PsRowWithProblems[]> {
  const r = await s.surge('ps', '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as PsRowWithProblems[]).filter((row) => row.service === service);
}

function stateText(row: PsRow): string {
  return row.exitCode === null ? row.state : `${row.state} (${row.exitCode})`;
}

async function treeStack(prefix: string, extra = ''): Promise<Stack> {
  const s = stack(prefix);
  s.write(`[services.svc]\ncommand = "${TREE_COMMAND}"\n${extra}`);
  const up = await s.surge('up');
  expect(up.code, up.stderr).toBe(0);
  await until(() => copies(s.name, 'svc').mains === 1 && copies(s.name, 'svc').children === 1, 60_000, 'the replica to start');
  return s;
}

type Copies = ReturnType<typeof copies>;

/**
 * The replica's processes once a fresh start has settled. `up` returns as soon as the wrapper is spawned: the main
 * process and its child are forked and exec'd a moment later (and, half-way, show neither command line). So this
 * waits (bounded) until the counts are `expected` (those it names), and returns what it last saw, for the test to
 * compare.
 */
async function settledCopies(s: Stack, expected: Partial<Copies>): Promise<Copies> {
  const same = (c: Copies): boolean => Object.entries(expected).every(([k, n]) => c[k as keyof Copies] === n);
  await until(() => same(copies(s.name, 'svc')), 30_000, 'the replica to settle').catch(() => undefined);
  return copies(s.name, 'svc');
}

describe('host processes: kill -9 of any process of a replica', () => {
  // What each kill leaves: the wrapper gone (the service still runs, adopted as it is), the main process gone (the
  // replica exited 137; its child is a leftover that up replaces), a child gone (nothing surge needs to do).
  const expected: Record<Target, object> = {
    wrapper: { ps: ['running'], afterUp: { wrappers: 0, mains: 1, children: 1, groups: 1 }, psAfterUp: ['running'], left: 0 },
    main: { ps: ['exited (137)'], afterUp: { wrappers: 1, mains: 1, children: 1, groups: 1 }, psAfterUp: ['running'], left: 0 },
    child: { ps: ['running'], afterUp: { wrappers: 1, mains: 1, children: 0, groups: 1 }, psAfterUp: ['running'], left: 0 },
  };
  it.each(['wrapper', 'main', 'child'] as Target[])('kill -9 of the %s, then ps, up, down: ps tells the truth, no second copy, nothing left', async (target) => {
    const s = await treeStack('kill');
    const victim = pidOf(s.name, 'svc', target);
    const wrapper = pidOf(s.name, 'svc', 'wrapper');
    killNow(victim);
    await gone(victim);
    // The wrapper records the main process's end, then ends itself.
    if (target === 'main') await gone(wrapper);
    const rows = await psRows(s, 'svc');
    const row = rows[0] as PsRowWithProblems;
    // ps names a live pid while the replica runs
    const shownAlive = rows.every((x) => x.state !== 'running' || isAlive(x.pid as number));
    const up = await s.surge('up');
    expect(up.code, up.stderr).toBe(0);
    const afterUp = await settledCopies(s, (expected[target] as { afterUp: Copies }).afterUp);
    const psAfterUp = await psRows(s, 'svc');
    expect((await s.surge('down')).code).toBe(0);
    const summary = { ps: rows.map(stateText), shownAlive, afterUp, psAfterUp: psAfterUp.map(stateText), left: processesOf(s.name).length };
    expect(summary).toEqual({ ...expected[target], shownAlive: true });
    // ps says what it found; up says whether it adopted or replaced.
    if (target === 'wrapper') {
      expect(row.problems?.join('\n')).toMatch(/wrapper .*was killed.*adopted/);
      expect(up.stderr).toMatch(/adopted/);
    }
    if (target === 'main') {
      expect(row.problems?.join('\n')).toMatch(/still run.*`up` stops/);
      expect(up.stderr).toMatch(/stopping what is left of the recorded run, whose wrapper is gone \(pid \d+ in group \d+\)/);
    }
    if (target === 'child') expect(row.problems ?? []).toEqual([]);
  });

  it('kill -9 of the pid `surge ps` shows, then up and down: one copy, then none', async () => {
    const s = await treeStack('kps');
    const shown = (await psRows(s, 'svc'))[0]?.pid as number;
    killNow(shown);
    await gone(shown);
    const rows = await psRows(s, 'svc');
    const shownAlive = rows.every((r) => r.state !== 'running' || isAlive(r.pid as number));
    expect((await s.surge('up')).code).toBe(0);
    const afterUp = await settledCopies(s, { mains: 1, groups: 1 });
    expect((await s.surge('down')).code).toBe(0);
    expect({ ps: rows.map((r) => r.state), shownAlive, afterUp, left: processesOf(s.name).length }).toMatchObject({
      ps: ['running'],
      shownAlive: true,
      afterUp: { mains: 1, groups: 1 },
      left: 0,
    });
  });

  it.each(['wrapper', 'main'] as Target[])('up --attach with restart = "always": kill -9 of the %s leaves exactly one copy running', async (target) => {
    const s = stack('katt');
    s.write(`[services.svc]\ncommand = "${TREE_COMMAND}"\nrestart = "always"\n`);
    const child = spawn(process.execPath, [CLI, 'up', '--attach', '--progress', 'plain'], { cwd: s.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exit = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    try {
      await until(() => out.includes('Attached to project') && copies(s.name, 'svc').mains === 1 && copies(s.name, 'svc').children === 1, 60_000, 'up --attach to start the replica');
      const main = pidOf(s.name, 'svc', 'main');
      const victim = pidOf(s.name, 'svc', target);
      killNow(victim);
      await gone(victim);
      if (target === 'main') await until(() => tree(s.name, 'svc').main.some((p) => p.pid !== main), 60_000, 'the supervisor to restart the replica');
      const want = target === 'main' ? { wrappers: 1, mains: 1, children: 1, groups: 1 } : { wrappers: 0, mains: 1, children: 1, groups: 1 };
      await settledCopies(s, want);
      // Give the supervisor time to act on what it sees (a second copy would appear within a few polls).
      await new Promise((r) => setTimeout(r, 3000));
      expect(copies(s.name, 'svc'), out).toEqual(want);
      expect((await psRows(s, 'svc')).map(stateText)).toEqual(['running']);
    } finally {
      child.kill('SIGINT');
      await exit;
    }
    expect((await s.surge('down')).code).toBe(0);
    expect(processesOf(s.name)).toEqual([]);
  });
});

describe('host processes: a state record that cannot be trusted', () => {
  it.each(CORRUPTIONS)('a %s record: ps says it runs, up leaves one copy, down stops it, an unrelated process is never signalled', async (kind) => {
    const s = await treeStack('rec');
    const unrelated = await unrelatedProcess();
    try {
      const before = tree(s.name, 'svc');
      corruptRecord(join(s.dir, '.surge', s.name, 'svc-1.json'), kind, unrelated.pid as number);
      const rows = await psRows(s, 'svc');
      const row = rows[0] as PsRowWithProblems;
      const up = await s.surge('up');
      expect(up.code, up.stderr).toBe(0);
      const afterUp = await settledCopies(s, { wrappers: 1, mains: 1, children: 1, groups: 1 });
      const psAfterUp = await psRows(s, 'svc');
      expect((await s.surge('down')).code).toBe(0);
      expect({ ps: rows.map((r) => r.state), afterUp, psAfterUp: psAfterUp.map(stateText), left: processesOf(s.name).length, unrelatedAlive: isAlive(unrelated.pid as number) }).toEqual({
        ps: ['running'],
        afterUp: { wrappers: 1, mains: 1, children: 1, groups: 1 },
        psAfterUp: ['running'],
        left: 0,
        unrelatedAlive: true,
      });
      // The running copy was replaced (the record could not say what config it runs), and both say so.
      expect(row.problems?.join('\n')).toMatch(/found by (its|their) environment markers.*`up` replaces/);
      expect(up.stderr).toMatch(/recreate|replac/);
      expect(before.main.every((p) => !isAlive(p.pid))).toBe(true);
      expect(psAfterUp.flatMap((r) => r.problems ?? [])).toEqual([]);
    } finally {
      unrelated.kill('SIGKILL');
    }
  });
});
