// Golden plans of Swarm stacks: one action per service, updates with the reasons a Docker recreate gives, scales,
// orphans, down; and the apply-then-plan round trip on the in-memory Swarm.
import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import type { Project } from '../../../src/model/model.js';
import type { ObservedState } from '../../../src/model/observed.js';
import { observedFingerprint, plan, planDown, planLifecycle } from '../../../src/planner/plan.js';
import { canonicalSwarmConfig } from '../../../src/model/swarm-config.js';
import { hashCanonical } from '../../../src/model/config-hash.js';
import type { ObservedSwarmService } from '../../../src/model/observed.js';
import { formatPlan } from '../../../src/planner/plan-format.js';
import { loadToml } from '../../fixtures/load-toml.js';
import { appliedOn, planText } from '../../fixtures/memory-plans.js';

const SHOP = `project = "shop"
driver = "swarm"
[swarm]
endpoint_mode = "dnsrr"
[services.db]
image = "postgres:16"
environment = { POSTGRES_PASSWORD = "pw" }
healthcheck = { test = "pg_isready", interval = "1s" }
[services.web]
image = "nginx:1.27"
replicas = 2
environment = { MODE = "prod" }
ports = ["8080:80"]
depends_on = { db = { condition = "service_healthy" } }
`;

function withImages(driver: MemoryDriver): MemoryDriver {
  driver.state.images = { 'postgres:16': 'sha256:pg', 'nginx:1.27': 'sha256:ng' };
  return driver;
}

const applied = (project: Project, driver = withImages(new MemoryDriver('swarm'))): Promise<MemoryDriver> => appliedOn(project, driver);
const text = planText;

describe('Swarm plans', () => {
  it('create: one action per service, networks as overlays, depends_on as waits', async () => {
    const { project } = loadToml(SHOP);
    const driver = withImages(new MemoryDriver('swarm'));
    const p = plan(project, await driver.observe(project));
    expect(formatPlan(p, project)).toBe(`Project shop: surge will perform these actions:

    + network:default  create    (not found)
        driver = "overlay", quic = false, encryption = false
    + service:db       create    (not found)
        image       = "postgres:16"
        environment = { POSTGRES_PASSWORD = (sensitive) }
        swarm       = replicated, 1 replica, endpoint dnsrr
    + service:web      create    (not found)
        image       = "nginx:1.27"
        environment = { MODE = "prod" }
        ports       = ["0.0.0.0:8080->80/tcp"]
        swarm       = replicated, 2 replicas, endpoint dnsrr

Plan: 3 to create, 0 unchanged.`);
    const web = p.actions.find((a) => a.id === 'service:web');
    expect(web).toMatchObject({ driver: 'swarm', dependsOn: ['network:default', 'service:db'], waitFor: [{ service: 'db', condition: 'service_healthy', required: true }] });
    expect(web?.swarm).toEqual({ serviceName: 'shop_web', serviceId: null, version: null, replicasOnly: false, force: false });
  });

  it('a second plan is a no-op', async () => {
    const { project } = loadToml(SHOP);
    expect(await text(project, await applied(project))).toBe(`Project shop: no changes. The live stack matches the Boltfile.

No changes. 3 unchanged.`);
  });

  it('a changed service is an in-place update, with the reasons Docker gives, at the version observed', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: edited } = loadToml(SHOP.replace('MODE = "prod"', 'MODE = "dev"'));
    const observed = await d.observe(edited);
    const p = plan(edited, observed);
    expect(formatPlan(p, edited)).toBe(`Project shop: surge will perform these actions:

    ~ service:web  update    (env MODE changed)
        ~ environment.MODE: "prod" → "dev"

Plan: 1 to update, 2 unchanged.`);
    const live = observed.swarmServices?.find((s) => s.service === 'web');
    expect(p.actions[0]?.swarm).toEqual({ serviceName: 'shop_web', serviceId: live?.id, version: live?.version, replicasOnly: false, force: false });
  });

  it('a new replica count is a scale; with a config change, both in one update', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: scaled } = loadToml(SHOP.replace('replicas = 2', 'replicas = 3'));
    expect(await text(scaled, d)).toContain('~ service:web  update    (scale (replicas 2 → 3))');
    expect(plan(scaled, await d.observe(scaled)).actions[0]?.swarm?.replicasOnly).toBe(true);
    const { project: both } = loadToml(SHOP.replace('replicas = 2', 'replicas = 1').replace('MODE = "prod"', 'MODE = "dev"'));
    expect(await text(both, d)).toContain('~ service:web  update    (env MODE changed, scale (replicas 2 → 1))');
  });

  it('--no-recreate keeps a changed spec but still scales; --force-recreate replaces every task', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: both } = loadToml(SHOP.replace('replicas = 2', 'replicas = 4').replace('MODE = "prod"', 'MODE = "dev"'));
    const kept = plan(both, await d.observe(both), { noRecreate: true });
    expect(kept.actions.map((a) => [a.id, a.op, a.reason, a.swarm?.replicasOnly])).toEqual([['service:web', 'update', 'scale (replicas 2 → 4)', true]]);
    expect(kept.notices).toContain('service:web differs from the Boltfile (env MODE changed) and is kept as it is (--no-recreate)');
    const forced = plan(project, await d.observe(project), { forceRecreate: true });
    expect(forced.actions.map((a) => [a.id, a.op, a.reason, a.swarm?.force])).toEqual([
      ['service:db', 'update', 'replace every task (--force-recreate)', true],
      ['service:web', 'update', 'replace every task (--force-recreate)', true],
    ]);
  });

  it('a rebuilt or re-pulled image updates the service with every task replaced', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    d.state.images['nginx:1.27'] = 'sha256:newer';
    const p = plan(project, await d.observe(project));
    expect(p.actions.map((a) => [a.id, a.op, a.reason, a.swarm?.force])).toEqual([['service:web', 'update', 'image nginx:1.27 updated', true]]);
  });

  it('a one-shot service is a job: a change of mode is a recreate', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: job } = loadToml(`${SHOP}[services.migrate]\nimage = "postgres:16"\ncommand = "migrate"\n[services.web.depends_on.migrate]\ncondition = "service_completed_successfully"\n`.replace('depends_on = { db = { condition = "service_healthy" } }\n', '[services.web.depends_on.db]\ncondition = "service_healthy"\n'));
    expect(job.services.web?.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
    const p = plan(job, await d.observe(job));
    // depends_on is not the service's config: web is not touched.
    expect(p.actions.map((a) => [a.id, a.op])).toEqual([['service:migrate', 'create']]);
    // The job exists as a replicated service: a mode a Swarm cannot change in place.
    const replicated = loadToml(SHOP.replace('[services.web]', '[services.migrate]\nimage = "postgres:16"\n[services.web]')).project;
    const d2 = await applied(replicated);
    const p2 = plan(job, await d2.observe(job));
    expect(p2.actions.find((a) => a.id === 'service:migrate')).toMatchObject({ op: 'recreate', reason: "mode replicated → replicated-job (a Swarm cannot change a service's mode in place)" });
  });

  it('orphans: a notice, or removed with --remove-orphans; down removes dependents first, then networks', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const { project: smaller } = loadToml(SHOP.replace(/\[services\.web\][\s\S]*$/, ''));
    const kept = plan(smaller, await d.observe(smaller));
    expect(kept.notices).toContain('orphan shop_web: service "web" is no longer in the Boltfile; remove it with --remove-orphans');
    const removed = plan(smaller, await d.observe(smaller), { removeOrphans: true });
    expect(removed.actions.map((a) => [a.id, a.op, a.reason, a.driver])).toEqual([['service:web', 'remove', 'orphan', 'swarm']]);
    const down = planDown(project, await d.observe(project));
    expect(down.actions.map((a) => [a.id, a.dependsOn])).toEqual([
      ['service:db', ['service:web']],
      ['service:web', []],
      ['network:default', ['service:db', 'service:web']],
    ]);
  });

  it('a saved plan goes stale when a service\'s version moves', async () => {
    const { project } = loadToml(SHOP);
    const d = await applied(project);
    const before = observedFingerprint(await d.observe(project));
    const web = d.state.swarmServices?.find((s) => s.service === 'web');
    if (web) web.version += 1;
    expect(observedFingerprint(await d.observe(project))).not.toBe(before);
  });

  it('notices: images without a registry digest, a kernel without IPVS for VIP services', async () => {
    const { project } = loadToml(SHOP.replace('[swarm]\nendpoint_mode = "dnsrr"\n', ''));
    const d = withImages(new MemoryDriver('swarm'));
    const observed: ObservedState = {
      ...(await d.observe(project)),
      swarm: {
        endpoint: 'unix:///x',
        localNodeId: 'n1',
        nodes: [{ id: 'n1', hostname: 'm1', role: 'manager', state: 'ready', availability: 'active', address: '10.0.0.1', leader: true, genericResources: [] }],
        imageDigests: { 'postgres:16': 'sha256:aaa', 'nginx:1.27': null },
        kernel: { esp: null, ipvs: false, release: '6.1' },
      },
    };
    expect(plan(project, observed).notices).toEqual([
      'image nginx:1.27 (web) has no registry digest: each node runs its own copy of it, so nodes may run different versions',
      "the manager's kernel (6.1) has no IPVS: service VIPs and ingress-published ports carry no traffic there, so db, web cannot be reached by service name; set [swarm] endpoint_mode = \"dnsrr\" (names resolve to the tasks, ports publish on their nodes)",
    ]);
  });

  it('an encrypted overlay: an error where the manager has no ESP, a notice where surge cannot tell', async () => {
    const { project } = loadToml(`${SHOP}[networks.default]\nencryption = true\n`);
    const observed: ObservedState = { ...(await withImages(new MemoryDriver('swarm')).observe(project)) };
    expect(plan(project, observed).notices[0]).toMatch(/^network default: an encrypted overlay \(IPsec\); surge cannot verify/);
    observed.swarm = { endpoint: 'unix:///x', localNodeId: 'n1', nodes: [], imageDigests: {}, kernel: { esp: false, ipvs: true, release: '6.18' } };
    expect(() => plan(project, observed)).toThrow(/network default would be an encrypted overlay, but the manager's kernel \(6\.18\) has no ESP/);
  });

  // Literal observed states: what a Swarm reports after a rollout that did not end well.
  const { project: literal } = loadToml(`project = "shop"\ndriver = "swarm"\n[services.web]\nimage = "nginx:1.27"\nreplicas = 2\n`);
  const web = literal.services.web as NonNullable<typeof literal.services.web>;
  const config = canonicalSwarmConfig(literal, web, '0123456789abcdef0123456789abcdef');
  const live = (over: Partial<ObservedSwarmService>): ObservedState => ({
    containers: [],
    networks: [{ name: 'default', engineName: 'shop_default', id: 'net1', configHash: 'x', driver: 'swarm' }],
    volumes: [],
    images: { 'nginx:1.27': 'sha256:ng' },
    externals: {},
    swarmServices: [
      {
        id: 'svc1', name: 'shop_web', service: 'web', version: 91, configHash: hashCanonical(config), config, image: 'nginx:1.27', imageId: 'sha256:ng',
        mode: 'replicated', replicas: 2, runningTasks: 2, desiredTasks: 2, update: null, updatedAt: '2026-01-01T00:00:00Z', forceUpdate: 0, ports: [],
        files: { secrets: [], configs: [] }, tasks: [], ...over,
      },
    ],
  });

  it('literal: a converged service is unchanged; a paused rollout is resumed, every task replaced', () => {
    expect(formatPlan(plan(literal, live({})), literal)).toContain('No changes. 2 unchanged.');
    const paused = plan(literal, live({ update: { state: 'paused', message: 'update paused due to failure or early termination of task abc', startedAt: null, completedAt: null } }));
    expect(paused.actions.map((a) => [a.id, a.op, a.reason, a.swarm])).toEqual([
      ['service:web', 'update', 'last rollout paused: update paused due to failure or early termination of task abc', { serviceName: 'shop_web', serviceId: 'svc1', version: 91, replicasOnly: false, force: true }],
    ]);
  });

  it('literal: after a rollback the live spec is the old one, so the update is planned again, with a notice', () => {
    const old = { ...config, environment: { MODE: 'old' } };
    const p = plan(literal, live({ config: old, configHash: hashCanonical(old), update: { state: 'rollback_completed', message: 'rollback completed', startedAt: null, completedAt: null } }));
    expect(p.actions.map((a) => [a.id, a.op, a.reason])).toEqual([['service:web', 'update', 'env MODE removed']]);
    expect(p.notices).toContain('service web: its last rollout was rolled back (rollback completed); this plan tries it again');
  });

  it('literal: a changed update policy is said in compose\'s words', () => {
    const before = { ...config, swarm: { ...(config.swarm as Record<string, never>), update: { parallelism: 3, failureAction: 'rollback', order: 'stop-first' } } };
    const p = plan(literal, live({ config: before, configHash: hashCanonical(before) }));
    expect(p.actions.map((a) => a.reason)).toEqual(['deploy.update_config changed']);
    expect(p.actions[0]?.changes?.map((c) => c.path)).toEqual(['deploy.update_config']);
  });

  it('restart replaces every task of a Swarm service in place; stop and start are refused with what to do', () => {
    const restart = planLifecycle(literal, live({}), 'restart', ['web']);
    expect(restart.actions.map((a) => [a.id, a.op, a.swarm?.replicasOnly, a.swarm?.force])).toEqual([['service:web', 'update', true, true]]);
    expect(() => planLifecycle(literal, live({}), 'stop', ['web'])).toThrow('web is a Swarm service: a Swarm does not keep a stopped service; `surge scale web=0` stops its tasks');
  });
});
