// kill -9 at any step of a replacement, the engine's 304 race, duplicate networks: the next `up` heals, and `plan`
// never says "no changes" before it has. Real engine; a kill is cut deterministically with the driver's test hook
// SURGE_TEST_CRASH_AFTER=<step> (the process SIGKILLs itself right after that step).
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, docker, run, SLEEPER, Stack, type Result } from './cli.js';

const stacks: Stack[] = [];
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.destroy()));
});

/** Service a keeps data in an anonymous volume (/keep) and has b depending on it; V is the env var a change recreates. */
const TWO = (v: string) => `
[services.a]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
environment = { V = "${v}" }
volumes = ["/keep"]
[services.b]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = ["a"]
`;

function crashAfter(s: Stack, step: string): Promise<Result> {
  return run(['up', '--progress', 'plain'], s.dir, { SURGE_TEST_CRASH_AFTER: step });
}

async function envOf(name: string): Promise<string[]> {
  return (await docker.getContainer(name).inspect()).Config.Env ?? [];
}

async function readIn(name: string, file: string): Promise<string> {
  const exec = await docker.getContainer(name).exec({ Cmd: ['cat', file], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  stream.on('data', (b: Buffer) => chunks.push(b));
  await new Promise((r) => stream.on('end', r));
  // The multiplexed stream: 8-byte frame headers before each payload.
  const raw = Buffer.concat(chunks);
  let out = '';
  for (let i = 0; i + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(i + 4);
    out += raw.subarray(i + 8, i + 8 + size).toString();
    i += 8 + size;
  }
  return out;
}

/** The next up heals: exit 0, a running under its own name with V=2 and its /keep data, no temporary container, plan empty. */
async function expectHealed(s: Stack): Promise<void> {
  const up = await s.surge('up');
  expect(up.code, up.stderr).toBe(0);
  const names = Object.keys(await s.containers()).sort();
  expect(names).toEqual([`${s.name}-a-1`, `${s.name}-b-1`]);
  const a = (await s.containers())[`${s.name}-a-1`];
  expect(a?.State).toBe('running');
  expect(await envOf(`${s.name}-a-1`)).toContain('V=2');
  expect(await readIn(`${s.name}-a-1`, '/keep/marker')).toBe('kept\n');
  expect((await s.surge('plan', '--detailed-exitcode')).code).toBe(0);
}

async function temps(s: Stack): Promise<Record<string, string>> {
  const cs = await s.containers();
  return Object.fromEntries(Object.entries(cs).filter(([n]) => n.includes('_surge-new-')).map(([n, c]) => [n, c.State]));
}

describe('kill -9 at each step of a replacement', () => {
  /** A converged stack at V=1 with a marker in a's anonymous volume, then the Boltfile at V=2 and an up killed after `step`. */
  async function cut(prefix: string, step: string): Promise<Stack> {
    const s = stack(prefix);
    s.write(TWO('1'));
    expect((await s.surge('up')).code).toBe(0);
    const exec = await docker.getContainer(`${s.name}-a-1`).exec({ Cmd: ['sh', '-c', 'echo kept > /keep/marker'] });
    await exec.start({ Detach: true });
    // The marker is written when the exec has ended (not a fixed time after it started): the cut below may remove a.
    for (let i = 0; ; i++) {
      const { Running, ExitCode } = await exec.inspect();
      if (!Running && ExitCode !== null) {
        expect(ExitCode).toBe(0);
        break;
      }
      if (i > 600) throw new Error('the exec writing the marker did not end within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    s.write(TWO('2'));
    const killed = await crashAfter(s, step);
    expect(killed.code, killed.stderr).not.toBe(0);
    return s;
  }

  it('after create temp: the old container runs, the temporary one is removed, then the recreate runs again', async () => {
    const s = await cut('cutc', 'create-temp');
    expect(Object.values(await temps(s))).toEqual(['created']);
    expect((await s.containers())[`${s.name}-a-1`]?.State).toBe('running');
    const plan = await s.surge('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- service:a#1:[0-9a-f]{12} +remove +\(finish interrupted replacement: .*-a-1 is still there, so its unused replacement goes\)/);
    expect(plan.stdout).toMatch(/-\/\+ service:a#1 +recreate +\(env V changed\)/);
    await expectHealed(s);
  });

  it('after stop old: the same, with the old container stopped', async () => {
    const s = await cut('cuts', 'stop-old');
    expect(Object.values(await temps(s))).toEqual(['created']);
    expect((await s.containers())[`${s.name}-a-1`]?.State).toBe('exited');
    expect((await s.surge('plan', '--detailed-exitcode')).stdout).toContain('finish interrupted replacement');
    await expectHealed(s);
  });

  it('after remove old: the temporary container is the replica: renamed and started, its volume kept', async () => {
    const s = await cut('cutr', 'remove-old');
    const [temp] = Object.keys(await temps(s));
    expect((await s.containers())[`${s.name}-a-1`]).toBeUndefined();
    const plan = await s.surge('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`> service:a#1  start     (finish interrupted replacement: rename ${temp} to ${s.name}-a-1 and start it)`);
    await expectHealed(s);
  });

  it('after remove old, with the Boltfile changed again: the temporary container is replaced, its volume carried over', async () => {
    const s = await cut('cutx', 'remove-old');
    s.write(TWO('2').replace('V = "2"', 'V = "2", W = "3"'));
    const plan = await s.surge('plan');
    expect(plan.stdout).toMatch(/-\/\+ service:a#1 +recreate +\(finish interrupted replacement: the new container has an older config \(env W added\)\)/);
    const up = await s.surge('up');
    expect(up.code, up.stderr).toBe(0);
    expect(await temps(s)).toEqual({});
    expect(await envOf(`${s.name}-a-1`)).toEqual(expect.arrayContaining(['V=2', 'W=3']));
    expect(await readIn(`${s.name}-a-1`, '/keep/marker')).toBe('kept\n');
  });

  it('after rename: the replica is there, created, and is started', async () => {
    const s = await cut('cutn', 'rename');
    expect(await temps(s)).toEqual({});
    expect((await s.containers())[`${s.name}-a-1`]?.State).toBe('created');
    expect((await s.surge('plan', '--detailed-exitcode')).stdout).toMatch(/> service:a#1 +start +\(created, not started\)/);
    await expectHealed(s);
  });

  it('after a create, before its start: the next up starts it', async () => {
    const s = stack('cutk');
    s.write(TWO('2'));
    const killed = await crashAfter(s, 'create');
    expect(killed.code).not.toBe(0);
    expect(Object.values(await s.containers()).map((c) => c.State)).toEqual(['created']);
    const up = await s.surge('up');
    expect(up.code, up.stderr).toBe(0);
    expect(Object.values(await s.containers()).map((c) => c.State)).toEqual(['running', 'running']);
  });
});

describe('the engine answers with facts', () => {
  it('a container started by hand while up waits to start it (304) is not a failure', async () => {
    const s = stack('race');
    s.write(`
[services.db]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'exit 0' TERM; rm -f /tmp/ok; sleep 5; touch /tmp/ok; while true; do sleep 3600 & wait $$!; done"]
healthcheck = { test = ["CMD", "test", "-f", "/tmp/ok"], interval = "300ms", retries = 100 }
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = { db = { condition = "service_healthy" } }
[services.web]
image = "${BASE_IMAGE}"
command = ${SLEEPER}
depends_on = ["app"]
`);
    expect((await s.surge('up')).code).toBe(0);
    for (const name of ['db', 'app']) await docker.getContainer(`${s.name}-${name}-1`).stop({ t: 1 });
    const up = s.surge('up');
    // While up waits for db to be healthy (it started db, so it planned to start app), app is started by hand.
    for (let i = 0; !(await docker.getContainer(`${s.name}-db-1`).inspect()).State.Running; i++) {
      if (i > 1200) throw new Error('up did not start db within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await docker.getContainer(`${s.name}-app-1`).start();
    const r = await up;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('start service:app#1');
    expect(Object.values(await s.containers()).map((c) => c.State)).toEqual(['running', 'running', 'running']);
  });
});

describe('duplicate networks', () => {
  async function duplicate(s: Stack): Promise<string> {
    const original = await docker.getNetwork(`${s.name}_default`).inspect();
    const copy = await docker.createNetwork({ Name: `${s.name}_default`, CheckDuplicate: false, Labels: original.Labels });
    return copy.id;
  }

  it('plan shows the empty copy going; up removes it; down removes every copy', async () => {
    const s = stack('dupn');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('up')).code).toBe(0);
    const copy = await duplicate(s);
    const plan = await s.surge('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`- network:default:${copy.slice(0, 12)}  remove    (duplicate network: ${s.name}_default ${copy.slice(0, 12)} is empty`);
    const up = await s.surge('up');
    expect(up.code, up.stderr).toBe(0);
    expect((await docker.listNetworks({ filters: { name: [`${s.name}_default`] } })).map((n) => n.Id)).not.toContain(copy);
    expect((await s.surge('plan', '--detailed-exitcode')).code).toBe(0);

    await duplicate(s);
    const down = await s.surge('down');
    expect(down.code, down.stderr).toBe(0);
    expect(await docker.listNetworks({ filters: { label: [`surge.project=${s.name}`] } })).toEqual([]);
  });

  it('with containers on both copies: a notice says what to do, and down then up makes one network', async () => {
    const s = stack('dupb');
    s.write(`[services.a]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n[services.b]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('up')).code).toBe(0);
    const copy = await duplicate(s);
    const original = (await docker.listNetworks({ filters: { name: [`${s.name}_default`] } })).find((n) => n.Id !== copy);
    await docker.getNetwork(original!.Id).disconnect({ Container: `${s.name}-b-1` });
    await docker.getNetwork(copy).connect({ Container: `${s.name}-b-1` });
    const plan = await s.surge('plan');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`networks named ${s.name}_default`);
    expect(plan.stdout).toContain('Run `surge down` and then `surge up`');
    expect((await s.surge('down')).code).toBe(0);
    expect(await docker.listNetworks({ filters: { label: [`surge.project=${s.name}`] } })).toEqual([]);
    expect((await s.surge('up')).code).toBe(0);
    expect(await docker.listNetworks({ filters: { label: [`surge.project=${s.name}`] } })).toHaveLength(1);
  });
});
