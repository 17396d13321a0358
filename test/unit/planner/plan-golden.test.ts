// Golden plan text for literal (model, observed) pairs, in the spirit of docker/compose's reconcile_test.go.
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import type { Project } from '../../../src/model/model.js';
import { plan, planDown, planLifecycle, type PlanOptions } from '../../../src/planner/plan.js';
import { formatPlan, planJson } from '../../../src/planner/plan-format.js';
import { loadToml } from '../../fixtures/load-toml.js';
import { appliedOn, planText } from '../../fixtures/memory-plans.js';

const SHOP = `project = "shop"
[volumes.data]
[services.db]
image = "postgres:16"
environment = { POSTGRES_PASSWORD = "pw", POSTGRES_DB = "shop" }
volumes = ["data:/var/lib/postgresql/data"]
healthcheck = { test = "pg_isready", interval = "1s" }
[services.web]
image = "nginx:1.27"
environment = { MODE = "prod" }
ports = ["8080:80"]
depends_on = { db = { condition = "service_healthy" } }
`;

const applied = (project: Project, driver = new MemoryDriver('docker')): Promise<MemoryDriver> => appliedOn(project, driver);
const text = planText;

describe('golden plans', () => {
  it('create: everything from nothing, in dependency order, secrets masked', async () => {
    const { project } = loadToml(SHOP);
    expect(await text(project, new MemoryDriver())).toBe(`Project shop: surge will perform these actions:

    + image:nginx:1.27   create    (not present locally: pull)
    + image:postgres:16  create    (not present locally: pull)
    + network:default    create    (not found)
        driver = "bridge", quic = false, encryption = false
    + volume:data        create    (not found)
    + service:db#1       create    (not found)
        image       = "postgres:16"
        environment = { POSTGRES_DB = "shop", POSTGRES_PASSWORD = (sensitive) }
    + service:web#1      create    (not found)
        image       = "nginx:1.27"
        environment = { MODE = "prod" }
        ports       = ["0.0.0.0:8080->80/tcp"]

Plan: 6 to create, 0 unchanged.`);
  });

  it('create: dependencies and waits are explicit', async () => {
    const { project } = loadToml(SHOP);
    const p = plan(project, await new MemoryDriver().observe(project));
    const web = p.actions.find((a) => a.id === 'service:web#1');
    expect(web?.dependsOn).toEqual(['image:nginx:1.27', 'image:postgres:16', 'network:default', 'service:db#1']);
    expect(web?.waitFor).toEqual([{ service: 'db', condition: 'service_healthy', required: true }]);
    expect(planJson(p)).toMatchObject({ project: 'shop', summary: { create: 6, recreate: 0, update: 0, start: 0, stop: 0, remove: 0, unchanged: 0 } });
  });

  it('no-op: a converged stack has nothing to do', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    expect(await text(project, d)).toBe(`Project shop: no changes. The live stack matches the Boltfile.

No changes. 4 unchanged.`);
  });

  it('recreate: only the changed service, and it says why', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: edited } = loadToml(SHOP.replace('MODE = "prod"', 'MODE = "dev"').replace('"pw"', '"new-pw"'));
    expect(await text(edited, d)).toBe(`Project shop: surge will perform these actions:

  -/+ service:db#1   recreate  (env POSTGRES_PASSWORD changed)
        ~ environment.POSTGRES_PASSWORD: (sensitive) → (sensitive)
  -/+ service:web#1  recreate  (env MODE changed)
        ~ environment.MODE: "prod" → "dev"

Plan: 2 to recreate, 2 unchanged.`);
  });

  it('start: a container stopped by hand is drift', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const web = d.state.containers.find((c) => c.service === 'web');
    if (web) Object.assign(web, { state: 'exited', exitCode: 137 });
    expect(await text(project, d)).toBe(`Project shop: surge will perform these actions:

    > service:web#1  start     (stopped (exited 137))

Plan: 1 to start, 3 unchanged.`);
  });

  it('keepStopped (watch after a Boltfile edit): untouched stopped services stay stopped, unless a change needs them', async () => {
    const TOML = `${SHOP}[services.migrate]\nimage = "tool"\ncommand = ["migrate"]\n`;
    const { project } = loadToml(TOML);
    const d = await applied(project);
    for (const c of d.state.containers) if (c.service !== 'web') Object.assign(c, { state: 'exited', exitCode: 0 });
    // Nothing changed: nothing is started (up would start both).
    expect((await text(project, d, { keepStopped: true })).split('\n')[0]).toMatch(/^Project shop: no changes\./);
    expect(plan(project, await d.observe(project)).actions.filter((a) => a.op === 'start').map((a) => a.id)).toEqual(['service:db#1', 'service:migrate#1']);
    // web changes and needs db healthy: db is started first; the finished one-shot is left alone.
    const { project: edited } = loadToml(TOML.replace('MODE = "prod"', 'MODE = "dev"'));
    const p = plan(edited, await d.observe(edited), { keepStopped: true });
    expect(p.actions.map((a) => `${a.op} ${a.id}`)).toEqual(['start service:db#1', 'recreate service:web#1']);
    expect(p.actions[1]?.dependsOn).toEqual(['service:db#1']);
  });

  it('orphan: warned about by default, removed on request', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: smaller } = loadToml(SHOP.replace(/\[services\.web\][\s\S]*$/, ''));
    expect(await text(smaller, d)).toBe(`Project shop: no changes. The live stack matches the Boltfile.

Notices:
  ! orphan shop-web-1: service "web" is no longer in the Boltfile; remove it with --remove-orphans

No changes. 3 unchanged.`);
    expect(await text(smaller, d, { removeOrphans: true })).toBe(`Project shop: surge will perform these actions:

    - service:web#1  remove    (orphan)

Plan: 1 to remove, 3 unchanged.`);
  });

  it('scale: up adds replicas, down removes the highest, existing ones are kept', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    project.services.web!.replicas = 3;
    expect(await text(project, d)).toContain('    + service:web#2  create    (not found)\n');
    await applied(project, d);
    project.services.web!.replicas = 1;
    const down = plan(project, await d.observe(project));
    expect(down.actions.map((a) => `${a.op} ${a.id} (${a.reason})`)).toEqual([
      'remove service:web#2 (scale down (replicas 3 → 1))',
      'remove service:web#3 (scale down (replicas 3 → 1))',
    ]);
  });

  it('down: dependents first, then networks; volumes only when asked', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const p = planDown(project, await d.observe(project));
    expect(formatPlan(p, project)).toBe(`Project shop: surge will perform these actions:

    - service:db#1     remove    (down)
    - service:web#1    remove    (down)
    - network:default  remove    (down)

Notices:
  ! named volumes are kept (data); \`surge down --volumes\` removes them

Plan: 3 to remove, 0 unchanged.`);
    expect(p.actions.find((a) => a.id === 'service:db#1')?.dependsOn).toEqual(['service:web#1']);
    const withVolumes = planDown(project, await d.observe(project), { removeVolumes: true });
    expect(withVolumes.actions.map((a) => a.id)).toContain('volume:data');
  });

  it('--no-recreate: a changed service is kept, and the plan says so', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: changed } = loadToml(SHOP.replace('MODE = "prod"', 'MODE = "dev"'));
    expect(await text(changed, d, { noRecreate: true })).toBe(`Project shop: no changes.

Notices:
  ! service:web#1 differs from the Boltfile (env MODE changed) and is kept as it is (--no-recreate)

No changes. 4 unchanged.`);
  });

  it('down: networks stay while a kept orphan container still uses them', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: smaller } = loadToml(SHOP.replace(/\[services\.web\][\s\S]*$/, ''));
    const kept = planDown(smaller, await d.observe(smaller));
    expect(kept.actions.map((a) => a.id)).toEqual(['service:db#1']);
    expect(kept.notices).toContain('networks are kept (default): orphan containers still use them; add --remove-orphans to remove both');
    const all = planDown(smaller, await d.observe(smaller), { removeOrphans: true });
    expect(all.actions.map((a) => a.id)).toEqual(['service:db#1', 'service:web#1', 'network:default']);
  });

  it('down --volumes: anonymous volumes go with the containers; a volume a kept orphan mounts stays', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const plain = planDown(project, await d.observe(project));
    expect(plain.actions.filter((a) => a.kind === 'service').map((a) => a.removeVolumes ?? false)).toEqual([false, false]);
    const all = planDown(project, await d.observe(project), { removeVolumes: true });
    expect(all.actions.filter((a) => a.kind === 'service').map((a) => a.removeVolumes)).toEqual([true, true]);
    // db leaves the Boltfile but its container, which mounts shop_data, is kept (no --remove-orphans).
    const { project: withoutDb } = loadToml(SHOP.replace(/\[services\.db\][\s\S]*?(?=\[services\.web\])/, '').replace(/depends_on = .*\n/, ''));
    const observed = await d.observe(withoutDb);
    for (const c of observed.containers) if (c.service === 'db') c.volumes = ['shop_data'];
    const kept = planDown(withoutDb, observed, { removeVolumes: true });
    expect(kept.actions.map((a) => a.id)).toEqual(['service:web#1']);
    expect(kept.notices).toContain('volumes are kept (data): orphan containers still use them; add --remove-orphans to remove both');
  });

  it('restart: stop then start, dependents stopped first', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const p = planLifecycle(project, await d.observe(project), 'restart', undefined);
    expect(p.actions.map((a) => [a.id, a.dependsOn])).toEqual([
      ['service:db#1/stop', ['service:web#1/stop']],
      ['service:db#1/start', ['service:db#1/stop']],
      ['service:web#1/stop', []],
      ['service:web#1/start', ['service:web#1/stop', 'service:db#1/start']],
    ]);
  });

  it('--force-recreate and --no-recreate', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    expect((await text(project, d, { forceRecreate: true })).split('\n').filter((l) => l.includes('recreate  (recreate requested'))).toHaveLength(2);
    project.services.web!.environment.MODE = 'x';
    expect(plan(project, await d.observe(project), { noRecreate: true }).actions).toEqual([]);
  });

  it('a service selection brings its dependencies unless --no-deps', async () => {
    const { project } = loadToml(SHOP);
    const ids = (o: PlanOptions): string[] => plan(project, { containers: [], networks: [], volumes: [], images: { 'nginx:1.27': 'x', 'postgres:16': 'y' }, externals: {} }, o).actions.map((a) => a.id);
    expect(ids({ services: ['web'] })).toEqual(['network:default', 'volume:data', 'service:db#1', 'service:web#1']);
    expect(ids({ services: ['web'], noDeps: true })).toEqual(['network:default', 'service:web#1']);
    expect(() => ids({ services: ['nope'] })).toThrow('no such service: nope (services: db, web)');
  });
});

describe('images', () => {
  it('a service naming an image another service builds uses the build', async () => {
    const { project } = loadToml('[services.a]\nimage = "app:1"\n[services.b]\nbuild = "./b"\nimage = "app:1"\n[services.c]\nimage = "other:2"');
    const p = plan(project, await new MemoryDriver().observe(project));
    expect(p.actions.filter((a) => a.kind === 'image').map((a) => [a.id, a.image?.buildService, a.reason])).toEqual([
      ['image:app:1', 'b', 'not present locally: build'],
      ['image:other:2', null, 'not present locally: pull'],
    ]);
  });

  it('--build rebuilds, --pull always pulls, --pull never refuses a missing image', async () => {
    const { project } = loadToml('[services.a]\nimage = "app:1"\n[services.b]\nbuild = "./b"');
    const present = { containers: [], networks: [], volumes: [], images: { 'app:1': 'sha256:1', 'proj-b': 'sha256:2' }, externals: {} };
    const ops = (o: PlanOptions) => plan(project, present, o).actions.filter((a) => a.kind === 'image').map((a) => `${a.op} ${a.id}`);
    expect(ops({})).toEqual([]);
    expect(ops({ build: true })).toEqual(['update image:proj-b']);
    expect(ops({ pull: 'always' })).toEqual(['update image:app:1']);
    expect(() => plan(project, { ...present, images: {} }, { pull: 'never' })).toThrow('service a: image "app:1" is not present and --pull never forbids pulling it');
  });
});
