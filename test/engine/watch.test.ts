// Watch mode on a real engine: Boltfile edits, invalid edits, sync rules, bursts, engine loss, Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, CLI, docker, SLEEPER, Stack } from './cli.js';

class Watcher {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  exit: Promise<number>;

  /** `debounceMs`: the quiet period; a test whose edits must land in one batch gives it room on a loaded machine. */
  constructor(dir: string, env: Record<string, string> = {}, debounceMs = 150) {
    this.child = spawn(process.execPath, [CLI, 'watch', '--debounce', String(debounceMs), '--progress', 'json'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (b: Buffer) => (this.stdout += b.toString()));
    this.child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.exit = new Promise((r) => this.child.on('close', (code) => r(code ?? 1)));
  }

  reconciles(): { trigger: string[]; ok: boolean; description?: string; error?: string; changes?: Record<string, unknown>[]; durationMs?: number }[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.includes('"event":"reconcile"'))
      .map((l) => JSON.parse(l));
  }

  actions(op: string): string[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.includes('"event":"action-finished"'))
      .map((l) => JSON.parse(l) as { op: string; id: string })
      .filter((a) => a.op === op)
      .map((a) => a.id);
  }

  async until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
  }

  async stop(): Promise<number> {
    this.child.kill('SIGINT');
    return this.exit;
  }
}

/** The container's environment; [] while it does not exist (a recreate renames the new one into place). */
async function envOf(name: string): Promise<string[]> {
  try {
    return (await docker.getContainer(name).inspect()).Config.Env;
  } catch {
    return [];
  }
}

async function runningId(name: string): Promise<string | null> {
  try {
    const info = await docker.getContainer(name).inspect();
    return info.State.Running ? info.Id : null;
  } catch {
    return null;
  }
}

/** A file's content in a container, '' when it is not there. */
async function readIn(container: string, path: string): Promise<string> {
  const exec = await docker.getContainer(container).exec({ Cmd: ['sh', '-c', `cat ${path} 2>/dev/null`], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  let out = '';
  stream.on('data', (b: Buffer) => (out += b.subarray(8).toString()));
  await new Promise((r) => stream.on('end', r));
  return out;
}

const stacks: Stack[] = [];
const watchers: Watcher[] = [];
afterAll(async () => {
  for (const w of watchers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all(stacks.map((s) => s.destroy()));
});

function setup(prefix: string, body: string, debounceMs?: number): { s: Stack; w: () => Watcher } {
  const s = new Stack(prefix);
  stacks.push(s);
  s.write(body);
  return {
    s,
    w: () => {
      const w = new Watcher(s.dir, {}, debounceMs);
      watchers.push(w);
      return w;
    },
  };
}

const svc = (name: string, value: string, extra = '') => `[services.${name}]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nenvironment = { VALUE = "${value}" }\n${extra}`;

describe('surge watch', () => {
  it('a Boltfile edit leaves a finished one-shot job alone (it is not run again on every save)', async () => {
    const job = `[services.job]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "echo ran >> /data/runs"]\nvolumes = ["runs:/data"]\n[volumes.runs]\n`;
    const { s, w: start } = setup('one', svc('a', '1') + job);
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    await w.until(async () => !(await docker.getContainer(`${s.name}-job-1`).inspect()).State.Running, 'the job to finish');
    const done = await docker.getContainer(`${s.name}-job-1`).inspect();
    s.write(svc('a', '2') + job);
    await w.until(async () => (await envOf(`${s.name}-a-1`)).includes('VALUE=2'), 'a to carry VALUE=2');
    await w.until(() => w.reconciles().some((r) => r.trigger.includes('Boltfile.toml')), 'the reconcile event');
    const info = await docker.getContainer(`${s.name}-job-1`).inspect();
    expect([info.Id, info.State.StartedAt, info.State.Running, info.State.ExitCode]).toEqual([done.Id, done.State.StartedAt, false, 0]);
    expect(w.actions('start')).toEqual([]);
    expect(await w.stop()).toBe(130);
  });

  it('re-converges on Boltfile edits: only the changed service is recreated; invalid edits keep the stack', async () => {
    const { s, w: start } = setup('wat', svc('a', '1') + svc('b', '1'));
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    const a = `${s.name}-a-1`;
    const b = `${s.name}-b-1`;
    const bId = await runningId(b);
    expect(bId).not.toBeNull();

    s.write(svc('a', '2') + svc('b', '1'));
    await w.until(async () => (await envOf(a)).includes('VALUE=2') && (await runningId(a)) !== null, 'a to carry VALUE=2');
    expect(await runningId(b)).toBe(bId);
    // The JSON event of that reconcile (printed once the apply is done): trigger, what changed, how long it took.
    await w.until(() => w.reconciles().some((r) => r.trigger.includes('Boltfile.toml')), 'the reconcile event');
    expect(w.actions('recreate')).toEqual(['service:a#1']);
    const edit = w.reconciles().find((r) => r.trigger.includes('Boltfile.toml'));
    expect(edit?.changes).toEqual([{ op: 'recreate', id: 'service:a#1', reason: 'env VALUE changed' }]);
    expect(edit?.durationMs).toBeGreaterThan(0);

    // An invalid edit: located error, nothing torn down, the watcher keeps going.
    const before = await s.ids();
    s.write(svc('a', '2').replace('image =', 'imgae =') + svc('b', '1'));
    await w.until(() => w.reconciles().some((r) => !r.ok && (r.error ?? '').includes('Boltfile.toml:3:1: services.a.imgae: unknown key `imgae`; did you mean `image`?')), 'the located error');
    expect(w.child.exitCode).toBeNull();
    expect(await s.ids()).toEqual(before);

    // Fixed, with a new service: it appears; a removed service (that the watcher saw) goes away.
    s.write(svc('a', '2') + svc('c', '1'));
    await w.until(async () => (await runningId(`${s.name}-c-1`)) !== null && (await runningId(b)) === null, 'c to appear and b to go');
    expect(await runningId(a)).toBe(before[a]);

    const code = await w.stop();
    expect(code).toBe(130);
    expect(await runningId(a)).not.toBeNull();
  });

  it('sync copies files into the running container without restarting it', async () => {
    const { s, w: start } = setup('syn', svc('app', '1', '[services.app.develop]\nwatch = [{ path = "./src", action = "sync", target = "/app", ignore = ["*.tmp"] }]\n'));
    mkdirSync(join(s.dir, 'src', 'lib'), { recursive: true });
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    const name = `${s.name}-app-1`;
    const started = (await docker.getContainer(name).inspect()).State.StartedAt;
    writeFileSync(join(s.dir, 'src', 'lib', 'hello.txt'), 'hello from the host\n');
    writeFileSync(join(s.dir, 'src', 'scratch.tmp'), 'ignored');
    const read = (path: string): Promise<string> => readIn(name, path);
    await w.until(async () => (await read('/app/lib/hello.txt')) === 'hello from the host\n', 'the file in the container');
    expect(await read('/app/scratch.tmp')).toBe('');
    rmSync(join(s.dir, 'src', 'lib', 'hello.txt'));
    await w.until(async () => (await read('/app/lib/hello.txt')) === '', 'the deletion');
    expect((await docker.getContainer(name).inspect()).State.StartedAt).toBe(started);
    expect(await w.stop()).toBe(130);
  });

  it('initial_sync copies the whole path into the container when watching starts', async () => {
    const { s, w: start } = setup('ini', svc('app', '1', '[services.app.develop]\nwatch = [{ path = "./src", action = "sync", target = "/app", initial_sync = true, ignore = ["*.log"] }]\n'));
    mkdirSync(join(s.dir, 'src', 'deep'), { recursive: true });
    writeFileSync(join(s.dir, 'src', 'deep', 'a.txt'), 'there before watching\n');
    writeFileSync(join(s.dir, 'src', 'noise.log'), 'ignored');
    const w = start();
    await w.until(() => w.reconciles().some((r) => r.trigger.includes('initial sync')), 'the initial sync');
    const sync = w.reconciles().find((r) => r.trigger.includes('initial sync'));
    expect(sync).toMatchObject({ ok: true, changes: expect.arrayContaining([{ op: 'initial-sync', service: 'app', files: 1 }]) });
    expect(await readIn(`${s.name}-app-1`, '/app/deep/a.txt')).toBe('there before watching\n');
    expect(await readIn(`${s.name}-app-1`, '/app/noise.log')).toBe('');
    expect(await w.stop()).toBe(130);
  });

  it('a source edit saved together with a Boltfile edit is still synced', async () => {
    const rule = '[services.app.develop]\nwatch = [{ path = "./src", action = "sync", target = "/app" }]\n';
    // Two writes, one after the other: a 150 ms quiet period can fall between them when this process is descheduled.
    const { s, w: start } = setup('syb', svc('app', '1', rule) + svc('other', '1'), 2000);
    mkdirSync(join(s.dir, 'src'));
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    const name = `${s.name}-app-1`;
    s.write(svc('app', '1', rule) + svc('other', '2'));
    writeFileSync(join(s.dir, 'src', 'together.txt'), 'saved with the Boltfile\n');
    await w.until(() => w.reconciles().some((r) => r.trigger.includes('Boltfile.toml') && r.trigger.some((t) => t.endsWith('together.txt'))), 'one reconcile for both');
    expect(await readIn(name, '/app/together.txt')).toBe('saved with the Boltfile\n');
    expect(await w.stop()).toBe(130);
  });

  it('sync+exec runs the command as exec.user in exec.working_dir', async () => {
    const rule =
      '[services.app.develop]\nwatch = [{ path = "./src", action = "sync+exec", target = "/srv", exec = { command = ["sh", "-c", "echo $(id -u) $(pwd) > /tmp/who; echo EXEC-SAYS-HI"], user = "nobody", working_dir = "/srv" } }]\n';
    const { s, w: start } = setup('sye', svc('app', '1', rule));
    mkdirSync(join(s.dir, 'src'));
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    writeFileSync(join(s.dir, 'src', 'a.txt'), 'a\n');
    await w.until(() => w.reconciles().some((r) => (r.description ?? '').includes('exited 0')), 'the exec');
    expect(await readIn(`${s.name}-app-1`, '/tmp/who')).toBe('65534 /srv\n');
    expect(await w.stop()).toBe(130);
    // The command's output goes to stderr: with --progress json, stdout is JSON lines only.
    expect(w.stderr).toContain('EXEC-SAYS-HI');
    for (const line of w.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('rebuild rebuilds the image and recreates the service; restart restarts it in place', async () => {
    const { s, w: start } = setup(
      'rbd',
      `[services.app]\nbuild = "./app"\ncommand = ${SLEEPER}\n[services.app.develop]\nwatch = [{ path = "./app", action = "rebuild" }]\n` +
        `[services.conf]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n[services.conf.develop]\nwatch = [{ path = "./conf", action = "restart" }]\n`,
    );
    mkdirSync(join(s.dir, 'app'));
    mkdirSync(join(s.dir, 'conf'));
    writeFileSync(join(s.dir, 'app', 'Dockerfile'), `FROM ${BASE_IMAGE}\nCOPY version /version\n`);
    writeFileSync(join(s.dir, 'app', 'version'), 'one\n');
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    const app = `${s.name}-app-1`;
    const conf = `${s.name}-conf-1`;
    const appId = await runningId(app);
    const confInfo = await docker.getContainer(conf).inspect();
    writeFileSync(join(s.dir, 'app', 'version'), 'two\n');
    await w.until(async () => {
      const id = await runningId(app);
      return id !== null && id !== appId;
    }, 'the rebuilt app');
    expect(w.actions('update')).toContain(`image:${s.name}-app`);
    writeFileSync(join(s.dir, 'conf', 'app.conf'), 'x=1\n');
    await w.until(async () => (await docker.getContainer(conf).inspect()).State.StartedAt !== confInfo.State.StartedAt, 'the restart');
    expect(await runningId(conf)).toBe(confInfo.Id);
    expect(await w.stop()).toBe(130);
  });

  it('a burst of edits converges on the last one with few recreations', async () => {
    // The edits come 25 ms apart; on a loaded machine a timer can fire far later, so the quiet period that must not
    // pass between two of them is wide.
    const { s, w: start } = setup('bur', svc('a', '0'), 1500);
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    for (let i = 1; i <= 40; i++) {
      s.write(svc('a', String(i)));
      await new Promise((r) => setTimeout(r, 25));
    }
    const name = `${s.name}-a-1`;
    await w.until(async () => (await envOf(name)).includes('VALUE=40') && (await runningId(name)) !== null, 'the last edit');
    await new Promise((r) => setTimeout(r, 1000));
    expect(w.actions('recreate').length).toBeGreaterThanOrEqual(1);
    expect(w.actions('recreate').length).toBeLessThanOrEqual(2);
    expect(await w.stop()).toBe(130);
  });

  it('a host process that keeps crashing is reported as flapping, not restarted in a tight loop', async () => {
    const { w: start } = setup('flap', '[services.crashy]\ncommand = "sleep 0.1; exit 1"\nrestart = "always"\n');
    const w = start();
    await w.until(() => w.reconciles().some((r) => (r.description ?? '').includes('crashy is flapping')), 'the flapping report', 60_000);
    const startsBefore = w.actions('start').length;
    await new Promise((r) => setTimeout(r, 3000));
    expect(w.actions('start').length).toBe(startsBefore);
    expect(await w.stop()).toBe(130);
  });

  it('a container the engine keeps restarting is reported as flapping, once', async () => {
    const { w: start } = setup('eflap', `[services.crashy]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "sleep 0.3; exit 3"]\nrestart = "always"\n`);
    const w = start();
    await w.until(() => w.reconciles().some((r) => (r.description ?? '').includes('crashy is flapping: the engine keeps restarting it')), 'the flapping report', 90_000);
    const flapping = w.reconciles().filter((r) => (r.description ?? '').includes('flapping'));
    expect(flapping).toHaveLength(1);
    expect(flapping[0]?.changes).toEqual([{ op: 'flapping', service: 'crashy' }]);
    expect(await w.stop()).toBe(130);
  });

  it('keeps going when the engine goes away, and re-converges when it is back', async () => {
    // The watcher talks to the engine through a socket we control, so "the engine goes away" is real for it.
    const s = new Stack('eng');
    stacks.push(s);
    s.write(svc('a', '1'));
    const sock = join(s.dir, 'engine.sock');
    let server: Server | null = null;
    const open = new Set<{ destroy(): void }>();
    const up = (): Promise<void> =>
      new Promise((r) => {
        server = createServer((client) => {
          const engine = connect('/var/run/docker.sock');
          open.add(client);
          open.add(engine);
          client.pipe(engine).pipe(client);
          client.on('error', () => engine.destroy());
          engine.on('error', () => client.destroy());
        });
        server.listen(sock, () => r());
      });
    const down = (): Promise<void> =>
      new Promise((r) => {
        for (const sock of open) sock.destroy();
        open.clear();
        if (server) server.close(() => r());
        else r();
      });
    await up();
    const w = new Watcher(s.dir, { DOCKER_HOST: `unix://${sock}` });
    watchers.push(w);
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    await down();
    rmSync(sock, { force: true });
    await w.until(() => w.stdout.includes('"event":"engine-unreachable"'), 'the engine-gone report');
    expect(w.reconciles().every((r) => r.trigger.length > 0)).toBe(true);
    await docker.getContainer(`${s.name}-a-1`).remove({ force: true });
    await up();
    await w.until(async () => (await runningId(`${s.name}-a-1`)) !== null, 're-convergence after the engine is back', 60_000);
    const creates = () => w.reconciles().filter((r) => (r.description ?? '').includes('create service:a#1'));
    await w.until(() => creates().length === 2, 'the reconcile line');
    // The line says what triggered it.
    expect(creates().map((r) => r.trigger)).toEqual([['initial converge'], ['engine back']]);
    expect(w.stdout).toContain('"event":"engine-back"');
    expect(w.child.exitCode).toBeNull();
    expect(await w.stop()).toBe(130);
    await down();
  });
  it('Ctrl-C during a slow apply exits within a few seconds, leaving the apply to the engine', async () => {
    // sleep as PID 1 ignores SIGTERM: its removal takes the whole grace period, far longer than Ctrl-C may take.
    const slow = `[services.slow]\nimage = "${BASE_IMAGE}"\ncommand = ["sleep", "3600"]\nstop_grace_period = "60s"\n`;
    const { s, w: start } = setup('sig', svc('a', '1') + slow);
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    s.write(svc('a', '1'));
    const removing = (): boolean => w.stdout.split('\n').some((l) => l.includes('"event":"action-started"') && l.includes('"id":"service:slow#1"') && l.includes('"op":"remove"'));
    await w.until(removing, 'the removal of slow to start');
    const t0 = Date.now();
    expect(await w.stop()).toBe(130);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(w.stderr).toContain('still in flight');
    expect(await runningId(`${s.name}-a-1`)).not.toBeNull();
  });
});

describe('up --watch', () => {
  it('converges first, then watches; Ctrl-C exits promptly and leaves the stack running', async () => {
    const s = new Stack('upw');
    stacks.push(s);
    s.write(svc('a', '1'));
    const child = spawn(process.execPath, [CLI, 'up', '--watch', '--progress', 'plain', '--debounce', '100'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exit = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
    const end = Date.now() + 90_000;
    while (!err.includes('Watching project') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(err).toContain('Watching project');
    const t0 = Date.now();
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    // Promptly: nothing is in flight, so only a hang (or a wait for something) takes longer than start-up on a busy machine.
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await runningId(`${s.name}-a-1`)).not.toBeNull();
    expect(readFileSync(join(s.dir, 'Boltfile.toml'), 'utf8')).toContain('VALUE = "1"');
  });
});

describe('watch: errors before watching', () => {
  it('an unknown service is a user error: exit 1 at once, no watcher left running', async () => {
    const s = new Stack('wns');
    stacks.push(s);
    s.write('[services.a]\ncommand = "sleep 60"\n');
    const child = spawn(process.execPath, [CLI, 'watch', 'nosuch'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exit = new Promise<number | string>((r) => child.on('close', (c, sig) => r(c ?? String(sig))));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exit;
    clearTimeout(killer);
    expect(code).toBe(1);
    expect(err).toContain('no such service: nosuch');
    expect(err).not.toContain('Watching project');
  });
});

describe('watch: .env', () => {
  it('a .env created while watching re-converges', async () => {
    const { s, w: start } = setup('wde', '[services.p]\ncommand = "sleep 60"\nenvironment = { V = "${V:-none}" }\n');
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    s.file('.env', 'V=set\n');
    await w.until(() => w.reconciles().some((r) => r.trigger.includes('.env') && (r.description ?? '').includes('recreate service:p#1')), 'the recreate');
    expect(await w.stop()).toBe(130);
  });
});

describe('watch: text output', () => {
  it('prints the planner notices, such as an orphan it leaves alone', async () => {
    const s = new Stack('wno');
    stacks.push(s);
    s.write('[services.p]\ncommand = "sleep 60"\n[services.q]\ncommand = "sleep 60"\n');
    expect((await s.surge('up')).code).toBe(0);
    s.write('[services.p]\ncommand = "sleep 60"\n');
    const child = spawn(process.execPath, [CLI, 'watch'], { cwd: s.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exit = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
    const end = Date.now() + 90_000;
    while (!err.includes('Watching project') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(err).toContain(`orphan ${s.name}-q-1: service "q" is no longer in the Boltfile`);
  });
});

describe('watch: sync+exec on a host process', () => {
  it('keeps the command output off the JSON stdout', async () => {
    const { s, w: start } = setup('wpx', '[services.p]\ncommand = "sleep 60"\n[services.p.develop]\nwatch = [{ path = "./src", action = "sync+exec", exec = { command = ["echo", "EXEC-SAYS-HI"] } }]\n');
    mkdirSync(join(s.dir, 'src'));
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    writeFileSync(join(s.dir, 'src', 'a.txt'), 'a\n');
    await w.until(() => w.reconciles().some((r) => (r.description ?? '').includes('exited 0')), 'the exec');
    expect(await w.stop()).toBe(130);
    expect(w.stderr).toContain('EXEC-SAYS-HI');
    for (const line of w.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

describe('watch: --debounce', () => {
  it('rejects a value that is not a quiet period in ms, before touching anything', async () => {
    const s = new Stack('wdb');
    stacks.push(s);
    s.write('[services.a]\ncommand = "sleep 60"\n');
    for (const args of [['watch', '--debounce', 'abc'], ['up', '--watch', '--debounce', '-5']]) {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const exit = new Promise<number | string>((r) => child.on('close', (c, sig) => r(c ?? String(sig))));
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      expect(await exit, args.join(' ')).toBe(1);
      clearTimeout(killer);
      expect(err).toContain('--debounce takes a quiet period in milliseconds');
    }
    expect(Object.keys(await s.ids())).toEqual([]);
  });
});

describe('watch: service env_file', () => {
  it('an edit of a service env_file recreates that service', async () => {
    const { s, w: start } = setup('wef', '[services.p]\ncommand = "sleep 60"\nenv_file = "conf/p.env"\n[services.q]\ncommand = "sleep 60"\n');
    mkdirSync(join(s.dir, 'conf'));
    s.file('conf/p.env', 'K=1\n');
    const w = start();
    await w.until(() => w.stderr.includes('Watching project'), 'the watcher to start');
    s.file('conf/p.env', 'K=2\n');
    await w.until(() => w.reconciles().some((r) => r.trigger.includes('conf/p.env')), 'the reconcile');
    expect(w.reconciles().find((r) => r.trigger.includes('conf/p.env'))?.changes).toEqual([{ op: 'recreate', id: 'service:p#1', reason: 'env K changed' }]);
    expect(await w.stop()).toBe(130);
  });
});
