// Where a project's containers run: one Docker engine or a Docker Swarm. The Boltfile says it (`driver = "swarm"`),
// and the command line (`--driver`) or the environment (SURGE_DRIVER) may choose the other for any Boltfile: a desk
// runs it on Docker, the cluster on Swarm. The model is normalized for containers first; on a Swarm target every
// container service then becomes a Swarm service, networks become overlays, and what a Swarm cannot honour is an
// error or a warning located at the key that asks for it, never dropped in silence.
import type { DriverKind, Network, Project, Service } from '../../model/model.js';
import type { RawBoltfile, RawService } from './boltfile-schema.js';
import type { Path } from './schema-walk.js';
import { checkSwarmService } from './swarm-checks.js';

export type ContainerTarget = 'docker' | 'swarm';

export interface TargetReport {
  error(path: Path, message: string): void;
  warn(path: Path, message: string): void;
}

const TARGETS: readonly ContainerTarget[] = ['docker', 'swarm'];

/** The target asked for: `--driver` first, then SURGE_DRIVER, then the Boltfile's `driver`; a message when invalid. */
export function chooseTarget(doc: RawBoltfile, override: string | undefined, env: string | undefined): { target: ContainerTarget } | { problem: string } {
  for (const [value, where] of [
    [override, '--driver'],
    [env, 'SURGE_DRIVER'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if ((TARGETS as readonly string[]).includes(value)) return { target: value as ContainerTarget };
    return { problem: `invalid ${where} "${value}": use docker or swarm` };
  }
  return { target: doc.driver === 'swarm' ? 'swarm' : 'docker' };
}

/** The document normalize reads: a Swarm target is normalized as containers, then retargeted. */
export function containerDocument(doc: RawBoltfile): RawBoltfile {
  return doc.driver === 'swarm' ? { ...doc, driver: 'docker' } : doc;
}

/** Where the service's driver was chosen: its own `driver`, else the top-level one. */
function driverPath(raw: RawService | undefined, name: string): Path {
  return raw?.driver !== undefined ? ['services', name, 'driver'] : ['driver'];
}

function checkService(s: Service, raw: RawService | undefined, report: TargetReport): void {
  checkSwarmService(s, raw, report);
  const at = (key: string): Path => ['services', s.name, key];
  if (s.gpu) {
    const gpuAt: Path = raw?.gpu !== undefined ? at('gpu') : raw?.gpus !== undefined ? at('gpus') : raw?.deploy !== undefined ? at('deploy') : at('gpu_enabled');
    if (s.gpu.count === undefined && s.gpu.devices === 'all') {
      report.error(gpuAt, 'a Swarm reserves GPUs by count or by id, not "all": write gpu.nvidia = { count = N } (or the device ids the nodes advertise)');
    }
    if (s.gpu.runtime) report.warn([...gpuAt, 'runtime'], 'not applied on a Swarm: each node\'s engine runs its default runtime (set "default-runtime": "nvidia" there)');
  }
  s.ports.forEach((p, i) => {
    if (p.host_ip !== null && p.host_ip !== '0.0.0.0' && p.host_ip !== '::') {
      report.warn(['services', s.name, 'ports', i], `host_ip ${p.host_ip} is not applied on a Swarm: the port is published on every address of the node`);
    }
  });
  (s.develop?.watch ?? []).forEach((rule, i) => {
    if (rule.action.startsWith('sync')) report.warn(['services', s.name, 'develop', 'watch', i], `"${rule.action}" cannot reach a Swarm's tasks (they run on other nodes): watch reports it as failed; use action = "rebuild"`);
  });
  s.volumes.forEach((m, i) => {
    if (m.type === 'bind') {
      report.warn(['services', s.name, 'volumes', i], `a bind mount on a Swarm mounts ${m.source ?? ''} of whichever node runs the task: it must exist on every node`);
    }
  });
}

function retargetNetwork(n: Network, report: TargetReport): Network {
  if (n.external) return n;
  // QUIC-flagged networks are encrypted overlays on a Swarm: the model says so, so plans show it and hashes carry it.
  const encryption = n.encryption || n.quic;
  if (n.driver === 'bridge') return { ...n, driver: 'overlay', encryption };
  if (n.driver === 'overlay') return { ...n, encryption };
  report.error(['networks', n.name, 'driver'], `a Swarm service joins only swarm-scoped networks: driver "${n.driver}" cannot be used (use overlay)`);
  return n;
}

/**
 * The project as the target runs it. Docker: unchanged (the `[swarm]` table waits for a Swarm target). Swarm: container
 * services run as Swarm services; host processes are an error unless `[swarm] host_processes = "local"` keeps them on
 * this machine; networks are overlays.
 */
export function applyTarget(project: Project, doc: RawBoltfile, target: ContainerTarget, report: TargetReport): Project {
  if (target === 'docker') return project;
  const swarm = { endpoint_mode: doc.swarm?.endpoint_mode ?? 'vip', host_processes: doc.swarm?.host_processes ?? 'error' } as const;
  const services: Record<string, Service> = {};
  for (const [name, s] of Object.entries(project.services)) {
    const raw = doc.services?.[name];
    if (s.driver === 'process') {
      if (swarm.host_processes !== 'local') {
        report.error(
          driverPath(raw, name),
          `service "${name}" runs as a host process, which cannot run on a Swarm: give it an image, or keep it on this machine on purpose with [swarm] host_processes = "local"`,
        );
      }
      services[name] = s;
      continue;
    }
    checkService(s, raw, report);
    services[name] = { ...s, driver: 'swarm' as DriverKind };
  }
  const networks: Record<string, Network> = {};
  for (const [name, n] of Object.entries(project.networks)) networks[name] = retargetNetwork(n, report);
  return { ...project, services, networks, swarm };
}
