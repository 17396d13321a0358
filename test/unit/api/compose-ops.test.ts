// compose's other commands through the public API, on the in-memory driver: what a driver cannot do is said, not
// failed; abort-on-exit picks the exit code as compose does; rm asks first; create leaves containers created.
import { describe, expect, it } from 'vitest';
import {
  abortOnExit,
  connect,
  create,
  kill,
  loadProject,
  logs,
  MemoryDriver,
  pause,
  port,
  projectStatus,
  removeStopped,
  up,
  waitForExit,
  watchExits,
  type ReplicaExit,
} from '../../../src/index.js';
import { splitCopyArg } from '../../../src/api/copy.js';
import { parsePublished } from '../../../src/api/inspect.js';
import { tempProjectDir } from '../../fixtures/load-toml.js';
import { polled } from '../../fixtures/memory-polls.js';

const DOC = {
  project: 'shop',
  services: {
    web: { image: 'nginx:1.27', replicas: 2 },
    tests: { image: 'tests:1' },
  },
};

async function running() {
  const docker = new MemoryDriver();
  for (const r of ['nginx:1.27', 'tests:1']) docker.state.images[r] = `sha256:${r}`;
  const stack = await connect(loadProject({ document: DOC, cwd: tempProjectDir(), env: {} }), { drivers: { docker, process: new MemoryDriver('process') } });
  expect((await up(stack)).ok).toBe(true);
  return { stack, docker };
}


const exit = (docker: MemoryDriver, name: string, code: number): void => {
  const c = docker.state.containers.find((x) => x.name === name);
  if (c) Object.assign(c, { state: 'exited', exitCode: code });
};

describe('capabilities a driver lacks', () => {
  it('are reported as not applicable, per service, instead of failing', async () => {
    const { stack } = await running();
    expect(await kill(stack, { services: ['web'] })).toEqual({ ok: true, done: [], failed: [], notApplicable: ['web'] });
    expect((await pause(stack)).notApplicable).toEqual(['tests', 'web']);
    await expect(waitForExit(stack, ['tests'])).rejects.toThrow('cannot wait for tests on this target');
  });
});

describe('port', () => {
  it('reads the published side of a replica\'s port', async () => {
    const { stack, docker } = await running();
    const web2 = docker.state.containers.find((c) => c.name === 'shop-web-2');
    if (web2) web2.ports = ['0.0.0.0:8081->80/tcp', ':::8081->80/tcp', '53/udp'];
    expect(await port(stack, 'web', 80, { index: 2 })).toEqual({ hostIp: '0.0.0.0', hostPort: 8081 });
    await expect(port(stack, 'web', 53, { index: 2, protocol: 'udp' })).rejects.toThrow('no published port 53/udp for shop-web-2: 80/tcp, 53/udp');
    expect(parsePublished('127.0.0.1:9000->90/udp')).toEqual({ hostIp: '127.0.0.1', hostPort: 9000, privatePort: 90, protocol: 'udp' });
    expect(parsePublished(':::8081->80/tcp')).toEqual({ hostIp: '::', hostPort: 8081, privatePort: 80, protocol: 'tcp' });
  });
});

describe('abort on exit', () => {
  it('a replica up started that has already stopped counts; one stopped before does not', async () => {
    const { stack, docker } = await running();
    exit(docker, 'shop-tests-1', 4);
    exit(docker, 'shop-web-2', 0);
    const seen: ReplicaExit[] = [];
    const controller = new AbortController();
    const watching = watchExits(stack, { started: ['shop-tests-1'], signal: controller.signal, pollMs: 10 }, (e) => {
      seen.push(e);
      controller.abort();
    });
    await watching;
    expect(seen.map((e) => [e.container.name, e.exitCode])).toEqual([['shop-tests-1', 4]]);
  });

  it('stops the services and exits with the first exit\'s code, or with --exit-code-from that service\'s', async () => {
    const { stack, docker } = await running();
    setTimeout(() => exit(docker, 'shop-tests-1', 4), 50);
    const said: string[] = [];
    const r = await abortOnExit(stack, { pollMs: 10, onAbort: (e) => said.push(e.container.name) });
    expect(said).toEqual(['shop-tests-1']);
    expect(r.exitCode).toBe(4);
    expect(r.stopped?.plan.actions.map((a) => `${a.op} ${a.id}`)).toEqual(['stop service:web#1', 'stop service:web#2']);
    expect(docker.state.containers.every((c) => c.state === 'exited')).toBe(true);

    const again = await running();
    setTimeout(() => exit(again.docker, 'shop-tests-1', 4), 50);
    // web was stopped by the abort: the in-memory engine says 137.
    expect((await abortOnExit(again.stack, { pollMs: 10, exitCodeFrom: 'web' })).exitCode).toBe(137);
    await expect(abortOnExit(again.stack, { exitCodeFrom: 'nope' })).rejects.toThrow('no such service: nope');
  });

  it('ends without stopping anything when its signal aborts first', async () => {
    const { stack, docker } = await running();
    const r = await abortOnExit(stack, { pollMs: 10, signal: AbortSignal.timeout(50) });
    expect(r).toEqual({ trigger: null, exitCode: 130, stopped: null });
    expect(docker.state.containers.every((c) => c.state === 'running')).toBe(true);
  });
});

describe('rm and create', () => {
  it('rm asks with the names first and removes nothing when told no', async () => {
    const { stack, docker } = await running();
    exit(docker, 'shop-tests-1', 0);
    const asked: string[][] = [];
    const no = await removeStopped(stack, { confirm: async (names) => (asked.push(names), false) });
    expect(asked).toEqual([['shop-tests-1']]);
    expect(no.declined).toBe(true);
    expect(docker.state.containers).toHaveLength(3);
    const yes = await removeStopped(stack, { confirm: async () => true });
    expect(yes.done.map((a) => a.id)).toEqual(['service:tests#1']);
    expect(docker.state.containers.map((c) => c.name).sort()).toEqual(['shop-web-1', 'shop-web-2']);
  });

  it('create leaves new containers created', async () => {
    const docker = new MemoryDriver();
    for (const r of ['nginx:1.27', 'tests:1']) docker.state.images[r] = `sha256:${r}`;
    const stack = await connect(loadProject({ document: DOC, cwd: tempProjectDir(), env: {} }), { drivers: { docker, process: new MemoryDriver('process') } });
    const r = await create(stack, { services: ['web'] });
    expect(r.ok).toBe(true);
    expect(docker.state.containers.map((c) => [c.name, c.state])).toEqual([
      ['shop-web-1', 'created'],
      ['shop-web-2', 'created'],
    ]);
  });
});

describe('logs -f', () => {
  it('says a recreate and an exit, and with untilStopped ends once everything it followed has stopped', async () => {
    const { stack, docker } = await running();
    const status: string[] = [];
    // Each change once the follower has polled (twice) since the one before: a fixed time may not be enough when busy.
    let seen = polled(docker);
    const following = logs(stack, { services: ['web'], follow: true, untilStopped: true, pollMs: 10, onStatus: (c, m) => status.push(`${c} ${m}`) }, () => {});
    await seen;
    seen = polled(docker);
    const web1 = docker.state.containers.find((c) => c.name === 'shop-web-1');
    if (web1) web1.id = 'replacement';
    await seen;
    exit(docker, 'shop-web-1', 0);
    exit(docker, 'shop-web-2', 3);
    await following;
    expect(status).toEqual(['shop-web-1 has been recreated', 'shop-web-1 exited with code 0', 'shop-web-2 exited with code 3']);
  });
});

describe('small parsers', () => {
  it('cp arguments, and ls status', () => {
    expect(splitCopyArg('web:/etc/x')).toEqual({ service: 'web', path: '/etc/x' });
    expect(splitCopyArg('a:/x', 'linux')).toEqual({ service: 'a', path: '/x' });
    expect(splitCopyArg('C:\\x', 'win32')).toEqual({ service: null, path: 'C:\\x' });
    expect(splitCopyArg('./a:b')).toEqual({ service: null, path: './a:b' });
    expect(splitCopyArg('/abs:x')).toEqual({ service: null, path: '/abs:x' });
    expect(projectStatus(['running', 'exited', 'running'])).toBe('exited(1), running(2)');
  });
});
