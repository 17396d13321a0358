// Reading a Swarm's answers: tasks (a lost one has no state of its own), service progress for the waits, the lock's
// staleness on the manager's clock, the kernel's config, digests, the GPU preflight against the nodes.
import { describe, expect, it } from 'vitest';
import { configHas } from '../../../../src/drivers/swarm/kernel.js';
import { digestFor, toObservedNode, toObservedService, toObservedTask, type SwarmNodeInfo, type SwarmTaskInfo } from '../../../../src/drivers/swarm/observe.js';
import { progressOf } from '../../../../src/drivers/swarm/wait.js';
import { isLostTask, taskDisplayState } from '../../../../src/model/swarm-tasks.js';
import { gpuNodesError } from '../../../../src/planner/gpu-preflight.js';
import { loadToml } from '../../../fixtures/load-toml.js';

const NODES: SwarmNodeInfo[] = [
  { ID: 'n1', Spec: { Role: 'manager', Availability: 'active' }, Description: { Hostname: 'm1' }, Status: { State: 'ready', Addr: '10.0.0.1' }, ManagerStatus: { Leader: true } },
  {
    ID: 'n2',
    Spec: { Role: 'worker', Availability: 'active' },
    Description: { Hostname: 'w2', Resources: { GenericResources: [{ DiscreteResourceSpec: { Kind: 'NVIDIA-GPU', Value: 2 } }] } },
    Status: { State: 'down', Addr: '10.0.0.2' },
  },
];
const nodes = new Map(NODES.map((n) => [n.ID, toObservedNode(n)]));

function task(over: Partial<SwarmTaskInfo> & { state?: string; err?: string }): SwarmTaskInfo {
  return {
    ID: over.ID ?? 't1',
    ServiceID: 's1',
    Slot: over.Slot ?? 1,
    NodeID: over.NodeID ?? 'n1',
    CreatedAt: over.CreatedAt ?? '2026-01-01T00:00:10Z',
    DesiredState: over.DesiredState ?? 'running',
    Status: { Timestamp: '2026-01-01T00:00:11Z', State: over.state ?? 'running', Message: 'started', ...(over.err ? { Err: over.err } : {}) },
  };
}

describe('tasks', () => {
  it('a task running on a node that went down, which the manager shut down, is lost', () => {
    const lost = toObservedTask(task({ NodeID: 'n2', DesiredState: 'shutdown' }), nodes);
    expect(lost).toMatchObject({ node: 'w2', nodeState: 'down', state: 'running', desiredState: 'shutdown' });
    expect(isLostTask(lost)).toBe(true);
    expect(taskDisplayState(lost)).toBe('lost');
    // Shut down on a live node, or finished before its node went: not lost.
    expect(isLostTask(toObservedTask(task({ DesiredState: 'shutdown' }), nodes))).toBe(false);
    expect(isLostTask(toObservedTask(task({ NodeID: 'n2', DesiredState: 'shutdown', state: 'complete' }), nodes))).toBe(false);
  });

  it('nodes: role, state, generic resources', () => {
    expect(nodes.get('n2')).toEqual({ id: 'n2', hostname: 'w2', role: 'worker', state: 'down', availability: 'active', address: '10.0.0.2', leader: false, genericResources: [{ kind: 'NVIDIA-GPU', value: 2 }] });
  });

  it('a service: mode, replicas, the last rollout, surge\'s labels', () => {
    const svc = toObservedService(
      {
        ID: 's1',
        Version: { Index: 42 },
        UpdatedAt: '2026-01-01T00:00:00Z',
        Spec: { Name: 'shop_web', Labels: { 'surge.service': 'web', 'surge.config-hash': 'h', 'surge.config': '{"image":"nginx"}' }, TaskTemplate: { ContainerSpec: { Image: 'nginx' }, ForceUpdate: 2 }, Mode: { Replicated: { Replicas: 3 } } },
        ServiceStatus: { RunningTasks: 2, DesiredTasks: 3 },
        UpdateStatus: { State: 'rollback_completed', Message: 'rollback completed' },
      },
      [],
    );
    expect(svc).toMatchObject({ service: 'web', version: 42, configHash: 'h', config: { image: 'nginx' }, mode: 'replicated', replicas: 3, forceUpdate: 2, update: { state: 'rollback_completed' } });
  });
});

describe('progress of a service, for the waits', () => {
  const svc = { ID: 's1', Version: { Index: 1 }, UpdatedAt: '2026-01-01T00:00:05Z', Spec: { Name: 'x', TaskTemplate: {}, Mode: { Replicated: { Replicas: 2 } } } };
  it('counts running tasks against the replicas; "starting" is started only where a healthcheck is pending', () => {
    const tasks = [task({ ID: 'a', state: 'running' }), task({ ID: 'b', Slot: 2, state: 'starting' })].map((t) => toObservedTask(t, nodes));
    expect(progressOf(svc, tasks, true)).toMatchObject({ desired: 2, running: 1, started: 2 });
    expect(progressOf(svc, tasks, false)).toMatchObject({ desired: 2, running: 1, started: 1 });
  });

  it('failures since the spec last changed, and tasks the scheduler cannot place', () => {
    const tasks = [
      task({ ID: 'old', state: 'failed', err: 'task: non-zero exit (1)', CreatedAt: '2026-01-01T00:00:01Z', DesiredState: 'shutdown' }),
      task({ ID: 'new', state: 'failed', err: 'task: non-zero exit (2)', DesiredState: 'shutdown' }),
      task({ ID: 'p', Slot: 2, state: 'pending', err: 'no suitable node (insufficient resources on 3 nodes)', NodeID: '' }),
    ].map((t) => toObservedTask(t, nodes));
    const p = progressOf(svc, tasks, false);
    expect(p.failures.map((t) => t.error)).toEqual(['task: non-zero exit (2)']);
    expect(p.unplaced.map((t) => t.error)).toEqual(['no suitable node (insufficient resources on 3 nodes)']);
  });
});

describe('what surge reads of the manager', () => {
  it('a kernel option: built in or a module, not set, or not said', () => {
    const config = 'CONFIG_XFRM=y\n# CONFIG_INET_ESP is not set\nCONFIG_IP_VS=m\n';
    expect(configHas(config, 'CONFIG_INET_ESP')).toBe(false);
    expect(configHas(config, 'CONFIG_IP_VS')).toBe(true);
    expect(configHas(config, 'CONFIG_NOPE')).toBeNull();
  });

  it('an image\'s registry digest for its repository', () => {
    expect(digestFor('nginx:1.27', ['nginx@sha256:aaa', 'other/x@sha256:bbb'])).toBe('sha256:aaa');
    expect(digestFor('docker.io/library/nginx', ['nginx@sha256:aaa'])).toBe('sha256:aaa');
    expect(digestFor('surge-test/busybox:1', [])).toBeNull();
  });
});

describe('the GPU preflight on a cluster', () => {
  const { project } = loadToml(`project = "p"\ndriver = "swarm"\n[services.t]\nimage = "cuda"\ngpu = { nvidia = { count = 2 } }\n`);
  const node = (name: string, gpus: number, available = true) => ({ name, available, gpus, gpuIds: [] });
  it('some node that can take tasks must advertise what one task asks for', () => {
    expect(gpuNodesError(project, ['t'], { endpoint: 'unix:///m', offers: [], runtimes: [], nodes: [node('a', 0), node('b', 2)] })).toBeNull();
    const error = gpuNodesError(project, ['t'], { endpoint: 'unix:///m', offers: [], runtimes: [], nodes: [node('a', 1), node('b', 2, false)] });
    expect(error?.message).toMatch(/^service t asks for 2 NVIDIA-GPU per task, but no node of the Swarm at unix:\/\/\/m that can take tasks advertises that many: nodes advertising NVIDIA-GPU: a \(1\), b \(2, not available\)\. Nothing was created or changed\./);
    expect(gpuNodesError(project, ['t'], { endpoint: 'unix:///m', offers: [], runtimes: [], nodes: [node('a', 0)] })?.message).toContain('no node advertises NVIDIA-GPU');
  });
});
