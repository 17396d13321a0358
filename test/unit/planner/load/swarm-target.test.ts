// Choosing where containers run: the Boltfile's `driver = "swarm"`, `--driver`, SURGE_DRIVER; what a Swarm cannot
// honour is a located error or warning.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { loadError, loadToml, tempProjectDir } from '../../../fixtures/load-toml.js';
import { writeFileSync } from 'node:fs';
import { writeBoltfile } from '../../../../src/planner/load/boltfile-writer.js';
import { join } from 'node:path';

const STACK = `project = "shop"
[services.db]
image = "postgres:16"
[services.web]
image = "nginx:1.27"
depends_on = ["db"]
`;

describe('the container target', () => {
  it('is Docker unless something asks for a Swarm', () => {
    const { project } = loadToml(STACK);
    expect(Object.values(project.services).map((s) => s.driver)).toEqual(['docker', 'docker']);
    expect(project.swarm).toBeUndefined();
    expect(project.networks.default?.driver).toBe('bridge');
  });

  it('top-level driver = "swarm": every container service is a Swarm service, networks are overlays', () => {
    const { project, warnings } = loadToml(`driver = "swarm"\n${STACK}`);
    expect(Object.values(project.services).map((s) => s.driver)).toEqual(['swarm', 'swarm']);
    expect(project.networks.default?.driver).toBe('overlay');
    expect(project.swarm).toEqual({ endpoint_mode: 'vip', host_processes: 'error' });
    expect(warnings).toEqual([]);
  });

  it('SURGE_DRIVER and --driver choose for any Boltfile; --driver wins', () => {
    expect(loadToml(STACK, { env: { SURGE_DRIVER: 'swarm' } }).project.services.web?.driver).toBe('swarm');
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'Boltfile.toml'), `driver = "swarm"\n${STACK}`);
    const loaded = loadProject({ files: [], cwd: dir, envFiles: [], env: { SURGE_DRIVER: 'swarm' }, driver: 'docker' });
    expect(loaded.project.services.web?.driver).toBe('docker');
    expect(loaded.project.swarm).toBeUndefined();
  });

  it('a bad SURGE_DRIVER is refused by name', () => {
    expect(loadError(STACK, { env: { SURGE_DRIVER: 'kubernetes' } })).toBe('invalid SURGE_DRIVER "kubernetes": use docker or swarm');
  });

  it('[swarm] settings: endpoint mode', () => {
    const { project } = loadToml(`driver = "swarm"\n[swarm]\nendpoint_mode = "dnsrr"\n${STACK.replace('project = "shop"\n', '')}`, { projectName: 'shop' });
    expect(project.swarm?.endpoint_mode).toBe('dnsrr');
  });

  it('a host process on a Swarm is a located error, unless kept local on purpose', () => {
    const boltfile = `driver = "swarm"\nproject = "shop"\n[services.tool]\ndriver = "process"\ncommand = "sleep 100"\n[services.web]\nimage = "nginx:1.27"\n`;
    expect(loadError(boltfile)).toMatch(
      /Boltfile\.toml:4:\d+: services\.tool\.driver: service "tool" runs as a host process, which cannot run on a Swarm: give it an image, or keep it on this machine on purpose with \[swarm\] host_processes = "local"/,
    );
    const kept = loadToml(`${boltfile}[swarm]\nhost_processes = "local"\n`);
    expect(kept.project.services.tool?.driver).toBe('process');
    expect(kept.project.services.web?.driver).toBe('swarm');
  });

  it('what a Swarm cannot honour: errors and warnings at the key', () => {
    const error = loadError(`driver = "swarm"\nproject = "x"\n[services.a]\nimage = "busybox"\nprivileged = true\ndevices = ["/dev/fuse:/dev/fuse"]\n`);
    expect(error).toMatch(/:5:\d+: services\.a\.privileged: a Swarm service cannot run privileged/);
    expect(error).toMatch(/:6:\d+: services\.a\.devices: a Swarm service cannot map host devices/);
    const { warnings } = loadToml(`driver = "swarm"\nproject = "x"\n[services.a]\nimage = "busybox"\nrestart = "no"\nports = ["127.0.0.1:8080:80"]\nvolumes = ["/srv/data:/data"]\n`);
    expect(warnings.map((w) => w.message)).toEqual([
      'warning: services.a.restart: a Swarm keeps a service\'s tasks running (restart condition "any"); "no" is not applied there (write deploy.restart_policy.condition = "none")',
      'warning: services.a.ports[0]: host_ip 127.0.0.1 is not applied on a Swarm: the port is published on every address of the node',
      'warning: services.a.volumes[0]: a bind mount on a Swarm mounts /srv/data of whichever node runs the task: it must exist on every node',
    ]);
  });

  it('a network driver a Swarm service cannot join is an error', () => {
    expect(loadError(`driver = "swarm"\nproject = "x"\n[networks.lan]\ndriver = "macvlan"\n[services.a]\nimage = "busybox"\nnetworks = ["lan"]\n`)).toMatch(
      /networks\.lan\.driver: a Swarm service joins only swarm-scoped networks: driver "macvlan" cannot be used/,
    );
  });

  it('on a Swarm, deploy settings are no warnings; values a Swarm does not know are errors', () => {
    const deploy = `[services.a]\nimage = "busybox"\n[services.a.deploy]\nmode = "global"\nendpoint_mode = "dnsrr"\n[services.a.deploy.placement]\nconstraints = ["node.role==worker"]\n`;
    expect(loadToml(`project = "x"\n${deploy}`).warnings.length).toBeGreaterThan(0);
    expect(loadToml(`driver = "swarm"\nproject = "x"\n${deploy}`).warnings).toEqual([]);
    expect(loadError(`driver = "swarm"\nproject = "x"\n[services.a]\nimage = "busybox"\n[services.a.deploy]\nmode = "daemon"\n[services.a.deploy.update_config]\nfailure_action = "explode"\n`)).toMatch(
      /services\.a\.deploy\.mode: "daemon" is not a Swarm mode[\s\S]*services\.a\.deploy\.update_config\.failure_action: "explode" is not a failure action/,
    );
  });

  it('GPUs on a Swarm: by count or by id, never "all"', () => {
    expect(loadToml(`driver = "swarm"\nproject = "x"\n[services.a]\nimage = "busybox"\ngpu = { nvidia = { count = 1 } }\n`).project.services.a?.gpu?.count).toBe(1);
    expect(loadError(`driver = "swarm"\nproject = "x"\n[services.a]\nimage = "busybox"\ngpu = { nvidia = true }\n`)).toMatch(
      /:5:\d+: services\.a\.gpu: a Swarm reserves GPUs by count or by id, not "all": write gpu\.nvidia = \{ count = N \}/,
    );
  });

  it('config --format toml writes a Swarm project back as one: top-level driver, [swarm], host processes kept local', () => {
    const boltfile = `driver = "swarm"\nproject = "x"\n[services.web]\nimage = "nginx"\n[services.tool]\ndriver = "process"\ncommand = "sleep 9"\n[swarm]\nendpoint_mode = "dnsrr"\nhost_processes = "local"\n`;
    const first = loadToml(boltfile).project;
    const written = writeBoltfile(first);
    expect(written).toMatch(/^driver = "swarm"$/m);
    const again = loadToml(written).project;
    expect({ ...again, files: [], workingDir: '' }).toEqual({ ...first, files: [], workingDir: '' });
  });

  it('a QUIC-flagged network is an encrypted overlay on a Swarm', () => {
    const { project } = loadToml(`driver = "swarm"\nproject = "x"\n[networks.fast]\ndriver = "quic"\n[services.a]\nimage = "busybox"\nnetworks = ["fast"]\n`);
    expect(project.networks.fast).toMatchObject({ driver: 'overlay', quic: true, encryption: true });
  });

  it('a sync rule cannot reach a Swarm\'s tasks: a warning at the rule', () => {
    const { warnings } = loadToml(`driver = "swarm"\nproject = "x"\n[services.a]\nimage = "busybox"\n[services.a.develop]\nwatch = [{ path = "./src", action = "sync", target = "/app" }]\n`);
    expect(warnings.map((w) => w.message)).toEqual(['warning: services.a.develop.watch[0]: "sync" cannot reach a Swarm\'s tasks (they run on other nodes): watch reports it as failed; use action = "rebuild"']);
  });
});
