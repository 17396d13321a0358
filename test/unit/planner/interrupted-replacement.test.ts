// Golden plans for replacements a killed run left half done, one per cut point of the sequence
// create temp → stop old → remove old → rename → start, on literal observed states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import { canonicalServiceConfig, serviceConfigHash } from '../../../src/model/config-hash.js';
import type { Project } from '../../../src/model/model.js';
import type { ObservedContainer, ObservedState } from '../../../src/model/observed.js';
import { plan, planDown, planLifecycle } from '../../../src/planner/plan.js';
import { formatPlan } from '../../../src/planner/plan-format.js';
import { loadToml } from '../../fixtures/load-toml.js';

const TOML = `project = "shop"
[services.db]
image = "postgres:16"
[services.web]
image = "nginx:1.27"
environment = { MODE = "prod" }
depends_on = ["db"]
`;
const before = loadToml(TOML).project;
const after = loadToml(TOML.replace('"prod"', '"dev"')).project;
const OLD = serviceConfigHash(before.services.web!, null);
const NEW = serviceConfigHash(after.services.web!, null);
const DB = serviceConfigHash(before.services.db!, null);

function container(name: string, id: string, over: Partial<ObservedContainer>): ObservedContainer {
  return {
    driver: 'docker',
    id,
    name,
    service: 'web',
    replica: 1,
    configHash: NEW,
    config: canonicalServiceConfig(after.services.web!, null),
    state: 'running',
    health: null,
    exitCode: null,
    imageId: 'sha256:nginx',
    oneoff: false,
    pid: null,
    ports: [],
    image: 'nginx:1.27',
    problems: [],
    ...over,
  };
}

const db = container('shop-db-1', 'd000000000000000', { service: 'db', configHash: DB, config: canonicalServiceConfig(before.services.db!, null), imageId: 'sha256:pg', image: 'postgres:16' });
const oldWeb = (over: Partial<ObservedContainer> = {}): ObservedContainer =>
  container('shop-web-1', 'a111111111111111', { configHash: OLD, config: canonicalServiceConfig(before.services.web!, null), ...over });
const tempWeb = (over: Partial<ObservedContainer> = {}): ObservedContainer =>
  container('shop-web-1_surge-new-1a2b3c', 'b222222222222222', { state: 'created', pendingReplacement: true, ...over });

function observed(...containers: ObservedContainer[]): ObservedState {
  return {
    containers: [db, ...containers],
    networks: [{ name: 'default', engineName: 'shop_default', id: 'n000000000000000', configHash: 'x' }],
    volumes: [],
    images: { 'postgres:16': 'sha256:pg', 'nginx:1.27': 'sha256:nginx' },
    externals: {},
  };
}

function text(project: Project, state: ObservedState): string {
  // The network's hash is not what this test is about: take the live one as desired.
  return formatPlan(plan(project, state), project).replace(/\n\nNotices:\n {2}! network default[^\n]*/, '');
}

/** Applies the plan on an in-memory engine holding `state`, then plans again: a healed stack has nothing to do. */
async function healed(project: Project, state: ObservedState): Promise<MemoryDriver> {
  const driver = new MemoryDriver('docker', state);
  const r = await executePlan(plan(project, state), { project, drivers: async () => driver, parallel: 4 });
  expect(r.ok).toBe(true);
  expect(plan(project, await driver.observe(project)).actions).toEqual([]);
  return driver;
}

describe('a replacement cut by a kill, at each step', () => {
  it('after create temp: the unused temporary container goes, then the recreate runs again', async () => {
    const state = observed(oldWeb(), tempWeb());
    expect(text(after, state)).toBe(`Project shop: surge will perform these actions:

    - service:web#1:b22222222222  remove    (finish interrupted replacement: shop-web-1 is still there, so its unused replacement goes)
  -/+ service:web#1               recreate  (env MODE changed)
        ~ environment.MODE: "prod" → "dev"

Plan: 1 to recreate, 1 to remove, 2 unchanged.`);
    // db is unchanged: the recreate waits only for the leftover's removal.
    expect(plan(after, state).actions[1]?.dependsOn).toEqual(['service:web#1:b22222222222']);
    await healed(after, state);
  });

  it('after create temp, with the Boltfile changed back: only the temporary container goes', async () => {
    expect(text(before, observed(oldWeb(), tempWeb()))).toBe(`Project shop: surge will perform these actions:

    - service:web#1:b22222222222  remove    (finish interrupted replacement: shop-web-1 is still there, so its unused replacement goes)

Plan: 1 to remove, 3 unchanged.`);
  });

  it('after stop old: the temporary container goes, the stopped old one is recreated', async () => {
    const state = observed(oldWeb({ state: 'exited', exitCode: 0 }), tempWeb());
    expect(text(after, state)).toBe(`Project shop: surge will perform these actions:

    - service:web#1:b22222222222  remove    (finish interrupted replacement: shop-web-1 is still there, so its unused replacement goes)
  -/+ service:web#1               recreate  (env MODE changed)
        ~ environment.MODE: "prod" → "dev"

Plan: 1 to recreate, 1 to remove, 2 unchanged.`);
    await healed(after, state);
  });

  it('after remove old: the temporary container takes its name and starts', async () => {
    const state = observed(tempWeb());
    expect(text(after, state)).toBe(`Project shop: surge will perform these actions:

    > service:web#1  start     (finish interrupted replacement: rename shop-web-1_surge-new-1a2b3c to shop-web-1 and start it)

Plan: 1 to start, 2 unchanged.`);
    const start = plan(after, state).actions[0];
    expect(start).toMatchObject({ containerId: 'b222222222222222', containerName: 'shop-web-1', renameFrom: 'shop-web-1_surge-new-1a2b3c' });
    const d = await healed(after, state);
    expect(d.state.containers.map((c) => [c.name, c.state])).toEqual([
      ['shop-db-1', 'running'],
      ['shop-web-1', 'running'],
    ]);
  });

  it('after remove old, with the Boltfile changed again: the temporary container is replaced, and it says why', async () => {
    const state = observed(tempWeb({ configHash: OLD, config: canonicalServiceConfig(before.services.web!, null) }));
    expect(text(after, state)).toBe(`Project shop: surge will perform these actions:

  -/+ service:web#1  recreate  (finish interrupted replacement: the new container has an older config (env MODE changed))
        ~ environment.MODE: "prod" → "dev"

Plan: 1 to recreate, 2 unchanged.`);
    expect(plan(after, state).actions[0]).toMatchObject({ containerId: 'b222222222222222', containerName: 'shop-web-1' });
    await healed(after, state);
  });

  it('after remove old, with --no-recreate: the replica is still renamed and started, never "no changes"', () => {
    const state = observed(tempWeb({ configHash: OLD }));
    const p = plan(after, state, { noRecreate: true });
    expect(p.actions.map((a) => `${a.op} ${a.id} ${a.renameFrom ?? ''}`)).toEqual(['start service:web#1 shop-web-1_surge-new-1a2b3c']);
  });

  it('after rename: the replica is there under its own name, created, and is started', async () => {
    const state = observed(container('shop-web-1', 'b222222222222222', { state: 'created' }));
    expect(text(after, state)).toBe(`Project shop: surge will perform these actions:

    > service:web#1  start     (created, not started)

Plan: 1 to start, 2 unchanged.`);
    await healed(after, state);
  });

  it('after start: nothing to do', () => {
    expect(text(after, observed(container('shop-web-1', 'b222222222222222', {})))).toBe(`Project shop: no changes. The live stack matches the Boltfile.

No changes. 3 unchanged.`);
  });

  it('cut twice after remove old: the temporary container with the desired config stays, the other goes', async () => {
    const stale = container('shop-web-1_surge-new-000aaa', 'c333333333333333', { state: 'created', pendingReplacement: true, configHash: OLD });
    const state = observed(stale, tempWeb());
    expect(text(after, state)).toBe(`Project shop: surge will perform these actions:

    - service:web#1:c33333333333  remove    (finish interrupted replacement: shop-web-1_surge-new-1a2b3c takes the replica's place, so this other replacement goes)
    > service:web#1               start     (finish interrupted replacement: rename shop-web-1_surge-new-1a2b3c to shop-web-1 and start it)

Plan: 1 to start, 1 to remove, 2 unchanged.`);
    await healed(after, state);
  });

  it('a temporary container of a replica scaled away goes with it', () => {
    const scaled = loadToml(TOML.replace('"prod"', '"dev"').replace('depends_on', 'replicas = 1\ndepends_on')).project;
    const p = plan(scaled, observed(container('shop-web-1', 'b222222222222222', {}), tempWeb({ replica: 2, name: 'shop-web-2_surge-new-1a2b3c' })));
    expect(p.actions.map((a) => `${a.op} ${a.id} (${a.reason})`)).toEqual(['remove service:web#2 (scale down (replicas 2 → 1))']);
  });

  it('down, orphans and lifecycle commands tell the temporary container from its replica', () => {
    const state = observed(oldWeb(), tempWeb());
    expect(planDown(after, state).actions.map((a) => a.id)).toEqual(['service:db#1', 'service:web#1', 'service:web#1:b22222222222', 'network:default']);
    const withoutWeb = loadToml(TOML.replace(/\[services\.web\][\s\S]*$/, '')).project;
    expect(plan(withoutWeb, state, { removeOrphans: true }).actions.map((a) => a.id)).toEqual(['service:web#1', 'service:web#1:b22222222222']);
    expect(planLifecycle(after, state, 'stop', ['web']).actions.map((a) => `${a.op} ${a.containerId}`)).toEqual(['stop a111111111111111']);
  });
});

describe('any cut of any replacement', () => {
  const CUTS = ['create', 'stop', 'remove', 'rename', 'start'] as const;
  const stack = (envs: string[], replicas: number[]): Project =>
    loadToml(
      ['project = "cut"', ...envs.map((e, i) => `[services.s${i}]\nimage = "img"\nreplicas = ${replicas[i]}\nenvironment = { V = "${e}" }${i ? `\ndepends_on = ["s${i - 1}"]` : ''}`)].join('\n'),
    ).project;

  it('heals in one plan, and no plan says "no changes" while a replica lacks its own running container', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ replicas: fc.integer({ min: 1, max: 2 }), from: fc.constantFrom('a', 'b'), to: fc.constantFrom('a', 'b', 'c') }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom(...CUTS), { minLength: 8, maxLength: 8 }),
        async (services, cuts) => {
          const replicas = services.map((s) => s.replicas);
          const first = stack(services.map((s) => s.from), replicas);
          const target = stack(services.map((s) => s.to), replicas);
          const driver = new MemoryDriver('docker');
          await executePlan(plan(first, await driver.observe(first)), { project: first, drivers: async () => driver, parallel: 3 });
          // The killed run: each replica's replacement towards `target` stops after its cut.
          let n = 0;
          for (const old of [...driver.state.containers]) {
            const s = target.services[old.service]!;
            const cut = cuts[n++ % cuts.length]!;
            const temp: ObservedContainer = { ...old, id: `temp${n}`, name: `${old.name}_surge-new-00000${n}`, configHash: serviceConfigHash(s, null), config: canonicalServiceConfig(s, null), state: 'created', pendingReplacement: true };
            if (cut === 'create' || cut === 'stop') driver.state.containers.push(temp);
            if (cut === 'stop') Object.assign(old, { state: 'exited', exitCode: 0 });
            if (cut === 'remove') driver.state.containers.splice(driver.state.containers.indexOf(old), 1, temp);
            if (cut === 'rename' || cut === 'start') {
              const { pendingReplacement: _, ...renamed } = { ...temp, name: old.name, state: cut === 'start' ? ('running' as const) : ('created' as const) };
              driver.state.containers.splice(driver.state.containers.indexOf(old), 1, renamed);
            }
          }
          const p = plan(target, await driver.observe(target));
          const whole = driver.state.containers.every((c) => !c.pendingReplacement && c.state === 'running' && c.configHash === serviceConfigHash(target.services[c.service]!, null));
          if (!whole) expect(p.actions.length).toBeGreaterThan(0);
          expect((await executePlan(p, { project: target, drivers: async () => driver, parallel: 3 })).ok).toBe(true);
          expect(plan(target, await driver.observe(target)).actions).toEqual([]);
          expect(driver.state.containers.map((c) => c.name).sort()).toEqual(
            services.flatMap((s, i) => Array.from({ length: s.replicas }, (_, r) => `cut-s${i}-${r + 1}`)).sort(),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});
