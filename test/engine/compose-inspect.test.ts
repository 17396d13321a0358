// compose's read-only commands on a real engine — ps flags, port, top, images, ls, events, stats, wait — and their
// output beside docker-compose 1.29's where compose has the command.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { background, BASE_IMAGE, docker, run, SLEEPER, Stack } from './cli.js';

const stacks: Stack[] = [];
const composeProjects: { name: string; dir: string }[] = [];
// Each test takes its stacks down: the engine has room for only so many networks, and other test runs share it.
afterEach(async () => {
  for (const p of composeProjects.splice(0)) execFileSync('docker-compose', ['-p', p.name, 'down', '-v', '-t', '0'], { cwd: p.dir, stdio: 'ignore' });
  await Promise.all(stacks.splice(0).map((s) => s.destroy()));
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

const WEB = `[services.web]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 & wait"]
ports = ["127.0.0.1::8080", "127.0.0.1::5353/udp"]
replicas = 2
[services.job]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "exit 3"]
`;

/** The same two services for docker-compose 1.29, in the stack's folder. */
function composeTwin(s: Stack): string {
  const name = `${s.name}dc`;
  writeFileSync(
    join(s.dir, 'docker-compose.yml'),
    `version: "3"\nservices:\n  web:\n    image: ${BASE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 & wait"]\n    ports: ["127.0.0.1::8080"]\n  job:\n    image: ${BASE_IMAGE}\n    command: ["sh", "-c", "exit 3"]\n`,
  );
  composeProjects.push({ name, dir: s.dir });
  execFileSync('docker-compose', ['-p', name, 'up', '-d'], { cwd: s.dir, stdio: 'ignore' });
  return name;
}

const compose = (s: Stack, name: string, ...args: string[]): string => execFileSync('docker-compose', ['-p', name, ...args], { cwd: s.dir, encoding: 'utf8' });

describe('ps, port, top and images', () => {
  it('ps -q, --services and --status (repeatable) mean what they mean in compose', async () => {
    const s = stack('psf');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    await s.surge('wait', 'job');
    const ids = await s.ids();
    expect((await s.surge('ps', '-q')).stdout.trim().split('\n').sort()).toEqual(Object.values(ids).sort());
    expect((await s.surge('ps', '-q', 'web')).stdout.trim().split('\n').sort()).toEqual([ids[`${s.name}-web-1`], ids[`${s.name}-web-2`]].sort());
    expect((await s.surge('ps', '--status', 'exited')).stdout).toMatch(new RegExp(`^NAME .*\\n${s.name}-job-1 +job +exited \\(3\\)`));
    expect((await s.surge('ps', '--status', 'exited', '--status', 'running', '-q')).stdout.trim().split('\n')).toHaveLength(3);
    expect((await s.surge('ps', '--status', 'paused')).stdout).toBe(`No container or process of project ${s.name} is paused.\n`);
    const bad = await s.surge('ps', '--status', 'sleeping');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid values');
    // docker-compose lists services the same way.
    const twin = composeTwin(s);
    expect((await s.surge('ps', '--services')).stdout).toBe(compose(s, twin, 'ps', '--services').split('\n').sort().filter(Boolean).join('\n') + '\n');
  });

  it('port prints HOST:PORT like docker-compose; --index and --protocol pick; a missing port is an error', async () => {
    const s = stack('prt');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    const containers = await s.containers();
    const published = (n: number, type: string, priv: number): string => {
      const p = containers[`${s.name}-web-${n}`]?.Ports.find((x) => x.PrivatePort === priv && x.Type === type);
      return `${p?.IP}:${p?.PublicPort}\n`;
    };
    expect((await s.surge('port', 'web', '8080')).stdout).toBe(published(1, 'tcp', 8080));
    expect((await s.surge('port', '--index', '2', 'web', '8080')).stdout).toBe(published(2, 'tcp', 8080));
    expect((await s.surge('port', '--protocol', 'udp', 'web', '5353')).stdout).toBe(published(1, 'udp', 5353));
    const missing = await s.surge('port', 'web', '9999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`surge: no published port 9999/tcp for ${s.name}-web-1: 5353/udp, 8080/tcp\n`);
    expect((await s.surge('port', '--index', '3', 'web', '8080')).stderr).toBe('surge: service web has no replica 3 (it has 1, 2)\n');
    expect((await s.surge('port', 'web', 'http')).stderr).toContain('PRIVATE_PORT takes a port number');
    const twin = composeTwin(s);
    expect(compose(s, twin, 'port', 'web', '8080')).toMatch(/^127\.0\.0\.1:\d+\n$/);
  });

  it('top lists each container\'s processes under SERVICE and #, CMD last', async () => {
    const s = stack('top');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    // up returns once the containers are started; their shells start httpd a moment later.
    let r = await s.surge('top', 'web');
    for (let i = 0; r.stdout.split('\n').filter((l) => /httpd -f -p 8080$/.test(l)).length < 2 && i < 300; i++) {
      await new Promise((done) => setTimeout(done, 200));
      r = await s.surge('top', 'web');
    }
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SERVICE +# +UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
    expect(lines.filter((l) => /httpd -f -p 8080$/.test(l)).map((l) => l.split(/ +/).slice(0, 2))).toEqual([
      ['web', '1'],
      ['web', '2'],
    ]);
  });

  it('images: compose\'s columns, JSON keys, and -q', async () => {
    const s = stack('img');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    const table = (await s.surge('images')).stdout.split('\n');
    expect(table[0]).toMatch(/^CONTAINER +REPOSITORY +TAG +PLATFORM +IMAGE ID +SIZE +CREATED$/);
    expect(table[1]).toMatch(new RegExp(`^${s.name}-job-1 +surge-test/busybox +1 +linux/\\w+ +[0-9a-f]{12} +[\\d.]+MB +.* ago$`));
    const json = JSON.parse((await s.surge('images', '--format', 'json')).stdout) as Record<string, unknown>[];
    expect(json.map((i) => i.ContainerName)).toEqual([`${s.name}-job-1`, `${s.name}-web-1`, `${s.name}-web-2`]);
    const id = (await docker.getImage(BASE_IMAGE).inspect()).Id;
    expect(json[0]).toMatchObject({ ID: id, Repository: 'surge-test/busybox', Tag: '1' });
    expect(Object.keys(json[0] ?? {}).sort()).toEqual(['ContainerName', 'Created', 'ID', 'Platform', 'Repository', 'Size', 'Tag']);
    expect((await s.surge('images', '-q')).stdout).toBe(`${id.replace('sha256:', '')}\n`);
  });
});

describe('ls, events, stats, wait', () => {
  it('ls: NAME STATUS CONFIG FILES from labels; -a adds stopped projects; --format json', async () => {
    const s = stack('lsp');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    await s.surge('wait', 'job');
    const mine = (text: string): string | undefined => text.split('\n').find((l) => l.startsWith(`${s.name} `));
    const ls = await run(['ls'], '/');
    expect(ls.stdout.split('\n')[0]).toMatch(/^NAME +STATUS +CONFIG FILES$/);
    expect(mine(ls.stdout)).toMatch(new RegExp(`^${s.name} +running\\(2\\) +${join(s.dir, 'Boltfile.toml')}$`));
    expect(mine((await run(['ls', '-a'], '/')).stdout)).toMatch(new RegExp(`^${s.name} +exited\\(1\\), running\\(2\\) `));
    const json = JSON.parse((await run(['ls', '--format', 'json', '-a'], '/')).stdout) as { Name: string }[];
    expect(json.find((p) => p.Name === s.name)).toEqual({ Name: s.name, Status: 'exited(1), running(2)', ConfigFiles: join(s.dir, 'Boltfile.toml') });
    expect((await run(['ls', '-q'], '/')).stdout.split('\n')).toContain(s.name);
    await s.surge('stop', 'web');
    expect(mine((await run(['ls'], '/')).stdout)).toBeUndefined();
  });

  it('events --json streams the project\'s container events in compose\'s shape; Ctrl-C exits 130', async () => {
    const s = stack('evt');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    const ev = background(['events', '--json', 'web'], s.dir);
    // Events are streamed from when `events` has subscribed, which takes a while on a busy machine: an exec in web
    // (its exec_* events) shows that it has, before the events the test is about.
    for (let i = 0; !ev.stdout().includes('"action":"exec_'); i++) {
      if (i > 120) throw new Error(`events printed no exec event within 60 s:\n${ev.stdout()}${ev.stderr()}`);
      await (await docker.getContainer(`${s.name}-web-1`).exec({ Cmd: ['true'] })).start({ Detach: true });
      await new Promise((r) => setTimeout(r, 500));
    }
    await s.surge('pause', 'web');
    await s.surge('unpause', 'web');
    await ev.until(/"action":"unpause"[^]*"action":"unpause"/);
    ev.signal('SIGINT');
    expect(await ev.exit).toBe(130);
    const events = ev
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => !String(e.action).startsWith('exec_'));
    expect(events.map((e) => e.action)).toEqual(['pause', 'pause', 'unpause', 'unpause']);
    const ids = await s.ids();
    expect(events[0]).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/), type: 'container', service: 'web', id: expect.any(String), action: 'pause', attributes: { image: BASE_IMAGE, name: expect.stringMatching(new RegExp(`^${s.name}-web-[12]$`)) } });
    expect([ids[`${s.name}-web-1`], ids[`${s.name}-web-2`]]).toContain(events[0]?.id);
    // docker-compose 1.29 writes the same keys, and the same attributes for these events.
    const twin = composeTwin(s);
    // It too streams only from when it has subscribed (a Python start-up: seconds on a busy machine), so web is
    // paused and unpaused until it has printed an event.
    const dc = spawn('docker-compose', ['-p', twin, 'events', '--json'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'ignore'] });
    let dcEvents = '';
    dc.stdout.on('data', (b: Buffer) => (dcEvents += b.toString()));
    try {
      for (let i = 0; !dcEvents.includes('\n'); i++) {
        if (i > 60) throw new Error('docker-compose events printed nothing within a minute');
        execFileSync('docker-compose', ['-p', twin, 'pause', 'web'], { cwd: s.dir, stdio: 'ignore' });
        execFileSync('docker-compose', ['-p', twin, 'unpause', 'web'], { cwd: s.dir, stdio: 'ignore' });
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      dc.kill();
    }
    const first = JSON.parse(dcEvents.trim().split('\n')[0] ?? '{}') as Record<string, unknown>;
    expect(first.action).toMatch(/^(un)?pause$/);
    expect(Object.keys(first).sort()).toEqual(Object.keys(events[0] ?? {}).sort());
    expect(Object.keys(first.attributes as object).sort()).toEqual(['image', 'name']);
  });

  it('stats: a table or JSON lines per running container, --no-stream once, streaming until Ctrl-C (130)', async () => {
    const s = stack('sts');
    s.write(WEB);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    const once = await s.surge('stats', '--no-stream');
    expect(once.code).toBe(0);
    const lines = once.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/);
    expect(lines.slice(1).map((l) => l.split(/ +/)[0])).toEqual([`${s.name}-web-1`, `${s.name}-web-2`]);
    expect(lines[1]).toMatch(/ \d+\.\d\d% +[\d.]+[KMG]?i?B \/ [\d.]+[KMG]iB +\d+\.\d\d% +[\d.]+k?B \/ [\d.]+k?B +[\d.]+k?B \/ [\d.]+k?B +2$/);
    const json = (await s.surge('stats', '--no-stream', '--format', 'json', 'web')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(Object.keys(json[0] ?? {}).sort()).toEqual(['BlockIO', 'CPUPerc', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs', 'Service']);
    expect((await s.surge('stats', '--no-stream', '-a', 'job')).stdout).toMatch(new RegExp(`${s.name}-job-1 +-- +-- +-- +-- +-- +--`));
    const live = background(['stats', '--format', 'json', 'web'], s.dir);
    await live.until(/web-1[^]*\n[^]*web-1[^]*\n/);
    live.signal('SIGINT');
    expect(await live.exit).toBe(130);
  });

  it('wait blocks until the containers exit, prints each exit code, exits with the last; Ctrl-C exits 130', async () => {
    const s = stack('wai');
    s.write(`${WEB}[services.slow]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "sleep 2; exit 5"]\n`);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    const started = Date.now();
    const r = await s.surge('wait', 'slow', 'job');
    expect(r.stdout).toBe(`${s.name}-job-1 exited with code 3\n${s.name}-slow-1 exited with code 5\n`);
    expect(r.code).toBe(5);
    expect(Date.now() - started).toBeGreaterThan(1000);
    // job has exited already: once wait says so, it is blocked on web (and Ctrl-C reaches its own handler).
    const blocked = background(['wait', 'job', 'web'], s.dir);
    await blocked.until(`${s.name}-job-1 exited with code 3`);
    blocked.signal('SIGINT');
    expect(await blocked.exit).toBe(130);
    expect((await s.surge('wait')).stderr).toContain('Not enough non-option arguments');
  });
});

describe('down -v', () => {
  it('is --volumes, as in compose; -v alone is the version', async () => {
    const s = stack('dnv');
    s.write(`[volumes.data]\n[services.app]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\nvolumes = ["data:/data", "/anon"]\n`);
    { const up = await s.surge('up'); expect(up.code, up.stderr).toBe(0); }
    const anon = (await docker.getContainer((await s.ids())[`${s.name}-app-1`] as string).inspect()).Mounts.find((m) => m.Destination === '/anon')?.Name as string;
    const r = await s.surge('down', '-v', '-t', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await docker.listVolumes({ filters: { label: [`surge.project=${s.name}`] } })).Volumes ?? []).toEqual([]);
    await expect(docker.getVolume(anon).inspect()).rejects.toThrow();
    expect((await run(['-v'], '/')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
