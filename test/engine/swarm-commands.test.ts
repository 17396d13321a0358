// The rest of surge's commands on a real 3-node Swarm: logs from tasks on every node, exec where surge can reach,
// doctor's nodes, build on the manager, down --volumes saying which nodes keep their copy, the same Boltfile moved
// to the Swarm by --driver, a worker's endpoint refused, and watch re-converging a Swarm stack.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE, CLI, run } from './cli.js';
import { dockerOn, nodeSocket } from './swarm-cluster.js';
import { eventually, MANAGER, SLEEP, stackSet, type SwarmStack, swarmReady } from './swarm-harness.js';

const stacks = stackSet();
const stack = (prefix: string): SwarmStack => stacks.make(prefix);

beforeAll(swarmReady);

afterAll(async () => {
  await stacks.destroyAll();
});

describe('commands on a Swarm stack', () => {
  it('logs reads every task on every node, each line named by task and node; exec reaches only the manager\'s tasks', async () => {
    const s = stack('swc');
    s.write(`
[services.talk]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "echo hello from $$NODE; trap 'exit 0' TERM; while true; do sleep 1; done"]
environment = { NODE = "{{.Node.Hostname}}" }
replicas = 3
stop_grace_period = "1s"
[services.talk.deploy.placement]
max_replicas_per_node = 1
`);
    expect((await s.surge('up', '--wait')).code).toBe(0);
    const lines = await eventually('a line from each task', async () => {
      const r = await s.surge('logs', '--no-color');
      const found = r.stdout.split('\n').filter((l) => /^talk\.\d@sswn\d +\| hello from sswn\d$/.test(l));
      return found.length === 3 ? found : undefined;
    });
    for (const l of lines) expect(l).toMatch(/^talk\.\d@(sswn\d) +\| hello from \1$/);
    const ps = (await s.surge('ps', '--format', 'json')).stdout;
    const tasks = JSON.parse(ps) as { name: string; node: string }[];
    const here = tasks.find((t) => t.node === 'sswn1');
    const away = tasks.find((t) => t.node !== 'sswn1');
    if (!here || !away) throw new Error(`expected a task on sswn1 and one elsewhere: ${ps}`);
    const ok = await s.surge('exec', '-T', '--index', here.name.split('.')[1] as string, 'talk', '--', 'cat', '/etc/hostname');
    expect(ok.code).toBe(0);
    const refused = await s.surge('exec', '-T', '--index', away.name.split('.')[1] as string, 'talk', '--', 'true');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`task ${away.name} runs on node ${away.node}, and surge reaches only sswn1 (DOCKER_HOST): exec works for tasks on that node`);
  });

  it('doctor lists the nodes, their state and their generic resources', async () => {
    const r = await run(['doctor'], process.cwd(), { DOCKER_HOST: MANAGER });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('swarm: this engine is a manager');
    expect(r.stdout).toMatch(/node sswn1: manager \(leader\), this endpoint, ready, active, 198\.18\.0\.11/);
    expect(r.stdout).toMatch(/node sswn2: worker, ready, active, 198\.18\.0\.12, NVIDIA-GPU=2/);
    expect(r.stdout).toMatch(/node sswn3: worker, ready, active, 198\.18\.0\.13\n/);
    expect(r.stdout).toContain("routing: the manager's kernel has no IPVS");
  });

  it('build on a Swarm builds on the manager, and says the other nodes need the image', async () => {
    const s = stack('swb');
    s.file('Dockerfile', `FROM ${BASE_IMAGE}\nRUN echo built > /built\n`);
    s.write(`
[services.made]
build = "."
command = ${SLEEP}
stop_grace_period = "1s"
[services.made.deploy.placement]
constraints = ["node.labels.surge-swarm.node==1"]
`);
    const plan = await s.surge('plan');
    expect(plan.stdout).toMatch(new RegExp(`\\+ image:${s.name}-made +create +\\(not present locally: build\\)`));
    expect(plan.stdout).toContain(`image ${s.name}-made is built on sswn1 only: the other nodes need it too`);
    const up = await s.surge('up', '--wait');
    expect(up.code).toBe(0);
    expect(await s.nodesOf('made')).toEqual(['sswn1']);
    await s.docker(['image', 'rm', '-f', `${s.name}-made`]).catch(() => undefined);
  });

  it('down --volumes removes the manager\'s copy of a named volume and names the nodes that may keep theirs', async () => {
    const s = stack('swv');
    s.write(`
[volumes.data]
[services.keeper]
image = "${BASE_IMAGE}"
command = ${SLEEP}
volumes = ["data:/data"]
replicas = 3
stop_grace_period = "1s"
[services.keeper.deploy.placement]
max_replicas_per_node = 1
`);
    expect((await s.surge('up', '--wait')).code).toBe(0);
    const volume = `${s.name}_data`;
    expect(await s.docker(['volume', 'ls', '-q', '--filter', `label=surge.project=${s.name}`], 2)).toBe(volume);
    const down = await s.surge('down', '--volumes');
    expect(down.code).toBe(0);
    expect(down.stdout + down.stderr).toContain(`volume data may remain on sswn2, sswn3: surge removes volumes only on the node it talks to (sswn1); remove it there with \`docker volume rm ${volume}\``);
    expect(await s.docker(['volume', 'ls', '-q', '--filter', `name=${volume}`])).toBe('');
    // The nodes remove the tasks' containers a moment after the service has gone: until then the volume is in use.
    for (const n of [2, 3] as const) {
      await eventually(`the volume removed on node ${n}`, async () => ((await dockerOn(n, ['volume', 'rm', volume])).code === 0 ? true : undefined));
    }
  });

  it('--driver swarm runs a Docker Boltfile on the Swarm; a worker\'s endpoint is refused by name', async () => {
    const s = stack('swd');
    writeFileSync(join(s.dir, 'Boltfile.toml'), `project = "${s.name}"\n[services.one]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEP}\nstop_grace_period = "1s"\n[swarm]\nendpoint_mode = "dnsrr"\n`);
    const up = await s.surge('--driver', 'swarm', 'up', '--wait');
    expect(up.code).toBe(0);
    expect((await s.service('one')).Spec).toMatchObject({ Name: `${s.name}_one` });
    const worker = await run(['plan', '--driver', 'swarm'], s.dir, { DOCKER_HOST: `unix://${nodeSocket(2)}` });
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain(`the engine at unix://${nodeSocket(2)} is a Swarm worker, not a manager: point DOCKER_HOST at a manager`);
    expect((await s.surge('--driver', 'swarm', 'down')).code).toBe(0);
  });

  it('watch re-converges a Swarm stack when the Boltfile changes', async () => {
    const s = stack('sww');
    const boltfile = (level: string) => `
[services.w]
image = "${BASE_IMAGE}"
command = ${SLEEP}
environment = { LEVEL = "${level}" }
stop_grace_period = "1s"
[services.w.deploy.update_config]
monitor = "1s"
`;
    s.write(boltfile('1'));
    const child = spawn(process.execPath, [CLI, 'watch', '--debounce', '150', '--progress', 'json'], { cwd: s.dir, env: { ...process.env, DOCKER_HOST: MANAGER }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    const exit = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
    try {
      const env = async (): Promise<string[]> => JSON.parse(await s.docker(['service', 'inspect', `${s.name}_w`, '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}']).catch(() => '[]'));
      await eventually('the first converge', async () => ((await env()).includes('LEVEL=1') ? true : undefined));
      const id = (await s.service('w')).ID;
      s.write(boltfile('2'));
      await eventually('the update after the edit', async () => ((await env()).includes('LEVEL=2') ? true : undefined));
      expect((await s.service('w')).ID).toBe(id);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exit).toBe(130);
    expect(out).toMatch(/"event":"reconcile"/);
  });

  it('secrets and configs are Swarm objects named by their content: a changed secret file is a rolling update, down removes them', async () => {
    const s = stack('swk');
    s.file('pw.txt', 'first');
    s.write(`
[secrets.db_password]
file = "./pw.txt"
[configs.app_conf]
content = "level=1"
[services.app]
image = "${BASE_IMAGE}"
command = ${SLEEP}
stop_grace_period = "1s"
secrets = ["db_password"]
configs = [{ source = "app_conf", target = "/etc/app.conf", mode = 0o440 }]
[services.app.deploy.placement]
constraints = ["node.labels.surge-swarm.node==1"]
[services.app.deploy.update_config]
monitor = "1s"
`);
    expect((await s.surge('up', '--wait')).code).toBe(0);
    const read = async (): Promise<string> => (await s.surge('exec', '-T', 'app', '--', 'sh', '-c', 'cat /run/secrets/db_password; echo; cat /etc/app.conf; echo; stat -c %a /etc/app.conf')).stdout;
    expect(await read()).toBe('first\nlevel=1\n440\n');
    const objects = async (kind: 'secret' | 'config'): Promise<string[]> => (await s.docker([kind, 'ls', '--filter', `label=surge.project=${s.name}`, '--format', '{{.Name}}'])).split('\n').filter(Boolean);
    expect(await objects('secret')).toEqual([expect.stringMatching(new RegExp(`^${s.name}_db_password_[0-9a-f]{12}$`))]);
    const before = await objects('secret');
    s.file('pw.txt', 'second');
    const plan = await s.surge('plan');
    expect(plan.stdout).toMatch(/~ service:app +update +\(secret db_password changed\)/);
    expect((await s.surge('up', '--wait')).code).toBe(0);
    expect(await read()).toBe('second\nlevel=1\n440\n');
    const after = await objects('secret');
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect((await s.surge('down')).code).toBe(0);
    expect(await objects('secret')).toEqual([]);
    expect(await objects('config')).toEqual([]);
  });

  it('a global service on the workers publishes a host-mode port on each node it runs on', async () => {
    const s = stack('swh');
    const port = 18000 + Math.floor(Math.random() * 1000);
    s.write(`
[services.edge]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "echo $$NODE > /tmp/index.html; exec httpd -f -p 80 -h /tmp"]
environment = { NODE = "{{.Node.Hostname}}" }
ports = ["${port}:80"]
stop_grace_period = "1s"
[services.edge.deploy]
mode = "global"
[services.edge.deploy.placement]
constraints = ["node.role==worker"]
`);
    const plan = await s.surge('plan');
    expect(plan.stdout).toContain('swarm       = global, endpoint dnsrr');
    expect((await s.surge('up', '--wait')).code).toBe(0);
    expect(await s.nodesOf('edge')).toEqual(['sswn2', 'sswn3']);
    const fetch = (host: string): Promise<string> =>
      new Promise((resolve, reject) => {
        get({ host, port, path: '/index.html', timeout: 5000 }, (res) => {
          let body = '';
          res.on('data', (b: Buffer) => (body += b.toString()));
          res.on('end', () => resolve(body.trim()));
        }).on('error', reject);
      });
    // Host mode: each node answers on its own address, with its own task (no routing mesh on this kernel).
    expect(await eventually('node 2 answering', () => fetch('198.18.0.12').catch(() => undefined))).toBe('sswn2');
    expect(await fetch('198.18.0.13')).toBe('sswn3');
    const ps = await s.surge('ps');
    expect(ps.stdout).toMatch(new RegExp(`^edge\\.sswn2 +edge +sswn2 +running +running +surge-test/busybox:1 +198\\.18\\.0\\.12:${port}->80/tcp$`, 'm'));
  });
});
