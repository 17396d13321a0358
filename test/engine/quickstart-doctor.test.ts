// The README's main job (the Node-only quickstart) and `surge doctor`, as a new user runs them.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, freePort, run, Stack } from './cli.js';

const stacks: Stack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.destroy()));
});

describe('examples/bolt/quickstart', () => {
  it('runs with Node alone: up --wait, the page, the API, the worker, down', async () => {
    const s = new Stack('qs');
    stacks.push(s);
    cpSync(resolve(import.meta.dirname, '../../examples/bolt/quickstart'), s.dir, { recursive: true });
    const api = await freePort();
    let web = await freePort();
    while (web === api) web = await freePort();
    const env = { API_PORT: String(api), WEB_PORT: String(web), DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const up = await run(['-p', s.name, 'up', '--wait', '--progress', 'plain'], s.dir, env);
    expect(up.code, up.stderr).toBe(0);
    const ps = JSON.parse((await run(['-p', s.name, 'ps', '--format', 'json'], s.dir, env)).stdout) as { service: string; state: string; health: string | null; pid: number }[];
    expect(ps.map((r) => [r.service, r.state, r.health])).toEqual([
      ['api', 'running', 'healthy'],
      ['web', 'running', 'healthy'],
      ['worker', 'running', null],
    ]);
    expect(await (await fetch(`http://127.0.0.1:${web}/`)).text()).toContain('Task board');
    const created = (await (await fetch(`http://127.0.0.1:${web}/api/tasks`, { method: 'POST', body: JSON.stringify({ title: 'try surge' }) })).json()) as { id: number };
    const end = Date.now() + 60_000;
    let done = false;
    while (!done && Date.now() < end) {
      const tasks = (await (await fetch(`http://127.0.0.1:${api}/api/tasks`)).json()) as { id: number; done: boolean }[];
      done = tasks.some((t) => t.id === created.id && t.done);
      if (!done) await new Promise((r) => setTimeout(r, 200));
    }
    expect(done).toBe(true);
    const logs = await run(['-p', s.name, 'logs', 'worker'], s.dir, env);
    expect(logs.stdout).toContain('worker completed task 1: try surge');
    expect((await run(['-p', s.name, 'down', '--progress', 'quiet'], s.dir, env)).code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${web}/`)).rejects.toThrow();
  });
});

/** `surge up --attach` in a stack of its own, with what it prints (stdout and stderr together). */
function attach(prefix: string, boltfile: string): { s: Stack; output: () => string; exit: Promise<number>; stop: () => void; starts: () => number } {
  const s = new Stack(prefix);
  stacks.push(s);
  s.write(boltfile);
  const child = spawn(process.execPath, [CLI, 'up', '--attach', '--progress', 'plain'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const starts = (): number => {
    try {
      return readFileSync(join(s.dir, 'starts.log'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return { s, output: () => out, exit: new Promise<number>((r) => child.on('close', (c) => r(c ?? 1))), stop: () => child.kill('SIGINT'), starts };
}

describe('up --attach', () => {
  it('supervises host processes in the foreground: a crashed always-restart process comes back', async () => {
    const { s, output, exit, stop, starts } = attach('att', '[services.blink]\ncommand = "echo started >> starts.log; echo first words; sleep 0.5; exit 1"\nrestart = "always"\n');
    const end = Date.now() + 90_000;
    while (starts() < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(starts()).toBeGreaterThanOrEqual(3);
    expect(output()).toContain('Attached to project');
    // What the process printed before the logs were attached is shown too.
    expect(output()).toContain(`${s.name}-blink-1 | first words`);
    stop();
    expect(await exit).toBe(130);
  });
});

describe('up --attach and on-failure:N', () => {
  it('restarts a failing process at most N times, then leaves it down and says so', async () => {
    const { output, exit, stop, starts } = attach('onf', '[services.crash]\ncommand = "echo started >> starts.log; sleep 0.2; exit 1"\nrestart = "on-failure:1"\n');
    const end = Date.now() + 90_000;
    while (!output().includes('gave up') && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2500));
    stop();
    expect(await exit).toBe(130);
    // the first start, and exactly one restart
    expect(starts()).toBe(2);
    expect(output()).toContain('crash (restart = "on-failure:1"): gave up after the allowed restarts');
  });
});

describe('surge doctor', () => {
  it('prints what the engine offers', async () => {
    const r = await run(['doctor'], '/');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/engine: reachable at unix:\/\/\/var\/run\/docker\.sock/);
    expect(r.stdout).toMatch(/version \S+, API 1\.\d+/);
    expect(r.stdout).toMatch(/runtimes: .*runc/);
    expect(r.stdout).toContain('GPU: no NVIDIA runtime or CDI GPU devices');
    expect(r.stdout).toMatch(/swarm: (inactive|active)/);
  });

  it('says plainly when no engine answers', async () => {
    const r = await run(['doctor'], '/', { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('engine: not reachable at unix:///nonexistent/docker.sock');
  });
});

