// For random valid stacks: the plan's order is a topological order, and applying it then planning again is a no-op.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import { plan } from '../../../src/planner/plan.js';
import { loadToml } from '../../fixtures/load-toml.js';

interface Spec {
  services: { deps: number[]; replicas: number; env: string; net: number; vol: boolean; health: boolean }[];
}

const specArb: fc.Arbitrary<Spec> = fc
  .integer({ min: 1, max: 8 })
  .chain((n) =>
    fc.record({
      services: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            // Only earlier services: the stack is acyclic by construction.
            deps: i === 0 ? fc.constant([]) : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 3 }),
            replicas: fc.integer({ min: 0, max: 3 }),
            env: fc.constantFrom('a', 'b', 'c'),
            net: fc.integer({ min: 0, max: 2 }),
            vol: fc.boolean(),
            health: fc.boolean(),
          }),
        ),
      ),
    }),
  );

function toml(spec: Spec): string {
  const lines = ['project = "prop"', '[networks.n1]', '[networks.n2]', '[volumes.v]'];
  spec.services.forEach((s, i) => {
    lines.push(`[services.s${i}]`, `image = "img${i % 3}"`, `replicas = ${s.replicas}`, `environment = { V = "${s.env}" }`);
    if (s.deps.length) lines.push(`depends_on = [${s.deps.map((d) => `"s${d}"`).join(', ')}]`);
    if (s.net) lines.push(`networks = ["n${s.net}"]`);
    if (s.vol) lines.push('volumes = ["v:/data"]');
    if (s.health) lines.push('healthcheck = { test = "true" }');
  });
  return lines.join('\n');
}

describe('plan properties', () => {
  it('actions come in a valid topological order and a second plan is empty', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, specArb, async (first, second) => {
        const driver = new MemoryDriver('docker');
        for (const spec of [first, second]) {
          const { project } = loadToml(toml(spec));
          const p = plan(project, await driver.observe(project), { removeOrphans: true });
          const seen = new Set<string>();
          for (const a of p.actions) {
            for (const d of a.dependsOn) expect(seen.has(d), `${a.id} after ${d}`).toBe(true);
            seen.add(a.id);
          }
          // dependsOn must hold every edge of the graph, or an empty list would pass the check above.
          const ids = new Set(p.actions.map((a) => a.id));
          for (const a of p.actions) {
            if (a.kind !== 'service' || a.op === 'remove') continue;
            const s = project.services[a.name];
            if (!s) continue;
            const needs = [
              ...Object.keys(s.depends_on).flatMap((d) => p.actions.filter((x) => x.kind === 'service' && x.name === d && x.op !== 'remove').map((x) => x.id)),
              ...Object.keys(s.networks).map((n) => `network:${n}`),
              ...s.volumes.flatMap((m) => (m.type === 'volume' && m.source ? [`volume:${m.source}`] : [])),
            ].filter((id) => ids.has(id));
            for (const id of needs) expect(a.dependsOn, `${a.id} needs ${id}`).toContain(id);
          }
          const r = await executePlan(p, { project, drivers: async () => driver, parallel: 3 });
          expect(r.ok).toBe(true);
          const again = plan(project, await driver.observe(project), { removeOrphans: true });
          expect(again.actions).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
