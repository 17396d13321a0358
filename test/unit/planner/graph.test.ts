// `surge graph` shows a network's QUIC flag and encryption, and never claims encryption a bridge cannot give.
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { buildGraph, graphLabel } from '../../../src/planner/graph.js';
import { plan } from '../../../src/planner/plan.js';
import { loadToml } from '../../fixtures/load-toml.js';

describe('graph labels', () => {
  it('quic and encryption, enforced only on overlays', () => {
    const { project } = loadToml('[network]\ndriver = "quic"\nencryption = true\n[networks.swarm]\ndriver = "overlay"\nencryption = true\n[networks.plain]\n[services.a]\nimage = "x"\nnetworks = ["default", "swarm", "plain"]');
    const labels = Object.fromEntries(buildGraph(project).nodes.map((n) => [n.id, graphLabel(n)]));
    expect(labels['network:default']).toBe('network:default (quic, encryption not enforced)');
    expect(labels['network:swarm']).toBe('network:swarm (encrypted)');
    expect(labels['network:plain']).toBe('network:plain');
    expect(labels['service:a']).toBe('service:a');
  });
});

describe('network actions in the plan', () => {
  it('carry the QUIC flag and encryption, for plan --json', async () => {
    const { project } = loadToml('[network]\ndriver = "quic"\nencryption = true\n[services.a]\nimage = "x"');
    const p = plan(project, await new MemoryDriver().observe(project));
    expect(p.actions.find((a) => a.id === 'network:default')?.network).toEqual({ driver: 'bridge', quic: true, encryption: true });
  });
});
