// The same Boltfile on a real 3-node Swarm (scripts/swarm-cluster.sh): `up --wait` of a multi-tier stack whose
// replicas land on several nodes and answer by service name across them (endpoint_mode dnsrr: this kernel has no
// IPVS, so VIPs carry nothing); a second `up` is a no-op; an env change is a rolling update of the same service;
// depends_on service_healthy orders creation; scale; orphans; down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE } from './cli.js';
import { SLEEP, SwarmStack, swarmReady } from './swarm-harness.js';

const stack = new SwarmStack('sws');

// db: healthy only after ~2 s; app: 2 replicas on nodes 2 and 3 (one each), serving the node's name; client: on the
// manager (node 1, where `surge exec` reaches), asking `app` by name.
const BOLTFILE = `
[services.db]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'exit 0' TERM; sleep 2; touch /tmp/ready; while true; do sleep 1; done"]
healthcheck = { test = ["CMD", "test", "-f", "/tmp/ready"], interval = "1s", retries = 30 }
stop_grace_period = "1s"

[services.app]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "echo $$NODE > /tmp/index.html; exec httpd -f -p 80 -h /tmp"]
environment = { NODE = "{{.Node.Hostname}}", MODE = "one" }
replicas = 2
stop_grace_period = "1s"
depends_on = { db = { condition = "service_healthy" } }
[services.app.deploy.placement]
constraints = ["node.labels.surge-swarm.node!=1"]
max_replicas_per_node = 1
[services.app.deploy.update_config]
parallelism = 2
monitor = "1s"

[services.client]
image = "${BASE_IMAGE}"
command = ${SLEEP}
stop_grace_period = "1s"
depends_on = ["app"]
[services.client.deploy.placement]
constraints = ["node.labels.surge-swarm.node==1"]
`;

beforeAll(async () => {
  await swarmReady();
  stack.write(BOLTFILE);
});

afterAll(async () => {
  await stack.destroy();
});

describe('a stack on a Swarm', () => {
  it('up --wait: replicas on two nodes, reached by service name from a third; depends_on service_healthy orders creation', async () => {
    const up = await stack.surge('up', '--wait');
    expect(up.stderr + up.stdout).toContain('All services are up.');
    expect(up.code).toBe(0);
    expect(await stack.nodesOf('app')).toEqual(['sswn2', 'sswn3']);
    expect(await stack.nodesOf('client')).toEqual(['sswn1']);

    // app was created only once db was healthy: after db's task reported running (a Swarm reports "starting" until healthy).
    const db = await stack.docker(['service', 'ps', `${stack.name}_db`, '--format', '{{.ID}}']);
    const dbRunning = JSON.parse(await stack.docker(['inspect', '--type', 'task', db.split('\n')[0] as string]))[0].Status.Timestamp as string;
    expect(Date.parse((await stack.service('app')).CreatedAt)).toBeGreaterThanOrEqual(Date.parse(dbRunning) - 1000);
    expect(up.stdout + up.stderr).toMatch(/waiting for db/);

    // From node 1, `app` resolves to the tasks on nodes 2 and 3 (dnsrr), and both answer.
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const r = await stack.surge('exec', '-T', 'client', '--', 'sh', '-c', 'printf "GET /index.html HTTP/1.0\\r\\n\\r\\n" | nc -w 3 app 80 | tail -n 1');
      expect(r.stderr).toBe('');
      seen.add(r.stdout.trim());
    }
    expect([...seen].sort()).toEqual(['sswn2', 'sswn3']);

    const ps = await stack.surge('ps');
    expect(ps.stdout).toMatch(/^TASK +SERVICE +NODE +DESIRED +STATE +ERROR/m);
    expect(ps.stdout).toMatch(/^app\.1 +app +sswn[23] +running +running/m);
  });

  it('a second up is a no-op, and plan --detailed-exitcode exits 0', async () => {
    const before = await stack.service('app');
    const up = await stack.surge('up');
    expect(up.code).toBe(0);
    expect(up.stdout + up.stderr).not.toMatch(/create|update service/);
    const plan = await stack.surge('plan', '--detailed-exitcode');
    expect(plan.stdout).toContain('no changes');
    expect(plan.code).toBe(0);
    expect((await stack.service('app')).Version.Index).toBe(before.Version.Index);
  });

  it('an env change is a rolling update: same service id, a new version, the tasks replaced', async () => {
    const before = await stack.service('app');
    stack.write(BOLTFILE.replace('MODE = "one"', 'MODE = "two"'));
    const plan = await stack.surge('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ service:app +update +\(env MODE changed\)/);
    const up = await stack.surge('up', '--wait');
    expect(up.code).toBe(0);
    expect(up.stdout + up.stderr).toContain('rollout: completed');
    const after = await stack.service('app');
    expect(after.ID).toBe(before.ID);
    expect(after.Version.Index).toBeGreaterThan(before.Version.Index);
    expect(after.UpdateStatus?.State).toBe('completed');
    const env = await stack.docker(['service', 'inspect', `${stack.name}_app`, '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}']);
    expect(JSON.parse(env)).toContain('MODE=two');
  });

  it('scale up and down in place', async () => {
    const id = (await stack.service('client')).ID;
    const up = await stack.surge('scale', 'client=2');
    expect(up.code).toBe(0);
    expect(up.stdout + up.stderr).toMatch(/update service:client \(scale \(replicas 1 → 2\)\)/);
    const svc = await stack.service('client');
    expect(svc.ID).toBe(id);
    expect((svc.Spec.Mode as { Replicated: { Replicas: number } }).Replicated.Replicas).toBe(2);
    const down = await stack.surge('scale', 'client=1');
    expect(down.code).toBe(0);
    expect(((await stack.service('client')).Spec.Mode as { Replicated: { Replicas: number } }).Replicated.Replicas).toBe(1);
  });

  it('a service left out of the Boltfile is an orphan, removed with --remove-orphans', async () => {
    stack.write(BOLTFILE.replace('MODE = "one"', 'MODE = "two"').replace(/\[services\.client\][\s\S]*$/, ''));
    const plan = await stack.surge('plan');
    expect(plan.stdout).toContain(`orphan ${stack.name}_client: service "client" is no longer in the Boltfile; remove it with --remove-orphans`);
    const up = await stack.surge('up', '--remove-orphans');
    expect(up.code).toBe(0);
    expect(up.stdout + up.stderr).toMatch(/remove service:client \(orphan\)/);
    expect(up.stdout + up.stderr).not.toMatch(/service:app/);
    expect(await stack.docker(['service', 'ls', '--filter', `name=${stack.name}_client`, '-q'])).toBe('');
  });

  it('down removes the services, then their network', async () => {
    const down = await stack.surge('down');
    expect(down.code).toBe(0);
    expect(await stack.docker(['service', 'ls', '--filter', `label=surge.project=${stack.name}`, '-q'])).toBe('');
    expect(await stack.docker(['network', 'ls', '--filter', `label=surge.project=${stack.name}`, '-q'])).toBe('');
  });
});
