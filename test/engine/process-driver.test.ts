// Real host processes: spawned detached, observed through .surge records, stopped by process group.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/drivers/driver.js';
import { createProcessDriver } from '../../src/drivers/process/process-driver.js';
import { instanceId } from '../../src/drivers/process/markers.js';
import { procStat } from '../../src/drivers/process/proc-info.js';
import { serviceConfigHash } from '../../src/model/config-hash.js';
import type { Project } from '../../src/model/model.js';
import type { Action } from '../../src/model/plan-types.js';
import { loadToml } from '../fixtures/load-toml.js';
import { processesOf, until } from './process-harness.js';

const driver = createProcessDriver({ env: process.env });
const ctx = (): ActionContext => ({ signal: new AbortController().signal, log: () => {} });
const started: Project[] = [];

function project(toml: string, files: Record<string, string> = {}): Project {
  const p = loadToml(`project = "pd${Math.random().toString(36).slice(2, 8)}"\n${toml}`, { files }).project;
  started.push(p);
  return p;
}

function create(p: Project, service: string, replica = 1): Action {
  const s = p.services[service];
  if (!s) throw new Error(service);
  return { id: `service:${service}#${replica}`, kind: 'service', name: service, op: 'create', reason: 'test', dependsOn: [], driver: 'process', replica, configHash: serviceConfigHash(s, null) };
}

function alive(pid: number): boolean {
  const s = procStat(pid);
  return s !== null && !s.zombie;
}


afterEach(async () => {
  for (const p of started.splice(0)) {
    const { containers } = await driver.observe(p);
    for (const c of containers) {
      await driver.apply({ id: 'x', kind: 'service', name: c.service, op: 'remove', reason: 'cleanup', dependsOn: [], driver: 'process', replica: c.replica, timeoutSeconds: 1 }, p, ctx());
    }
  }
});

describe('process driver', () => {
  it('starts a detached process, records it privately, and observes it running', async () => {
    const p = project('[services.sleeper]\ncommand = ["sleep", "300"]');
    await driver.apply(create(p, 'sleeper'), p, ctx());
    const { containers } = await driver.observe(p);
    expect(containers).toHaveLength(1);
    const c = containers[0]!;
    expect(c).toMatchObject({ driver: 'process', service: 'sleeper', replica: 1, state: 'running', configHash: serviceConfigHash(p.services.sleeper!, null) });
    expect(c.pid).toBeGreaterThan(1);
    expect(alive(c.pid!)).toBe(true);
    expect(statSync(join(p.workingDir, '.surge')).mode & 0o777).toBe(0o700);
    const record = join(p.workingDir, '.surge', p.name, 'sleeper-1.json');
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(record, 'utf8'))).toMatchObject({ pid: c.pid, service: 'sleeper', stoppedAt: null });
  });

  it('stop takes the whole process group, children included, and keeps the record', async () => {
    const p = project('[services.tree]\ncommand = "sleep 300 & echo $! > child.pid; sleep 300"');
    await driver.apply(create(p, 'tree'), p, ctx());
    const childFile = join(p.workingDir, 'child.pid');
    await until(() => existsSync(childFile) && readFileSync(childFile, 'utf8').trim() !== '');
    const child = Number(readFileSync(childFile, 'utf8'));
    const { containers } = await driver.observe(p);
    const pid = containers[0]!.pid!;
    expect(alive(child)).toBe(true);
    await driver.apply({ ...create(p, 'tree'), op: 'stop', containerId: containers[0]!.id, timeoutSeconds: 5 }, p, ctx());
    expect(alive(pid)).toBe(false);
    expect(alive(child)).toBe(false);
    expect((await driver.observe(p)).containers[0]).toMatchObject({ state: 'exited', stoppedBySurge: true, pid: null });
  });

  it('a process ignoring SIGTERM is killed after the grace period', async () => {
    const p = project('[services.stubborn]\ncommand = "trap \'\' TERM; touch trapped; while true; do sleep 0.1; done"\nstop_grace_period = "500ms"');
    await driver.apply(create(p, 'stubborn'), p, ctx());
    // Stopping before the shell has set its trap would end it at once: wait until it ignores SIGTERM.
    await until(() => existsSync(join(p.workingDir, 'trapped')));
    const pid = (await driver.observe(p)).containers[0]!.pid!;
    const t0 = Date.now();
    await driver.apply({ ...create(p, 'stubborn'), op: 'stop' }, p, ctx());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(alive(pid)).toBe(false);
    // Killed with the group, the wrapper could not record the end: surge records 137, as an engine would.
    expect((await driver.observe(p)).containers[0]).toMatchObject({ state: 'exited', exitCode: 137 });
  });

  it('reports a process that exited non-zero with its code', async () => {
    const p = project('[services.fails]\ncommand = "echo about to fail; exit 3"');
    await driver.apply(create(p, 'fails'), p, ctx());
    await until(async () => (await driver.observe(p)).containers[0]?.exitCode === 3);
    expect((await driver.observe(p)).containers[0]).toMatchObject({ state: 'exited', exitCode: 3, stoppedBySurge: false });
    await expect(driver.waitFor(p, 'fails', 'service_completed_successfully', ctx())).rejects.toThrow('service fails exited with code 3');
  });

  it('service_completed_successfully for exit 0', async () => {
    const p = project('[services.job]\ncommand = "sleep 0.2; exit 0"');
    await driver.apply(create(p, 'job'), p, ctx());
    await expect(driver.waitFor(p, 'job', 'service_completed_successfully', ctx())).resolves.toBeUndefined();
  });

  it('service_healthy waits for the host healthcheck, and fails when it never passes', async () => {
    const p = project(`[services.api]
command = "sleep 0.5; touch ready; sleep 300"
healthcheck = { test = "test -f ready", interval = "200ms", retries = 3, start_period = "5s" }
[services.sick]
command = ["sleep", "300"]
healthcheck = { test = ["CMD", "false"], interval = "100ms", retries = 2 }
[services.nocheck]
command = ["sleep", "300"]
`);
    for (const s of ['api', 'sick', 'nocheck']) await driver.apply(create(p, s), p, ctx());
    await expect(driver.waitFor(p, 'api', 'service_healthy', ctx())).resolves.toBeUndefined();
    expect(existsSync(join(p.workingDir, 'ready'))).toBe(true);
    await expect(driver.waitFor(p, 'sick', 'service_healthy', ctx())).rejects.toThrow('service sick is unhealthy');
    await expect(driver.waitFor(p, 'nocheck', 'service_healthy', ctx())).rejects.toThrow('service nocheck has no healthcheck, so service_healthy can never be met');
    const api = (await driver.observe(p)).containers.find((c) => c.service === 'api')!;
    expect(await driver.probeHealth(p, api)).toBe('healthy');
  });

  it('service_healthy: a process that ended while its check ran is not healthy', async () => {
    // The check outlasts the process by far: a busy machine may start the process's shell late.
    const p = project(`[services.brief]
command = "sleep 0.3; exit 4"
healthcheck = { test = "sleep 3", interval = "100ms", retries = 3 }
`);
    await driver.apply(create(p, 'brief'), p, ctx());
    await expect(driver.waitFor(p, 'brief', 'service_healthy', ctx())).rejects.toThrow(/service brief exited( with code 4)? before becoming healthy/);
  });

  it('service_healthy checks every replica in its own environment', async () => {
    const p = project(`[services.pair]
command = "test $$SURGE_REPLICA = 1 && touch ready-1; exec sleep 300"
replicas = 2
healthcheck = { test = "test -f ready-$$SURGE_REPLICA", interval = "100ms", retries = 3 }
`);
    await driver.apply(create(p, 'pair', 1), p, ctx());
    await driver.apply(create(p, 'pair', 2), p, ctx());
    await expect(driver.waitFor(p, 'pair', 'service_healthy', ctx())).rejects.toThrow('service pair is unhealthy');
  });

  it('never mistakes a reused pid for its own process, and never signals it', async () => {
    const p = project('[services.victim]\ncommand = ["sleep", "300"]');
    const unrelated = spawn('sleep', ['300'], { stdio: 'ignore' });
    await new Promise((r) => unrelated.once('spawn', r));
    try {
      await driver.apply(create(p, 'victim'), p, ctx());
      const record = join(p.workingDir, '.surge', p.name, 'victim-1.json');
      const data = JSON.parse(readFileSync(record, 'utf8'));
      await driver.apply({ ...create(p, 'victim'), op: 'stop' }, p, ctx());
      // Simulate pid reuse: the record now points at an unrelated live process with another start time.
      writeFileSync(record, JSON.stringify({ ...data, pid: unrelated.pid, startTime: '1', stoppedAt: null }));
      const c = (await driver.observe(p)).containers[0]!;
      expect(c.state).toBe('exited');
      expect(c.problems.join()).toContain(`pid ${unrelated.pid} now belongs to another process (pid reuse)`);
      await driver.apply({ ...create(p, 'victim'), op: 'remove', timeoutSeconds: 1 }, p, ctx());
      expect(alive(unrelated.pid!)).toBe(true);
    } finally {
      unrelated.kill('SIGKILL');
    }
  });

  it('reports a corrupt record instead of trusting it', async () => {
    // the first run ends at once (nothing of it is alive to find); the one after it runs
    const p = project('[services.x]\ncommand = "if [ -f again ]; then exec sleep 300; fi; touch again"');
    await driver.apply(create(p, 'x'), p, ctx());
    await until(async () => (await driver.observe(p)).containers[0]?.exitCode === 0);
    writeFileSync(join(p.workingDir, '.surge', p.name, 'x-1.json'), '{ not json');
    const c = (await driver.observe(p)).containers[0]!;
    expect(c.state).toBe('dead');
    expect(c.problems[0]).toMatch(/^corrupt state file .*x-1\.json/);
    // A new process of that replica never overwrites the unreadable record: it is kept aside, and said so.
    const lines: string[] = [];
    await driver.apply({ ...create(p, 'x'), op: 'recreate' }, p, { signal: new AbortController().signal, log: (l) => lines.push(l) });
    const aside = readdirSync(join(p.workingDir, '.surge', p.name)).filter((f) => f.startsWith('x-1.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(p.workingDir, '.surge', p.name, aside[0]!), 'utf8')).toBe('{ not json');
    expect(lines.some((l) => l.includes('kept the unreadable state record'))).toBe(true);
    expect((await driver.observe(p)).containers.map((x) => x.state)).toEqual(['running']);
  });

  it('logs return what the process printed; tail works', async () => {
    const p = project('[services.talker]\ncommand = "for i in 1 2 3 4 5; do echo line $$i; done; echo oops >&2; sleep 300"');
    await driver.apply(create(p, 'talker'), p, ctx());
    const containers = (await driver.observe(p)).containers;
    const read = async (tail: number | null): Promise<string[]> => {
      const lines: string[] = [];
      await driver.logs(p, containers, { follow: false, tail, since: null, timestamps: false }, (l) => lines.push(l.text), new AbortController().signal);
      return lines;
    };
    await until(async () => (await read(null)).includes('oops'));
    expect(await read(null)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'oops']);
    expect(await read(2)).toEqual(['line 5', 'oops']);
  });

  it('recreate replaces the process (new pid); replicas get their own records', async () => {
    const p = project('[services.w]\ncommand = ["sleep", "300"]\nreplicas = 2');
    await driver.apply(create(p, 'w', 1), p, ctx());
    await driver.apply(create(p, 'w', 2), p, ctx());
    const before = (await driver.observe(p)).containers.map((c) => c.pid);
    expect(new Set(before).size).toBe(2);
    await driver.apply({ ...create(p, 'w', 1), op: 'recreate', timeoutSeconds: 1 }, p, ctx());
    const after = (await driver.observe(p)).containers;
    expect(after.find((c) => c.replica === 1)?.pid).not.toBe(before[0]);
    expect(alive(before[0]!)).toBe(false);
    expect(after.every((c) => c.state === 'running')).toBe(true);
  });

  it('exec and run use the service environment and return the exit code', async () => {
    const p = project('[services.e]\ncommand = ["sleep", "300"]\nenv.GREETING = "hi"');
    await driver.apply(create(p, 'e'), p, ctx());
    const c = (await driver.observe(p)).containers[0]!;
    const opts = { interactive: false, tty: false, user: null, workdir: null, env: {} };
    expect(await driver.exec(p, c, ['sh', '-c', 'test "$GREETING" = hi && test "$SURGE_SERVICE" = e'], opts)).toBe(0);
    expect(await driver.exec(p, c, ['sh', '-c', 'exit 7'], opts)).toBe(7);
    expect(await driver.run(p, p.services.e!, { ...opts, remove: true, command: ['sh', '-c', 'exit 4'], entrypoint: null })).toBe(4);
    await expect(driver.exec(p, c, ['id'], { ...opts, user: 'nobody' })).rejects.toThrow('service e is a host process: -u/--user does not apply');
  });

  it('never takes an exit code written by another process for the run\'s own', async () => {
    const p = project('[services.x]\ncommand = ["sleep", "300"]');
    await driver.apply(create(p, 'x'), p, ctx());
    const dir = join(p.workingDir, '.surge', p.name);
    const record = JSON.parse(readFileSync(join(dir, 'x-1.json'), 'utf8')) as { pid: number; run: string };
    expect(record.run).toMatch(/^[0-9a-f]{16}$/);
    // An older run that outlived its record (as an earlier surge's wrapper, or another run's) writes when it ends.
    writeFileSync(join(dir, 'x-1.exit'), '7');
    writeFileSync(join(dir, 'x-1.0123456789abcdef.exit'), '7');
    // The recorded run's whole group is killed: its wrapper cannot write, so its exit code is unknown, not 7.
    process.kill(-record.pid, 'SIGKILL');
    await until(async () => (await driver.observe(p)).containers[0]?.state === 'exited');
    expect((await driver.observe(p)).containers[0]).toMatchObject({ state: 'exited', exitCode: null });
    // The next start clears every exit file of the replica; its own end is recorded under its own run.
    await driver.apply({ ...create(p, 'x'), op: 'start' }, p, ctx());
    expect(readdirSync(dir).filter((f) => f.endsWith('.exit'))).toEqual([]);
    await driver.apply({ ...create(p, 'x'), op: 'stop', timeoutSeconds: 5 }, p, ctx());
    const run = (JSON.parse(readFileSync(join(dir, 'x-1.json'), 'utf8')) as { run: string }).run;
    expect(readdirSync(dir).filter((f) => f.endsWith('.exit'))).toEqual([`x-1.${run}.exit`]);
  });

  it('every file under .surge/ is 0600 and every folder 0700, whatever modes were there and whatever the umask', async () => {
    const p = project('[services.x]\ncommand = "echo hi; exit 3"');
    const dir = join(p.workingDir, '.surge', p.name);
    mkdirSync(join(dir, 'logs'), { recursive: true, mode: 0o755 });
    chmodSync(join(p.workingDir, '.surge'), 0o755);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'logs', 'x-1.log'), 'old\n', { mode: 0o644 });
    writeFileSync(join(dir, 'x-1.json'), 'garbage', { mode: 0o644 });
    const old = process.umask(0o022);
    try {
      await driver.apply(create(p, 'x'), p, ctx());
      await until(async () => (await driver.observe(p)).containers[0]?.exitCode === 3);
    } finally {
      process.umask(old);
    }
    const modes: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const f = join(d, e.name);
        modes[f.slice(p.workingDir.length + 1).replace(/corrupt-.*$/, 'corrupt-…').replace(/[0-9a-f]{16}/, 'RUN')] = (statSync(f).mode & 0o777).toString(8);
        if (e.isDirectory()) walk(f);
      }
    };
    modes['.surge'] = (statSync(join(p.workingDir, '.surge')).mode & 0o777).toString(8);
    walk(join(p.workingDir, '.surge'));
    expect(modes).toEqual({
      '.surge': '700',
      [`.surge/${p.name}`]: '700',
      [`.surge/${p.name}/logs`]: '700',
      [`.surge/${p.name}/logs/x-1.log`]: '600',
      [`.surge/${p.name}/x-1.json`]: '600',
      [`.surge/${p.name}/x-1.json.corrupt-…`]: '600',
      [`.surge/${p.name}/x-1.RUN.exit`]: '600',
    });
  });

  it('host processes inherit the environment the driver was given, not surge\'s own', async () => {
    const given = createProcessDriver({ env: { PATH: process.env.PATH, FROM_STACK: 'yes', SURGE_RUN: 'fedcba9876543210' } });
    const p = project('[services.e]\ncommand = "echo from=$${FROM_STACK:-none} home=$${HOME:-none} > seen; exec sleep 300"');
    await given.apply(create(p, 'e'), p, ctx());
    await until(() => existsSync(join(p.workingDir, 'seen')) && readFileSync(join(p.workingDir, 'seen'), 'utf8').includes('\n'));
    expect(readFileSync(join(p.workingDir, 'seen'), 'utf8')).toBe('from=yes home=none\n');
    const c = (await given.observe(p)).containers[0]!;
    const opts = { interactive: false, tty: false, user: null, workdir: null, env: {} };
    // A SURGE_RUN inherited from a surge-run parent never marks an exec'd command as part of a run.
    expect(await given.exec(p, c, ['sh', '-c', 'test "$FROM_STACK" = yes && test -z "$SURGE_RUN"'], opts)).toBe(0);
  });

  it('finds and stops a run by its markers when the record is gone, even a child that left the process group', async () => {
    const p = project('[services.x]\ncommand = "setsid sleep 303 & exec sleep 300"');
    await driver.apply(create(p, 'x'), p, ctx());
    // The background child is forked into the replica's group and only then calls setsid(): wait for both.
    const groupsOf = (): number => new Set(processesOf(p.name).map((x) => x.pgid)).size;
    await until(() => processesOf(p.name).length === 3 && groupsOf() === 2);
    rmSync(join(p.workingDir, '.surge', p.name, 'x-1.json'));
    const seen = (await driver.observe(p)).containers;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ state: 'running', configHash: '', id: expect.stringMatching(/:run:[0-9a-f]{16}$/) });
    expect(seen[0]!.problems.join()).toContain('this replica runs without a state record');
    await driver.apply({ ...create(p, 'x'), op: 'remove', containerId: seen[0]!.id, timeoutSeconds: 5 }, p, ctx());
    expect(processesOf(p.name)).toEqual([]);
  });

  it('finds a run whose whole .surge folder was deleted, while its service is declared (the /proc pass is skipped only without both)', async () => {
    const p = project('[services.x]\ncommand = ["sleep", "300"]');
    await driver.apply(create(p, 'x'), p, ctx());
    // the wrapper and its sleep
    await until(() => processesOf(p.name).length === 2);
    rmSync(join(p.workingDir, '.surge'), { recursive: true });
    const seen = (await driver.observe(p)).containers;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ state: 'running', id: expect.stringMatching(/:run:[0-9a-f]{16}$/) });
    await driver.apply({ ...create(p, 'x'), op: 'remove', containerId: seen[0]!.id, timeoutSeconds: 5 }, p, ctx());
    expect(processesOf(p.name)).toEqual([]);
  });

  it('a second copy of a replica without a record is reported and stopped alone; the recorded one keeps running', async () => {
    const p = project('[services.x]\ncommand = ["sleep", "300"]');
    await driver.apply(create(p, 'x'), p, ctx());
    // A copy started by a surge that died before it could write the record: the replica's markers, a run of its own.
    const stray = spawn('sleep', ['300'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, SURGE_PROJECT: p.name, SURGE_SERVICE: 'x', SURGE_REPLICA: '1', SURGE_INSTANCE: instanceId(p.workingDir, p.name), SURGE_RUN: '0123456789abcdef' },
    });
    await new Promise((r) => stray.once('spawn', r));
    stray.unref();
    const both = (await driver.observe(p)).containers;
    expect(both.map((c) => [c.state, c.pid === stray.pid])).toEqual([
      ['running', false],
      ['running', true],
    ]);
    expect(both[1]!.id).toMatch(/:run:0123456789abcdef$/);
    expect(both[1]!.problems.join()).toContain('a second copy of this replica runs without a state record');
    await driver.apply({ ...create(p, 'x'), op: 'remove', containerId: both[1]!.id, timeoutSeconds: 5 }, p, ctx());
    expect(alive(stray.pid!)).toBe(false);
    const after = (await driver.observe(p)).containers;
    expect(after.map((c) => [c.state, c.pid])).toEqual([['running', both[0]!.pid]]);
    expect(alive(both[0]!.pid!)).toBe(true);
  });

  it('two folders with the same project name never see or stop each other\'s processes', async () => {
    const toml = '[services.x]\ncommand = ["sleep", "300"]';
    const name = `pdsame${Math.random().toString(36).slice(2, 8)}`;
    const a = loadToml(`project = "${name}"\n${toml}`).project;
    const b = loadToml(`project = "${name}"\n${toml}`).project;
    started.push(a, b);
    await driver.apply(create(a, 'x'), a, ctx());
    await driver.apply(create(b, 'x'), b, ctx());
    rmSync(join(b.workingDir, '.surge', name, 'x-1.json'));
    // a sees its own replica only; b sees its own (found by markers), not a's
    expect((await driver.observe(a)).containers.map((c) => c.problems)).toEqual([[]]);
    const seenB = (await driver.observe(b)).containers;
    expect(seenB).toHaveLength(1);
    await driver.apply({ ...create(b, 'x'), op: 'remove', containerId: seenB[0]!.id, timeoutSeconds: 5 }, b, ctx());
    expect((await driver.observe(a)).containers.map((c) => c.state)).toEqual(['running']);
    expect(processesOf(name)).toHaveLength(2);
  });
});
