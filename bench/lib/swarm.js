// The Swarm group: the same 30-service stack on the local 3-node Swarm (scripts/swarm-cluster.sh), `surge up` / `up`
// again / `down` against `docker stack deploy` / deploy again / `docker stack rm`, both talking to the manager.
// `docker stack rm` returns before the tasks stop; `surge down` returns once the networks are gone, which needs the
// tasks gone. So each down is also timed to "clean": no task, service or network of the stack left on the cluster.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cell, fmtRatio, ratio, table } from './report.js';
import { chains, COMMAND, IMAGE, wide, writeStack } from './stacks.js';
import { run, stats } from './timing.js';

const MANAGER = 'unix:///run/surge-swarm/node1/docker.sock';
const SETTINGS = { SWARM_MANAGERS: '1', SWARM_GPU_NODE: '2', SWARM_GPU_COUNT: '2' };

/** @param {string[]} args */
const docker = (args) => run('docker', ['-H', MANAGER, ...args]);

/** `docker stack deploy`'s file (format 3.8): dnsrr, since this kernel has no IPVS for VIPs. @param {import('./stacks.js').ServiceSpec[]} services */
function stackFile(services) {
  const cmd = `[${COMMAND.map((a) => JSON.stringify(a.replaceAll('$', '$$$$'))).join(', ')}]`;
  const lines = ['version: "3.8"', 'services:'];
  for (const s of services) {
    lines.push(`  ${JSON.stringify(s.name)}:`, `    image: ${JSON.stringify(IMAGE)}`, `    command: ${cmd}`, '    deploy:', '      endpoint_mode: dnsrr');
    // Ignored by `docker stack deploy` (it warns); kept so both tools read the same stack.
    if (s.dependsOn) lines.push('    depends_on:', `      - ${JSON.stringify(s.dependsOn)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The stack's services, tasks and networks left on the cluster (surge's label, or the stack's namespace). @param {string} project */
async function leftovers(project) {
  const filters = [`label=surge.project=${project}`, `label=com.docker.stack.namespace=${project}`];
  let n = 0;
  for (const f of filters) {
    for (const kind of [['service', 'ls'], ['network', 'ls']]) {
      n += (await docker([...kind, '--filter', f, '-q'])).stdout.trim().split('\n').filter(Boolean).length;
    }
  }
  const tasks = await run('curl', ['-s', '--unix-socket', MANAGER.slice('unix://'.length), '-G', 'http://localhost/tasks', '--data-urlencode', `filters={"label":["surge.project=${project}"]}`]);
  const stackTasks = await run('curl', ['-s', '--unix-socket', MANAGER.slice('unix://'.length), '-G', 'http://localhost/tasks', '--data-urlencode', `filters={"label":["com.docker.stack.namespace=${project}"]}`]);
  n += JSON.parse(tasks.stdout).length + JSON.parse(stackTasks.stdout).length;
  return n;
}

/** Waits until every task of the stack runs (not timed): both tools then take down the same running stack. @param {string} project @param {number} count */
async function untilRunning(project, count) {
  for (let i = 0; i < 1200; i++) {
    const both = [
      ...(await docker(['service', 'ls', '--filter', `label=surge.project=${project}`, '--format', '{{.Replicas}}'])).stdout.split('\n'),
      ...(await docker(['service', 'ls', '--filter', `label=com.docker.stack.namespace=${project}`, '--format', '{{.Replicas}}'])).stdout.split('\n'),
    ].filter(Boolean);
    if (both.length === count && both.every((r) => /^(\d+)\/\1\b/.test(r))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${project}: not every task was running after 5 minutes`);
}

/** Waits until nothing of the stack is left; the time it took, in ms. @param {string} project */
async function untilClean(project) {
  const t0 = performance.now();
  for (let i = 0; i < 600; i++) {
    if ((await leftovers(project)) === 0) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${project}: the cluster kept its objects for 60 s`);
}

/**
 * @param {{ surgeCli: string, log: (s: string) => void }} ctx
 * @param {{ rounds: number, repo: string, quick: boolean }} opts
 */
export async function swarmGroup(ctx, opts) {
  const script = join(opts.repo, 'scripts/swarm-cluster.sh');
  const status = await run('bash', [script, 'status']).then(
    () => true,
    () => false,
  );
  if (!status) await run('bash', [script, 'up'], { env: { ...process.env, ...SETTINGS }, timeoutMs: 300_000 });
  const stacks = [
    { name: 'wide', label: '30 independent services', services: wide(30) },
    { name: 'chains', label: '30 services in 10 chains of 3 (depends_on: surge waits for each dependency to run; `docker stack deploy` ignores it)', services: chains(10) },
  ];
  const env = { ...process.env, DOCKER_HOST: MANAGER };
  const rows = [];
  for (const s of stacks) {
    /** @type {Record<'surge' | 'stack', Record<'cold' | 'noop' | 'down' | 'clean', number[]>>} */
    const r = { surge: { cold: [], noop: [], down: [], clean: [] }, stack: { cold: [], noop: [], down: [], clean: [] } };
    for (let round = 0; round < opts.rounds; round++) {
      const project = `sbench-swarm-${s.name}`;
      const dir = writeStack(project, s.services);
      // surge: driver = "swarm" on the top level, and dnsrr for every service.
      writeFileSync(join(dir, 'Boltfile.toml'), `driver = "swarm"\n${readFileSync(join(dir, 'Boltfile.toml'), 'utf8')}\n[swarm]\nendpoint_mode = "dnsrr"\n`);
      writeFileSync(join(dir, 'stack.yml'), stackFile(s.services));
      try {
        const order = round % 2 === 0 ? ['surge', 'stack'] : ['stack', 'surge'];
        for (const tool of order) {
          if (tool === 'surge') {
            const surge = (/** @type {string[]} */ ...args) => run(process.execPath, [ctx.surgeCli, ...args, '--progress', 'quiet'], { cwd: dir, env });
            r.surge.cold.push((await surge('up')).ms);
            r.surge.noop.push((await surge('up')).ms);
            await untilRunning(project, s.services.length);
            r.surge.down.push((await surge('down')).ms);
          } else {
            const deploy = () => run('docker', ['-H', MANAGER, 'stack', 'deploy', '--resolve-image', 'never', '-c', 'stack.yml', project], { cwd: dir });
            r.stack.cold.push((await deploy()).ms);
            r.stack.noop.push((await deploy()).ms);
            await untilRunning(project, s.services.length);
            r.stack.down.push((await docker(['stack', 'rm', project])).ms);
          }
          // Both: how long until the cluster holds nothing of the stack (the next tool starts from there).
          r[/** @type {'surge' | 'stack'} */ (tool)].clean.push(await untilClean(project));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      ctx.log(`swarm: ${s.name}, round ${round + 1}/${opts.rounds}: surge up ${Math.round(r.surge.cold.at(-1) ?? 0)} ms, stack deploy ${Math.round(r.stack.cold.at(-1) ?? 0)} ms`);
    }
    const phases = /** @type {const} */ ([
      ['cold', 'up from nothing'],
      ['noop', 'up, nothing changed'],
      ['down', 'down (the command)'],
      ['clean', 'then until nothing is left'],
    ]);
    for (const [phase, label] of phases) {
      rows.push([s.name, label, cell(r.surge[phase]), cell(r.stack[phase]), fmtRatio(ratio(stats(r.surge[phase]).median, stats(r.stack[phase]).median))]);
    }
  }
  return [
    '## Swarm',
    '',
    '- The local 3-node Swarm of `scripts/swarm-cluster.sh` (three dockerd 20.10 in network namespaces of this machine, node 1 the manager); both tools talk to the manager.',
    ...stacks.map((s) => `- ${s.name}: ${s.label}; image \`${IMAGE}\`, a shell that exits on SIGTERM; endpoint mode dnsrr (this kernel has no IPVS).`),
    '- surge: `DOCKER_HOST=<manager> node dist/cli/main.js up --progress quiet` / same again / `down --progress quiet`, with `driver = "swarm"`; docker: `docker stack deploy --resolve-image never -c stack.yml` / same again / `docker stack rm`.',
    '- `surge up` returns when the services are created (like `docker stack deploy`), after waiting for what depends_on asks. Before either down, every task runs (not timed). `docker stack rm` returns before the tasks stop, `surge down` once the networks are removed, which needs them gone; "until nothing is left" is the time after the command until no service, task or network of the stack remains.',
    `- ${opts.rounds} rounds; the tools take turns going first.`,
    '',
    table(['stack', 'phase', 'surge', 'docker stack', 'surge/docker'], rows),
  ].join('\n');
}
