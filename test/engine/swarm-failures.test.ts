// When things go wrong on a real 3-node Swarm: a rollout whose tasks fail is rolled back and reported with the tasks'
// own errors; a node whose engine stops shows its tasks as lost while the Swarm places them elsewhere, and `up`
// converges after; a saved plan goes stale when a service changes out of band; the GPU preflight reads the nodes'
// advertised NVIDIA-GPU; an encrypted overlay is refused on a kernel without ESP; the project lock lives on the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE } from './cli.js';
import { dockerOn, startNode, stopNode } from './swarm-cluster.js';
import { eventually, SLEEP, stackSet, type SwarmStack, swarmReady } from './swarm-harness.js';

const stacks = stackSet();
const stack = (prefix: string): SwarmStack => stacks.make(prefix);

beforeAll(swarmReady);

afterAll(async () => {
  await startNode(2);
  await stacks.destroyAll();
});

const WORKER = (extra = '') => `
[services.worker]
image = "${BASE_IMAGE}"
command = ${SLEEP}
replicas = 2
stop_grace_period = "1s"
${extra}
[services.worker.deploy.update_config]
parallelism = 2
monitor = "2s"
`;

describe('a Swarm stack when things go wrong', () => {
  it('a rollout whose tasks fail is rolled back, and the failure says what the tasks said', async () => {
    const s = stack('swf');
    s.write(WORKER());
    expect((await s.surge('up', '--wait')).code).toBe(0);
    const before = await s.service('worker');
    s.write(WORKER().replace(SLEEP, '["sh", "-c", "sleep 1; exit 3"]'));
    const up = await s.surge('up', '--wait');
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(
      // The Swarm's reason, when the rollback was seen starting (it may pass between two polls), then the tasks' own.
      new RegExp(`the rollout of ${s.name}_worker failed and was rolled back: the previous version runs \\((update rolled back due to failure or early termination of task \\w+|rollback completed)\\): task: non-zero exit \\(3\\)`),
    );
    const after = await s.service('worker');
    expect(after.ID).toBe(before.ID);
    expect(after.UpdateStatus?.State).toBe('rollback_completed');
    expect(JSON.stringify(after.Spec)).not.toContain('exit 3');
    // The Boltfile still asks for the change: the next plan says so again.
    expect((await s.surge('plan')).stdout).toMatch(/~ service:worker +update +\(command changed\)/);
  });

  it('up --wait says why tasks cannot be placed, in the scheduler\'s words', async () => {
    const s = stack('swp');
    s.write(`
[services.huge]
image = "${BASE_IMAGE}"
command = ${SLEEP}
stop_grace_period = "1s"
[services.huge.deploy.resources.reservations]
memory = "1000g"
`);
    const up = await s.surge('up', '--wait');
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('service huge: 1 task(s) cannot be placed: no suitable node (insufficient resources on 3 nodes)');
    const ps = await s.surge('ps');
    expect(ps.stdout).toMatch(/^huge\.1 +huge +- +running +pending +no suitable node \(insufficient resources on 3 nodes\)/m);
  });

  it('a saved plan goes stale when a service is changed out of band', async () => {
    const s = stack('sws');
    s.write(WORKER());
    expect((await s.surge('up')).code).toBe(0);
    s.write(WORKER('environment = { LEVEL = "2" }'));
    expect((await s.surge('plan', '-o', 'plan.json')).code).toBe(0);
    await s.docker(['service', 'update', '--detach', '--env-add', 'OTHER=1', `${s.name}_worker`]);
    const apply = await s.surge('apply', 'plan.json');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/the live state of project \w+ changed since this plan was made; nothing was applied/);
  });

  it('a node whose engine stops: its tasks show as lost, the Swarm places them elsewhere, and up converges after', async () => {
    const s = stack('swn');
    s.write(`
[services.spread]
image = "${BASE_IMAGE}"
command = ${SLEEP}
replicas = 2
stop_grace_period = "1s"
[services.spread.deploy.placement]
constraints = ["node.labels.surge-swarm.node!=1"]
`);
    expect((await s.surge('up', '--wait')).code).toBe(0);
    expect(await s.nodesOf('spread')).toEqual(['sswn2', 'sswn3']);
    await stopNode(2);
    try {
      const ps = await eventually('a lost task on sswn2 and its replacement running on sswn3', async () => {
        const r = await s.surge('ps');
        return /^spread\.\d +spread +sswn2 +shutdown +lost/m.test(r.stdout) && (r.stdout.match(/sswn3 +running +running/g) ?? []).length === 2 ? r.stdout : undefined;
      }, 180_000);
      expect(ps).toMatch(/^spread\.\d +spread +sswn2 +shutdown +lost/m);
      const json = JSON.parse((await s.surge('ps', '--format', 'json')).stdout) as { node: string; state: string; driver: string }[];
      expect(json.filter((t) => t.node === 'sswn2').map((t) => [t.state, t.driver])).toEqual([['lost', 'swarm']]);
      // While the node is away, the stack is what the Boltfile asks for: nothing to do, and --wait is satisfied.
      expect((await s.surge('plan', '--detailed-exitcode')).code).toBe(0);
      expect((await s.surge('up', '--wait')).code).toBe(0);
    } finally {
      await startNode(2);
    }
    await eventually('sswn2 ready again', async () => ((await s.docker(['node', 'inspect', 'sswn2', '--format', '{{.Status.State}}'])) === 'ready' ? true : undefined), 180_000);
    const up = await s.surge('up', '--wait');
    expect(up.code).toBe(0);
    // A Swarm does not move tasks back: both stay on sswn3; the lost one is reported shut down by its node once the
    // node has told the manager (a moment after the node is ready again).
    expect(await s.nodesOf('spread')).toEqual(['sswn3', 'sswn3']);
    await eventually('the lost task reported shut down by sswn2', async () => (/lost/.test((await s.surge('ps')).stdout) ? undefined : true), 120_000);
    // A node's loss and return take the Swarm tens of seconds (heartbeats), more on a busy machine.
  }, 480_000);

  it('the GPU preflight refuses a task more NVIDIA-GPU than any node advertises, and accepts what node 2 has', async () => {
    const s = stack('swg');
    const gpu = (count: number) => `
[services.trainer]
image = "${BASE_IMAGE}"
command = ${SLEEP}
stop_grace_period = "1s"
gpu = { nvidia = { count = ${count} } }
`;
    s.write(gpu(3));
    const refused = await s.surge('up');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('service trainer asks for 3 NVIDIA-GPU per task, but no node of the Swarm');
    expect(refused.stderr).toContain('nodes advertising NVIDIA-GPU: sswn2 (2)');
    expect(await s.docker(['service', 'ls', '--filter', `label=surge.project=${s.name}`, '-q'])).toBe('');
    expect(await s.docker(['network', 'ls', '--filter', `label=surge.project=${s.name}`, '-q'])).toBe('');
    s.write(gpu(1));
    const up = await s.surge('up', '--wait');
    expect(up.code).toBe(0);
    expect(await s.nodesOf('trainer')).toEqual(['sswn2']);
    const reserved = await s.docker(['service', 'inspect', `${s.name}_trainer`, '--format', '{{json .Spec.TaskTemplate.Resources.Reservations.GenericResources}}']);
    expect(JSON.parse(reserved)).toEqual([{ DiscreteResourceSpec: { Kind: 'NVIDIA-GPU', Value: 1 } }]);
  });

  it('an encrypted overlay is refused where the manager\'s kernel has no ESP, before anything is created', async () => {
    const s = stack('swe');
    s.write(`
[networks.secure]
encryption = true
[services.a]
image = "${BASE_IMAGE}"
command = ${SLEEP}
networks = ["secure"]
`);
    const up = await s.surge('up');
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/network secure would be an encrypted overlay, but the manager's kernel \(\S+\) has no ESP \(CONFIG_INET_ESP\): Docker would create it and then drop all traffic between nodes/);
    expect(await s.docker(['network', 'ls', '--filter', `label=surge.project=${s.name}`, '-q'])).toBe('');
  });

  it('the project lock is a Swarm config: a live holder on another machine makes up wait, a holder gone quiet is taken over', async () => {
    const s = stack('swl');
    s.write(WORKER());
    const labels = (lease: number) => [
      '--label', `surge.lock.project=${s.name}`, '--label', 'surge.lock.role=lock', '--label', 'surge.lock.token=someone-else', '--label', 'surge.lock.pid=4242', '--label', 'surge.lock.host=ci-runner-7',
      '--label', 'surge.lock.purpose=up', '--label', `surge.lock.lease-ms=${lease}`,
    ];
    const lock = `surge-lock.${s.name}`;
    await s.docker(['config', 'create', ...labels(600_000), lock, '/etc/hostname']);
    const waited = await s.surge('up', '--lock-timeout', '2');
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(/another surge \(pid 4242 on host ci-runner-7 \(up\), since [\d:]+\) is applying project "\w+"; gave up after 2 s/);
    await s.docker(['config', 'rm', lock]);
    // A lease of 3 s without a heartbeat: stale once 3 s have passed on the manager's clock.
    await s.docker(['config', 'create', ...labels(3000), lock, '/etc/hostname']);
    await new Promise((done) => setTimeout(done, 3500));
    const up = await s.surge('up');
    expect(up.code).toBe(0);
    expect((await dockerOn(1, ['config', 'inspect', lock])).code).not.toBe(0);
    // Two surge processes at once on a changed stack: one applies; the other waits for it (or, started late, already
    // sees the new spec), then finds nothing to do. Without the lock both would send the update, and one would fail.
    s.write(WORKER('environment = { ROUND = "2" }'));
    const [a, b] = await Promise.all([s.surge('up'), s.surge('up')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(`${a.stdout}${a.stderr}${b.stdout}${b.stderr}`.match(/update service:worker \(env ROUND added\) \.\.\./g)).toHaveLength(1);
  });
});
