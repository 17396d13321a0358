// A Swarm stack through the public entry point, on the in-memory Swarm: up, a no-op second plan, ps's tasks,
// scale in place, down; and the container-only commands saying why they do not apply.
import { describe, expect, it } from 'vitest';
import { connect, down, kill, loadProject, MemoryDriver, plan, scale, swarmTasks, up } from '../../../src/index.js';
import { tempProjectDir } from '../../fixtures/load-toml.js';

const SHOP = {
  project: 'shop',
  driver: 'swarm',
  services: {
    db: { image: 'postgres:16', healthcheck: { test: ['CMD', 'true'] } },
    web: { image: 'nginx:1.27', replicas: 2, depends_on: { db: { condition: 'service_healthy' } } },
  },
};

async function swarmStack() {
  const driver = new MemoryDriver('swarm');
  for (const r of ['postgres:16', 'nginx:1.27']) driver.state.images[r] = `sha256:${r}`;
  const loaded = loadProject({ document: SHOP, cwd: tempProjectDir(), env: {} });
  return { stack: await connect(loaded, { drivers: { swarm: driver, process: new MemoryDriver('process') } }), driver };
}

describe('a Swarm stack through the library', () => {
  it('up, then nothing to do; ps lists each task; scale updates in place; down takes it away', async () => {
    const { stack, driver } = await swarmStack();
    const result = await up(stack);
    expect(result.ok).toBe(true);
    expect(result.plan.actions.map((a) => `${a.id} ${a.op}`)).toEqual(['network:default create', 'service:db create', 'service:web create']);
    expect((await plan(stack)).actions).toEqual([]);
    expect((await swarmTasks(stack)).map((t) => `${t.name} ${t.state}`)).toEqual(['db.1 running', 'web.1 running', 'web.2 running']);
    const id = driver.state.swarmServices?.find((s) => s.service === 'web')?.id;
    const scaled = await scale(stack, { web: 3 });
    expect(scaled.plan.actions.map((a) => `${a.id} ${a.op} ${a.reason}`)).toEqual(['service:web update scale (replicas 2 → 3)']);
    expect(driver.state.swarmServices?.find((s) => s.service === 'web')).toMatchObject({ id, replicas: 3 });
    const gone = await down(stack);
    expect(gone.ok).toBe(true);
    expect(driver.state.swarmServices).toEqual([]);
  });

  it('a command that acts on one engine\'s containers says the services run on a Swarm', async () => {
    const { stack } = await swarmStack();
    await up(stack);
    await expect(kill(stack)).rejects.toThrow('services db, web run on a Swarm, as tasks on its nodes: this command acts on one engine\'s containers and host processes');
  });
});
