// compose's other commands on host processes: what makes sense works (kill, ps -q, top and stats from /proc, wait,
// rm of a record), what does not apply says so; a restarted process's healthcheck starts as "starting". No engine.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat } from '../../src/drivers/process/proc-info.js';
import { run, Stack, type Result } from './cli.js';
import { until } from './process-harness.js';

const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

const stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.destroy()));
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

const surge = (s: Stack, ...args: string[]): Promise<Result> => run(args, s.dir, NO_ENGINE);

/** Polls `check` (which runs the CLI: every 200 ms, not every 50) until it holds; `up` returns once a process is spawned. */
const untilSeen = (what: string, check: () => Promise<boolean>): Promise<void> => until(check, 60_000, what, 200);


interface Row {
  service: string;
  state: string;
  pid: number | null;
  exitCode: number | null;
  health: string | null;
}
async function ps(s: Stack): Promise<Record<string, Row>> {
  return Object.fromEntries((JSON.parse((await surge(s, 'ps', '--format', 'json')).stdout) as Row[]).map((r) => [r.service, r]));
}

const STACK = `[services.loop]
command = "trap 'echo got usr1' USR1; echo looping; while true; do sleep 0.2; done"
[services.job]
command = "sleep 1; exit 3"
`;

describe('host processes: what applies', () => {
  it('ps -q prints pids; kill -s sends the signal to the command, not to surge\'s wrapper; SIGKILL by default', async () => {
    const s = stack('pkl');
    s.write(STACK);
    expect((await surge(s, 'up', '--progress', 'quiet')).code).toBe(0);
    const before = await ps(s);
    expect((await surge(s, 'ps', '-q', 'loop')).stdout).toBe(`${before.loop?.pid}\n`);
    // USR1 before the shell has set its trap would end it: wait until it says it loops (after the trap).
    await untilSeen('loop to set its trap', async () => (await surge(s, 'logs', 'loop')).stdout.includes('looping'));
    const usr1 = await surge(s, 'kill', '-s', 'USR1', 'loop');
    expect(usr1.stderr).toBe(`Killed ${s.name}-loop-1\n`);
    // The shell runs its trap once the current `sleep 0.2` ends.
    await untilSeen('the trap to print', async () => (await surge(s, 'logs', 'loop')).stdout.includes('got usr1'));
    expect((await ps(s)).loop).toMatchObject({ state: 'running', pid: before.loop?.pid });
    expect((await surge(s, 'kill', '-s', 'NOPE')).stderr).toBe('surge: invalid signal "NOPE": use a name such as SIGKILL, TERM or HUP, or a number\n');
    const killed = await surge(s, 'kill', 'loop');
    expect(killed.code).toBe(0);
    expect((await ps(s)).loop).toMatchObject({ state: 'exited', exitCode: 137, pid: null });
    // Stopped ones print no pid.
    expect((await surge(s, 'ps', '-q', 'loop')).stdout).toBe('');
  });

  it('top and stats read /proc: the command and its children, not the wrapper', async () => {
    const s = stack('ptp');
    s.write(`[services.two]\ncommand = ["sh", "-c", "sleep 300 & sleep 300"]\n`);
    expect((await surge(s, 'up', '--progress', 'quiet')).code).toBe(0);
    const pgid = (await ps(s)).two?.pid as number;
    // The command and its two children are forked a moment after up returns.
    let top: string[] = [];
    await untilSeen('the command and its children to run', async () => {
      top = (await surge(s, 'top')).stdout.trim().split('\n');
      return top.filter((l) => l.split(/ +/).slice(9).join(' ') === 'sleep 300').length === 2;
    });
    expect(top[0]).toMatch(/^SERVICE +# +UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
    const rows = top.slice(1).map((l) => l.split(/ +/));
    expect(rows.map((r) => [r[0], r[1], r.slice(9).join(' ')])).toEqual([
      ['two', '1', 'sh -c sleep 300 & sleep 300'],
      ['two', '1', 'sleep 300'],
      ['two', '1', 'sleep 300'],
    ]);
    expect(rows.map((r) => Number(r[3]))).not.toContain(pgid);
    const stats = JSON.parse((await surge(s, 'stats', '--no-stream', '--format', 'json')).stdout) as Record<string, string>;
    expect(stats).toMatchObject({ Name: `${s.name}-two-1`, Service: 'two', NetIO: '--', PIDs: '3' });
    expect(stats.CPUPerc).toMatch(/^\d+\.\d\d%$/);
    expect(stats.MemUsage).toMatch(/^[\d.]+[KM]iB \/ [\d.]+GiB$/);
  });

  it('wait gives the exit code; rm removes a stopped process\'s record and log, and -s a running one', async () => {
    const s = stack('pwr');
    s.write(STACK);
    expect((await surge(s, 'up', '--progress', 'quiet')).code).toBe(0);
    const w = await surge(s, 'wait', 'job');
    expect(w.stdout).toBe(`${s.name}-job-1 exited with code 3\n`);
    expect(w.code).toBe(3);
    const record = join(s.dir, '.surge', s.name, 'job-1.json');
    const log = join(s.dir, '.surge', s.name, 'logs', 'job-1.log');
    expect(existsSync(record) && existsSync(log)).toBe(true);
    const rm = await surge(s, 'rm', '-f', '--progress', 'plain');
    expect(rm.stderr).toContain('remove service:job#1 (stopped)');
    expect(rm.stderr).not.toContain('loop');
    expect(existsSync(record) || existsSync(log)).toBe(false);
    const pid = (await ps(s)).loop?.pid as number;
    expect((await surge(s, 'rm', '-f', '-s', '--progress', 'quiet')).code).toBe(0);
    const left = procStat(pid);
    expect(left === null || left.zombie).toBe(true);
    expect(await ps(s)).toEqual({});
  });

  it('a restarted process\'s failing healthcheck is "starting" until its retries are used up', async () => {
    const s = stack('phs');
    s.write(`[services.api]\ncommand = "rm -f ready; sleep 5; touch ready; exec sleep 300"\nhealthcheck = { test = "test -f ready", interval = "1s", retries = 30 }\n`);
    const up = await surge(s, 'up', '--wait', '--progress', 'quiet');
    expect(up.code, up.stderr).toBe(0);
    expect((await ps(s)).api?.health).toBe('healthy');
    // The check fails from the restart on: the mark goes before it (the new process removes it too, but only a
    // moment after restart returns), and the new process makes it again 5 s after it starts.
    rmSync(join(s.dir, 'ready'));
    expect((await surge(s, 'restart', '--progress', 'quiet')).code).toBe(0);
    expect((await ps(s)).api?.health).toBe('starting');
    await untilSeen('api to be healthy again', async () => (await ps(s)).api?.health === 'healthy');
    // Past start_period + interval × retries, a failing check is unhealthy.
    s.write(`[services.api]\ncommand = "rm -f ready; exec sleep 300"\nhealthcheck = { test = "test -f ready", interval = "100ms", retries = 2 }\n`);
    expect((await surge(s, 'up', '--progress', 'quiet')).code).toBe(0);
    // 200 ms of failing checks at the least, and the new process must first have removed the old mark.
    await untilSeen('api to be unhealthy', async () => (await ps(s)).api?.health === 'unhealthy');
  });

  it('stats shows GPU memory and use of a GPU service\'s processes when nvidia-smi is on the PATH', async () => {
    const s = stack('pgp');
    s.write(`[services.train]\ncommand = "exec sleep 300"\ngpu.nvidia = true\n[services.cpu]\ncommand = "exec sleep 300"\n`);
    expect((await surge(s, 'up', '--progress', 'quiet')).code).toBe(0);
    const without = (await surge(s, 'stats', '--no-stream')).stdout;
    expect(without).not.toContain('GPU');
    // A stand-in nvidia-smi that says the train process holds 512 MiB on a GPU 37% busy.
    const bin = join(s.dir, 'bin');
    mkdirSync(bin);
    let member = '';
    await untilSeen('the train process to run', async () => {
      member = (await surge(s, 'top', 'train')).stdout.trim().split('\n')[1]?.split(/ +/)[3] ?? '';
      return member !== '';
    });
    writeFileSync(
      join(bin, 'nvidia-smi'),
      `#!/bin/sh\ncase "$1" in\n  --query-gpu=*) echo "0, GPU-fake-0, 37";;\n  --query-compute-apps=*) echo "${member}, GPU-fake-0, 512";;\nesac\n`,
    );
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const env = { ...NO_ENGINE, PATH: `${bin}:${process.env.PATH}` };
    const table = (await run(['stats', '--no-stream'], s.dir, env)).stdout.trim().split('\n');
    expect(table[0]).toMatch(/ PIDS +GPU MEM +GPU %$/);
    expect(table.find((l) => l.startsWith(`${s.name}-train-1`))).toMatch(/ 1 +512MiB +37\.00%$/);
    expect(table.find((l) => l.startsWith(`${s.name}-cpu-1`))).toMatch(/ 1 +-- +--$/);
    const json = (await run(['stats', '--no-stream', '--format', 'json', 'train'], s.dir, env)).stdout;
    expect(JSON.parse(json)).toMatchObject({ GPUMem: '512MiB', GPUPerc: '37.00%', GPUs: '0' });
  });
});

describe('host processes: what does not apply, said plainly', () => {
  it('pause, port, cp, images, events and create say why', async () => {
    const s = stack('pna');
    s.write(STACK);
    expect((await surge(s, 'up', '--progress', 'quiet')).code).toBe(0);
    expect((await surge(s, 'pause', 'loop')).stderr).toBe('pause does not apply to host processes (`surge kill -s STOP` freezes one, `-s CONT` resumes it): loop\n');
    expect((await surge(s, 'port', 'loop', '80')).stderr).toBe("surge: service loop is a host process: it listens on the host's own ports, which surge does not map\n");
    expect((await surge(s, 'cp', 'x', 'loop:/tmp/')).stderr).toBe('surge: service loop is a host process: its files are on this host already; copy them with cp\n');
    const images = await surge(s, 'images');
    expect(images.stderr).toBe('host processes run no image: job, loop\n');
    expect(images.stdout.trim()).toBe('CONTAINER   REPOSITORY   TAG   PLATFORM   IMAGE ID   SIZE   CREATED');
    const events = await surge(s, 'events');
    expect(events.code).toBe(1);
    expect(events.stderr).toBe('surge: events come from a container engine: host processes (job, loop) have none; `surge logs -f` and `surge ps` show what they do\n');
    expect((await surge(s, 'create', '--progress', 'plain')).stderr).toContain(`Nothing to create for project ${s.name}.`);
  });
});

describe('up --dry-run', () => {
  it('prints the plan as JSON with --progress json, as text otherwise, and touches nothing', async () => {
    const s = stack('pdr');
    s.write(STACK);
    const json = await surge(s, 'up', '--dry-run', '--progress', 'json');
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { project: string; actions: { id: string; op: string }[]; summary: { create: number } };
    expect(plan.project).toBe(s.name);
    expect(plan.actions.map((a) => `${a.op} ${a.id}`)).toEqual(['create service:job#1', 'create service:loop#1']);
    expect(plan.summary.create).toBe(2);
    expect((await surge(s, 'up', '--dry-run')).stdout).toContain(`Project ${s.name}: surge will perform these actions:`);
    expect(await ps(s)).toEqual({});
  });
});
