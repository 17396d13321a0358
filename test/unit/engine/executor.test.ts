import { describe, expect, it } from 'vitest';
import type { ActionContext, Driver } from '../../../src/drivers/driver.js';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan, type ExecEvent } from '../../../src/engine/executor.js';
import type { Project } from '../../../src/model/model.js';
import type { Action, Plan } from '../../../src/model/plan-types.js';

const project: Project = { name: 'p', workingDir: '/tmp', files: [], services: {}, networks: {}, volumes: {} };

function action(id: string, dependsOn: string[] = []): Action {
  return { id, kind: 'network', name: id, op: 'create', reason: 'test', dependsOn, driver: 'docker' };
}

function planOf(actions: Action[]): Plan {
  return { project: 'p', actions, notices: [], observedFingerprint: '', summary: { create: 0, recreate: 0, update: 0, start: 0, stop: 0, remove: 0, unchanged: 0 } };
}

/** A driver whose actions take `ms` and can be told to fail. */
function slowDriver(ms: number, failing: Set<string> = new Set()): { driver: Driver; maxConcurrent: () => number; order: string[] } {
  let running = 0;
  let max = 0;
  const order: string[] = [];
  const base = new MemoryDriver();
  const driver: Driver = Object.assign(Object.create(base) as Driver, {
    async apply(a: Action, _p: Project, ctx: ActionContext): Promise<void> {
      running++;
      max = Math.max(max, running);
      order.push(`start ${a.id}`);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      order.push(`end ${a.id}`);
      if (ctx.signal.aborted) throw new Error('aborted');
      if (failing.has(a.id)) throw new Error(`${a.id} broke`);
    },
  });
  return { driver, maxConcurrent: () => max, order };
}

describe('executePlan', () => {
  it('bounds parallelism and starts each action once its dependencies are done', async () => {
    const s = slowDriver(20);
    const actions = Array.from({ length: 10 }, (_, i) => action(`a${i}`));
    actions.push(action('last', ['a0', 'a9']));
    const r = await executePlan(planOf(actions), { project, drivers: async () => s.driver, parallel: 3 });
    expect(r.ok).toBe(true);
    expect(s.maxConcurrent()).toBe(3);
    expect(s.order.indexOf('start last')).toBeGreaterThan(s.order.indexOf('end a9'));
  });

  it('a failure skips its dependents; independent branches finish', async () => {
    const s = slowDriver(5, new Set(['db']));
    const events: ExecEvent[] = [];
    const r = await executePlan(planOf([action('db'), action('api', ['db']), action('web', ['api']), action('cache'), action('worker', ['cache'])]), {
      project,
      drivers: async () => s.driver,
      parallel: 4,
      onEvent: (e) => events.push(e),
    });
    expect(r.ok).toBe(false);
    expect(r.failed.map((f) => [f.action.id, f.error.message])).toEqual([['db', 'db broke']]);
    expect(r.skipped.map((x) => x.action.id).sort()).toEqual(['api', 'web']);
    expect(r.skipped.map((x) => x.because)).toEqual([['db'], ['db']]);
    expect(r.done.map((a) => a.id).sort()).toEqual(['cache', 'worker']);
    expect(events.filter((e) => e.type === 'action-skipped').map((e) => (e.type === 'action-skipped' ? e.because : []))).toEqual([['db'], ['db']]);
  });

  it('stop scheduling: in-flight actions finish, nothing new starts', async () => {
    const s = slowDriver(50);
    const stop = new AbortController();
    const promise = executePlan(planOf([action('a'), action('b', ['a']), action('c', ['b'])]), {
      project,
      drivers: async () => s.driver,
      parallel: 1,
      stopScheduling: stop.signal,
    });
    setTimeout(() => stop.abort(), 10);
    const r = await promise;
    expect(r.done.map((a) => a.id)).toEqual(['a']);
    expect(r.notStarted.map((a) => a.id).sort()).toEqual(['b', 'c']);
    expect(r.cancelled).toBe(true);
  });

  it('waits for dependency conditions before running an action', async () => {
    const calls: string[] = [];
    const md = new MemoryDriver();
    const driver: Driver = Object.assign(Object.create(md) as Driver, {
      async waitFor(_p: Project, service: string, condition: string): Promise<void> {
        calls.push(`wait ${service} ${condition}`);
        if (service === 'bad') throw new Error('service bad is unhealthy');
      },
      async apply(a: Action): Promise<void> {
        calls.push(`apply ${a.id}`);
      },
    });
    const svc = (name: string) => ({ ...({} as object), name, driver: 'docker' }) as unknown as Project['services'][string];
    const p: Project = { ...project, services: { db: svc('db'), bad: svc('bad') } };
    const a1: Action = { ...action('web'), kind: 'service', waitFor: [{ service: 'db', condition: 'service_healthy', required: true }] };
    const a2: Action = { ...action('api'), kind: 'service', waitFor: [{ service: 'bad', condition: 'service_healthy', required: true }] };
    const a3: Action = { ...action('opt'), kind: 'service', waitFor: [{ service: 'bad', condition: 'service_healthy', required: false }] };
    const r = await executePlan(planOf([a1, a2, a3]), { project: p, drivers: async () => driver, parallel: 1 });
    expect(calls).toEqual(['wait db service_healthy', 'apply web', 'wait bad service_healthy', 'wait bad service_healthy', 'apply opt']);
    expect(r.failed.map((f) => [f.action.id, f.error.code, f.error.message])).toEqual([['api', 'wait-failed', 'api needs bad (healthy): service bad is unhealthy']]);
  });

  it('rejects a plan with unknown dependencies as a bug', async () => {
    await expect(executePlan(planOf([action('a', ['ghost'])]), { project, drivers: async () => new MemoryDriver(), parallel: 1 })).rejects.toThrow(
      'bug: action a depends on unknown action ghost',
    );
  });
});
