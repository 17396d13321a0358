// Two networks with one name, as the engine allows: `up` removes an empty extra copy (services wait for it), says
// what to do when more than one is in use, and `down` removes every copy by its id.
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import { networkConfigHash } from '../../../src/model/config-hash.js';
import type { ObservedNetwork, ObservedState } from '../../../src/model/observed.js';
import { plan, planDown } from '../../../src/planner/plan.js';
import { formatPlan } from '../../../src/planner/plan-format.js';
import { loadToml } from '../../fixtures/load-toml.js';

const { project } = loadToml('project = "shop"\n[services.web]\nimage = "nginx:1.27"\n');
const HASH = networkConfigHash(project.networks.default!);

const copy = (id: string, created: string, attached: string[] | undefined): ObservedNetwork => ({ name: 'default', engineName: 'shop_default', id, configHash: HASH, created, attached });

function observed(networks: ObservedNetwork[]): ObservedState {
  return { containers: [], networks, volumes: [], images: { 'nginx:1.27': 'sha256:n' }, externals: {} };
}

describe('duplicate networks', () => {
  it('up: the empty copy goes, by its id, and the service waits for that', () => {
    const state = observed([copy('bbbbbbbbbbbbbbbb', '2026-01-01T00:00:02Z', []), copy('aaaaaaaaaaaaaaaa', '2026-01-01T00:00:01Z', [])]);
    const p = plan(project, state);
    expect(formatPlan(p, project)).toBe(`Project shop: surge will perform these actions:

    - network:default:bbbbbbbbbbbb  remove    (duplicate network: shop_default bbbbbbbbbbbb is empty, aaaaaaaaaaaa stays)
    + service:web#1                 create    (not found)
        image       = "nginx:1.27"

Plan: 1 to create, 1 to remove, 1 unchanged.`);
    expect(p.actions[0]?.objectId).toBe('bbbbbbbbbbbbbbbb');
    expect(p.actions[1]?.dependsOn).toEqual(['network:default:bbbbbbbbbbbb']);
  });

  it('up: the copy in use stays, even when it is the newer one', async () => {
    const state = observed([copy('aaaaaaaaaaaaaaaa', '2026-01-01T00:00:01Z', []), copy('bbbbbbbbbbbbbbbb', '2026-01-01T00:00:02Z', ['shop-web-1'])]);
    const p = plan(project, state);
    expect(p.actions.map((a) => `${a.op} ${a.id} ${a.objectId ?? ''}`)).toEqual(['remove network:default:aaaaaaaaaaaa aaaaaaaaaaaaaaaa', 'create service:web#1 ']);
    const driver = new MemoryDriver('docker', state);
    expect((await executePlan(p, { project, drivers: async () => driver, parallel: 2 })).ok).toBe(true);
    expect(driver.state.networks.map((n) => n.id)).toEqual(['bbbbbbbbbbbbbbbb']);
  });

  it('up: with more than one copy in use, nothing is removed and a notice says what to do', () => {
    const state = observed([copy('aaaaaaaaaaaaaaaa', '2026-01-01T00:00:01Z', ['shop-a-1']), copy('bbbbbbbbbbbbbbbb', '2026-01-01T00:00:02Z', ['shop-b-1', 'shop-c-1'])]);
    const p = plan(project, state);
    expect(p.actions.map((a) => a.id)).toEqual(['service:web#1']);
    expect(p.notices).toEqual([
      'network default: the engine has 2 networks named shop_default (bbbbbbbbbbbb: shop-b-1, shop-c-1; aaaaaaaaaaaa: shop-a-1), and more than one is in use: ' +
        'containers on different copies cannot reach each other, and new containers cannot join it ("ambiguous"). ' +
        'Run `surge down` and then `surge up`: down removes every copy (named volumes are kept), up makes one.',
    ]);
  });

  it('plan never says "no changes" while a duplicate is there', async () => {
    const driver = new MemoryDriver('docker', observed([]));
    expect((await executePlan(plan(project, await driver.observe(project)), { project, drivers: async () => driver, parallel: 2 })).ok).toBe(true);
    const [kept] = driver.state.networks;
    driver.state.networks.push({ ...kept!, id: 'ffffffffffffffff', created: '2026-01-01T00:00:09Z', attached: [] });
    expect(formatPlan(plan(project, await driver.observe(project)), project)).toBe(`Project shop: surge will perform these actions:

    - network:default:ffffffffffff  remove    (duplicate network: shop_default ffffffffffff is empty, ${kept!.id.slice(0, 12)} stays)

Plan: 1 to remove, 2 unchanged.`);
  });

  it('down: every copy goes, each by its id', () => {
    const p = planDown(project, observed([copy('bbbbbbbbbbbbbbbb', '2026-01-01T00:00:02Z', undefined), copy('aaaaaaaaaaaaaaaa', '2026-01-01T00:00:01Z', undefined)]));
    expect(p.actions.map((a) => `${a.id} ${a.objectId} (${a.reason})`)).toEqual([
      'network:default aaaaaaaaaaaaaaaa (down)',
      'network:default:bbbbbbbbbbbb bbbbbbbbbbbbbbbb (down (duplicate network))',
    ]);
  });
});
