// The plans of compose's `create` and `rm`, and plan text a new user met: what a service runs, ports of an override,
// images `down --rmi local` keeps.
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import type { Project } from '../../../src/model/model.js';
import { plan, planCreate, planDown, planRemove } from '../../../src/planner/plan.js';
import { formatPlan } from '../../../src/planner/plan-format.js';
import { loadToml } from '../../fixtures/load-toml.js';

const STACK = `project = "shop"
[services.db]
image = "postgres:16"
healthcheck = { test = "pg_isready" }
[services.web]
image = "nginx:1.27"
ports = ["8080:80"]
depends_on = { db = { condition = "service_healthy" } }
[services.worker]
command = ["node", "worker.js"]
`;

async function applied(project: Project, docker = new MemoryDriver('docker'), processes = new MemoryDriver('process')): Promise<{ docker: MemoryDriver; processes: MemoryDriver }> {
  const drivers = async (kind: string) => (kind === 'process' ? processes : docker);
  const p = plan(project, await docker.observe(project));
  expect((await executePlan(p, { project, drivers, parallel: 4 })).ok).toBe(true);
  return { docker, processes };
}

async function observed(project: Project, d: { docker: MemoryDriver; processes: MemoryDriver }) {
  const a = await d.docker.observe(project);
  const b = await d.processes.observe(project);
  return { ...a, containers: [...a.containers, ...b.containers] };
}

describe('plan text', () => {
  it('a container with build and command shows the image it runs; a host process its command, and no ports', () => {
    const { project } = loadToml(`project = "ml"
[services.trainer]
build = "."
command = ["python3", "train.py"]
[services.api]
command = "node api.js"
ports = ["3000:3000"]
`);
    const text = formatPlan(plan(project, { containers: [], networks: [], volumes: [], images: {}, externals: {} }), project);
    expect(text).toContain(`    + service:trainer#1  create    (not found)
        image       = "ml-trainer" (built)`);
    expect(text).toContain(`    + service:api#1      create    (not found)
        command     = (host process) ["/bin/sh", "-c", "node api.js"]
`);
    expect(text).not.toContain('ports');
  });

  it('a ports change reads as ports, not as JSON', async () => {
    const { project } = loadToml(STACK);
    const d = await applied(project);
    const { project: edited } = loadToml(STACK.replace('ports = ["8080:80"]', 'ports = ["8080:80", "127.0.0.1:9090:90/udp"]'));
    expect(formatPlan(plan(edited, await observed(edited, d)), edited)).toContain(
      '        ~ ports: ["0.0.0.0:8080->80/tcp"] → ["0.0.0.0:8080->80/tcp", "127.0.0.1:9090->90/udp"]',
    );
  });
});

describe('create', () => {
  it('creates containers without starting them, waits for nothing, and leaves host processes to up', () => {
    const { project } = loadToml(STACK);
    const p = planCreate(project, { containers: [], networks: [], volumes: [], images: { 'postgres:16': 'sha256:a', 'nginx:1.27': 'sha256:b' }, externals: {} });
    const services = p.actions.filter((a) => a.kind === 'service');
    expect(services.map((a) => [a.id, a.op, a.noStart, a.waitFor])).toEqual([
      ['service:db#1', 'create', true, []],
      ['service:web#1', 'create', true, []],
    ]);
    expect(services[0]?.reason).toBe('not found; not started');
    expect(p.notices).toContain('service worker is a host process: a process cannot be created without starting it; `surge up` starts it');
    expect(formatPlan(p, project)).toContain('    + service:web#1    create    (not found; not started)');
  });

  it('leaves a stopped container stopped, and the in-memory engine leaves created ones created', async () => {
    const { project } = loadToml(STACK);
    const d = await applied(project);
    const web = d.docker.state.containers.find((c) => c.service === 'web');
    if (web) Object.assign(web, { state: 'exited', exitCode: 0 });
    expect(planCreate(project, await observed(project, d)).actions).toEqual([]);
    const { project: edited } = loadToml(STACK.replace('8080:80', '8081:80'));
    const p = planCreate(edited, await observed(edited, d));
    expect(p.actions.map((a) => `${a.op} ${a.id} ${a.noStart}`)).toEqual(['recreate service:web#1 true']);
    await executePlan(p, { project: edited, drivers: async () => d.docker, parallel: 1 });
    expect(d.docker.state.containers.find((c) => c.service === 'web')?.state).toBe('created');
  });
});

describe('rm', () => {
  it('removes stopped replicas only, dependents first; with stop, running ones too; -v takes anonymous volumes', async () => {
    const { project } = loadToml(STACK);
    const d = await applied(project);
    expect(planRemove(project, await observed(project, d)).actions).toEqual([]);
    for (const c of d.docker.state.containers) Object.assign(c, { state: 'exited', exitCode: 0 });
    const stopped = planRemove(project, await observed(project, d), { services: ['web'] });
    expect(stopped.actions.map((a) => `${a.op} ${a.id} (${a.reason})`)).toEqual(['remove service:web#1 (stopped)']);
    const all = planRemove(project, await observed(project, d), { stop: true, volumes: true });
    expect(all.actions.map((a) => [a.id, a.reason, a.dependsOn, a.removeVolumes])).toEqual([
      ['service:db#1', 'stopped', ['service:web#1'], true],
      ['service:web#1', 'stopped', [], true],
      ['service:worker#1', 'rm --stop', [], true],
    ]);
  });
});

describe('down --rmi local', () => {
  it('says why an image the Boltfile names is kept', () => {
    const { project } = loadToml(`project = "q"
[services.app]
build = "."
image = "q-app:1"
[services.tool]
build = "./tool"
`);
    const p = planDown(project, { containers: [], networks: [], volumes: [], images: { 'q-app:1': 'sha256:a', 'q-tool': 'sha256:b' }, externals: {} }, { rmi: 'local' });
    expect(p.actions.map((a) => a.id)).toEqual(['image:q-tool']);
    expect(p.notices).toEqual(['image q-app:1 is kept: the Boltfile names it (`image`), so --rmi local leaves it; --rmi all removes it']);
  });
});
