// Watch's drift check plans with restartPolicyOnly: it restarts what a restart policy asks for and nothing else.
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import { plan } from '../../../src/planner/plan.js';
import { loadToml } from '../../fixtures/load-toml.js';

describe('plan with restartPolicyOnly (supervision)', () => {
  it('starts a crashed host process whose policy says so, and creates nothing', async () => {
    const { project } = loadToml(`project = "sup"
driver = "process"
[services.crashy]
command = "false"
restart = "always"
[services.fresh]
command = "sleep 60"
restart = "always"
`);
    const driver = new MemoryDriver('process');
    const first = plan(project, await driver.observe(project), { services: ['crashy'] });
    expect((await executePlan(first, { project, drivers: async () => driver, parallel: 4 })).ok).toBe(true);
    const c = driver.state.containers.find((x) => x.service === 'crashy');
    if (!c) throw new Error('crashy was not created');
    c.state = 'exited';
    c.exitCode = 1;
    const p = plan(project, await driver.observe(project), { restartPolicyOnly: true });
    expect(p.actions.map((a) => `${a.op} ${a.id}`)).toEqual(['start service:crashy#1']);
    expect(p.actions[0]?.dependsOn).toEqual([]);
  });

  it('does not pull, build or create: a failed converge is not retried on every drift check', async () => {
    const { project } = loadToml(`project = "sup2"
[services.web]
image = "nowhere/web:1"
restart = "always"
`);
    const p = plan(project, await new MemoryDriver('docker').observe(project), { restartPolicyOnly: true });
    expect(p.actions).toEqual([]);
  });
});
