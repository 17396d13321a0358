// compose's commands that change containers, on a real engine: kill, pause/unpause, rm, create, cp.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_IMAGE, docker, SLEEPER, Stack } from './cli.js';

const stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.destroy()));
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

async function upOk(s: Stack, ...args: string[]): Promise<void> {
  const r = await s.surge('up', ...args);
  expect(r.code, r.stderr).toBe(0);
}

const state = async (s: Stack, name: string): Promise<string | undefined> => (await s.containers())[`${s.name}-${name}`]?.State;

describe('kill, pause, unpause', () => {
  it('kill sends SIGKILL by default, -s another signal; only running containers; a typo of a signal is the engine\'s error', async () => {
    const s = stack('kil');
    // The trap makes TERM visible: the container exits 42 on it.
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "trap 'exit 42' TERM; echo trapped; while true; do sleep 1 & wait $$!; done"]\n[services.b]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    await upOk(s);
    // up returns once a is started; TERM before its shell has set the trap would end it with 143.
    for (let i = 0; !(await s.surge('logs', 'a')).stdout.includes('trapped'); i++) {
      if (i > 300) throw new Error('a did not set its trap within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const term = await s.surge('kill', '-s', 'SIGTERM', 'a');
    expect(term.stderr).toBe(`Killed ${s.name}-a-1\n`);
    await s.surge('wait', 'a');
    expect((await s.containers())[`${s.name}-a-1`]?.Status).toMatch(/^Exited \(42\)/);
    const all = await s.surge('kill');
    expect(all.stderr).toBe(`Killed ${s.name}-b-1\n`);
    expect((await s.containers())[`${s.name}-b-1`]?.Status).toMatch(/^Exited \(137\)/);
    expect((await s.surge('kill')).stderr).toBe('No container to kill.\n');
    await upOk(s);
    const bad = await s.surge('kill', '-s', 'SIGNOPE', 'b');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^surge: cannot kill ${s.name}-b-1: .*SIGNOPE`));
  });

  it('pause freezes running containers and unpause resumes them; ps shows paused', async () => {
    const s = stack('pau');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nreplicas = 2\n`);
    await upOk(s);
    expect((await s.surge('pause')).stderr).toBe(`Paused ${s.name}-a-1\nPaused ${s.name}-a-2\n`);
    expect(await state(s, 'a-1')).toBe('paused');
    expect((await s.surge('ps', '--status', 'paused', '--services')).stdout).toBe('a\n');
    expect((await s.surge('pause')).stderr).toBe('No running container to pause.\n');
    expect((await s.surge('unpause', 'a')).stderr).toBe(`Unpaused ${s.name}-a-1\nUnpaused ${s.name}-a-2\n`);
    expect(await state(s, 'a-2')).toBe('running');
    expect((await s.surge('unpause')).stderr).toBe('No paused container to unpause.\n');
    expect((await s.surge('pause', 'nope')).stderr).toBe('surge: no such service: nope (services: a)\n');
  });
});

describe('rm and create', () => {
  it('rm removes stopped containers only; -f does not ask; -s stops first; -v takes anonymous volumes; without -f and no terminal it asks and removes nothing', async () => {
    const s = stack('rmv');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nvolumes = ["/anon"]\n[services.b]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    await upOk(s);
    const anon = (await docker.getContainer((await s.ids())[`${s.name}-a-1`] as string).inspect()).Mounts.find((m) => m.Destination === '/anon')?.Name as string;
    expect((await s.surge('rm', '-f')).stderr).toContain('No stopped containers.');
    await s.surge('stop', 'a');
    const asked = await s.surge('rm');
    expect(asked.stderr).toContain(`Going to remove ${s.name}-a-1`);
    expect(asked.stderr).toContain('Add -f (--force) to remove without asking.');
    expect(asked.code).toBe(1);
    expect(await state(s, 'a-1')).toBe('exited');
    const rm = await s.surge('rm', '-fv');
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stderr).toContain('remove service:a#1 (stopped)');
    expect(Object.keys(await s.containers())).toEqual([`${s.name}-b-1`]);
    await expect(docker.getVolume(anon).inspect()).rejects.toThrow();
    const stopFirst = await s.surge('rm', '-f', '-s', '-t', '1', 'b');
    expect(stopFirst.stderr).toContain('remove service:b#1 (rm --stop)');
    expect(Object.keys(await s.containers())).toEqual([]);
    // The network stays, as compose leaves it: `down` takes it.
    expect((await docker.listNetworks({ filters: { label: [`surge.project=${s.name}`] } })).length).toBe(1);
  });

  it('create makes containers without starting them; start (or up) starts them; the plan says "not started"', async () => {
    const s = stack('crt');
    s.write(`[services.db]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nhealthcheck = { test = ["CMD", "true"], interval = "1s" }\n[services.web]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\ndepends_on = { db = { condition = "service_healthy" } }\n[services.proc]\ncommand = "sleep 100"\n`);
    const c = await s.surge('create');
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toContain('create service:web#1 (not found; not started)');
    expect(c.stderr).toContain('! service proc is a host process: a process cannot be created without starting it; `surge up` starts it');
    expect(await state(s, 'db-1')).toBe('created');
    expect(await state(s, 'web-1')).toBe('created');
    expect((await s.surge('ps', '--status', 'created', '--services')).stdout).toBe('db\nweb\n');
    expect((await s.surge('create')).stderr).toContain(`Nothing to create for project ${s.name}.`);
    const started = await s.surge('start');
    expect(started.code, started.stderr).toBe(0);
    expect(await state(s, 'web-1')).toBe('running');
    // A changed service is recreated, and left created.
    s.write(`[services.db]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nhealthcheck = { test = ["CMD", "true"], interval = "1s" }\n[services.web]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nenvironment = { X = "1" }\ndepends_on = { db = { condition = "service_healthy" } }\n`);
    expect((await s.surge('create', 'web')).stderr).toContain('recreate service:web#1 (env X added; not started)');
    expect(await state(s, 'web-1')).toBe('created');
    await upOk(s);
    expect(await state(s, 'web-1')).toBe('running');
  });
});

describe('cp', () => {
  it('copies into every replica (or --index N), out of the first, files and folders, with docker cp\'s rules', async () => {
    const s = stack('cpy');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nreplicas = 2\n[services.p]\ncommand = "sleep 100"\n`);
    await upOk(s);
    writeFileSync(join(s.dir, 'note.txt'), 'hello\n');
    mkdirSync(join(s.dir, 'conf/sub'), { recursive: true });
    writeFileSync(join(s.dir, 'conf/sub/x.conf'), 'x=1\n');
    const cat = (n: number, path: string): string => execFileSync('docker', ['exec', `${s.name}-a-${n}`, 'cat', path], { encoding: 'utf8' });
    // Into an existing folder: under the source's name; to a new name: as that name.
    const into = await s.surge('cp', 'note.txt', 'a:/tmp/');
    expect(into.stderr).toBe(`Copied note.txt to ${s.name}-a-1:/tmp/\nCopied note.txt to ${s.name}-a-2:/tmp/\n`);
    expect([cat(1, '/tmp/note.txt'), cat(2, '/tmp/note.txt')]).toEqual(['hello\n', 'hello\n']);
    expect((await s.surge('cp', '--index', '2', 'note.txt', 'a:/tmp/renamed.txt')).code).toBe(0);
    expect(cat(2, '/tmp/renamed.txt')).toBe('hello\n');
    expect(() => cat(1, '/tmp/renamed.txt')).toThrow();
    // A folder, recursively, into a new folder.
    expect((await s.surge('cp', 'conf', 'a:/etc/app')).code).toBe(0);
    expect(cat(1, '/etc/app/sub/x.conf')).toBe('x=1\n');
    // Out of the container: a file to a new name, a folder into an existing one.
    expect((await s.surge('cp', 'a:/tmp/note.txt', 'back.txt')).code).toBe(0);
    expect(readFileSync(join(s.dir, 'back.txt'), 'utf8')).toBe('hello\n');
    mkdirSync(join(s.dir, 'out'));
    expect((await s.surge('cp', '--index', '1', 'a:/etc/app', 'out')).code).toBe(0);
    expect(readFileSync(join(s.dir, 'out/app/sub/x.conf'), 'utf8')).toBe('x=1\n');
    // What does not work says why.
    expect((await s.surge('cp', 'a:/nope', '.')).stderr).toBe(`surge: ${s.name}-a-1:/nope does not exist\n`);
    expect((await s.surge('cp', 'missing.txt', 'a:/tmp/')).stderr).toBe('surge: cannot copy missing.txt: no such file or folder on this host\n');
    expect((await s.surge('cp', 'note.txt', 'a:/no/such/dir/')).stderr).toBe(`surge: ${s.name}-a-1:/no/such/dir/ does not exist (a destination ending with / must be an existing folder)\n`);
    expect((await s.surge('cp', 'a:/x', 'a:/y')).stderr).toBe('surge: copying between services is not supported: copy to this host first\n');
    expect((await s.surge('cp', 'note.txt', 'p:/tmp/')).stderr).toBe('surge: service p is a host process: its files are on this host already; copy them with cp\n');
  });
});
