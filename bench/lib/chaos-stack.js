// The chaos harness's stack and its checks: what "healed" means, measured on the engine itself (not by asking surge).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { IMAGE } from './stacks.js';

/** Every project the harness creates starts with this; its cleanup touches nothing else. */
export const CHAOS_PREFIX = 'schaos-';

export const SERVICES = ['db', 'cache', 'api', 'worker', 'web', 'cron', 'proxy', 'metrics'];

/**
 * A shell that takes 0.3 s to stop on SIGTERM, as a real service takes a moment to shut down (PID 1 is sh): a kill
 * can land between the steps of a replacement, not only before or after. `$$` is a literal `$` for surge.
 */
const SLEEPER = `["sh", "-c", "trap 'sleep 0.3; exit 0' TERM; while true; do sleep 3600 & wait $$!; done"]`;
/** db becomes healthy half a second after it starts, so dependents really wait on a healthcheck. */
const DB = `["sh", "-c", "trap 'sleep 0.3; exit 0' TERM; rm -f /tmp/ready; (sleep 0.5; touch /tmp/ready) & while true; do sleep 3600 & wait $$!; done"]`;

/**
 * 8 services with dependencies (service_healthy, service_started) and a healthcheck; db keeps its data in the named
 * volume `data`. Every service carries GEN in its environment: changing it recreates all eight.
 * @param {string} project @param {number} gen
 */
export function chaosBoltfile(project, gen) {
  const svc = (name, extra = '') => `\n[services.${name}]\nimage = "${IMAGE}"\ncommand = ${SLEEPER}\nenvironment = { GEN = "${gen}" }\n${extra}`;
  return [
    `project = "${project}"\n`,
    '\n[volumes.data]\n',
    `\n[services.db]\nimage = "${IMAGE}"\ncommand = ${DB}\nenvironment = { GEN = "${gen}" }\nvolumes = ["data:/data"]\n` +
      'healthcheck = { test = ["CMD", "test", "-f", "/tmp/ready"], interval = "200ms", retries = 50 }\n',
    svc('cache'),
    svc('api', 'depends_on = { db = { condition = "service_healthy" }, cache = { condition = "service_started" } }\n'),
    svc('worker', 'depends_on = { db = { condition = "service_healthy" } }\n'),
    svc('web', 'depends_on = ["api"]\n'),
    svc('cron', 'depends_on = ["worker"]\n'),
    svc('proxy', 'depends_on = ["web", "cache"]\n'),
    svc('metrics'),
  ].join('');
}

/**
 * What the engine holds for the project, against what the Boltfile asks (generation `gen`).
 * @param {Docker} docker @param {string} project @param {number} gen
 */
export async function inspectStack(docker, project, gen) {
  const containers = await docker.listContainers({ all: true, filters: { label: [`surge.project=${project}`] } });
  const name = (/** @type {Docker.ContainerInfo} */ c) => (c.Names[0] ?? '').replace(/^\//, '');
  const temps = containers.filter((c) => name(c).includes('_surge-new-')).map(name);
  const perReplica = new Map();
  for (const c of containers) {
    if (name(c).includes('_surge-new-')) continue;
    const key = `${c.Labels['surge.service']}#${c.Labels['surge.replica'] ?? '1'}`;
    perReplica.set(key, (perReplica.get(key) ?? 0) + 1);
  }
  const duplicateContainers = [...perReplica.entries()].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  const networks = (await docker.listNetworks({ filters: { label: [`surge.project=${project}`] } })).filter((n) => n.Name === `${project}_default`);
  /** @type {string[]} */
  const wrong = [];
  for (const s of SERVICES) {
    const c = containers.find((x) => name(x) === `${project}-${s}-1`);
    if (!c) {
      wrong.push(`${s}: missing`);
      continue;
    }
    if (c.State !== 'running') wrong.push(`${s}: ${c.State}`);
    else if (s === 'db' && !c.Status.includes('(healthy)')) wrong.push(`db: ${c.Status}`);
    const env = (await docker.getContainer(c.Id).inspect()).Config.Env ?? [];
    if (!env.includes(`GEN=${gen}`)) wrong.push(`${s}: old config`);
  }
  return { temps, duplicateContainers, networks: networks.length, wrong };
}

/**
 * Whether the marker file written into the named volume at the start is still there (read by a throwaway container).
 * @param {Docker} docker @param {string} project
 */
export async function markerSurvives(docker, project) {
  // Read on the host when the volume's folder is readable (root, local engine): no container to start.
  try {
    const { Mountpoint } = await docker.getVolume(`${project}_data`).inspect();
    if (Mountpoint && existsSync(Mountpoint)) return existsSync(join(Mountpoint, 'marker'));
  } catch {
    return false;
  }
  return (await inVolume(docker, project, 'test -f /data/marker')) === 0;
}

/** @param {Docker} docker @param {string} project */
export async function writeMarker(docker, project) {
  if ((await inVolume(docker, project, 'echo chaos > /data/marker')) !== 0) throw new Error('cannot write the marker file into the named volume');
}

/** @param {Docker} docker @param {string} project @param {string} script @returns {Promise<number>} */
async function inVolume(docker, project, script) {
  const c = await docker.createContainer({
    Image: IMAGE,
    Cmd: ['sh', '-c', script],
    Labels: { 'surge-chaos.helper': project },
    HostConfig: { Binds: [`${project}_data:/data`], AutoRemove: false },
  });
  try {
    await c.start();
    const { StatusCode } = await c.wait();
    return StatusCode;
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Removes everything of the harness's projects (containers, networks, volumes), whatever state surge left them in.
 * @param {Docker} docker @param {string} [project] only this one
 */
export async function cleanupChaos(docker, project) {
  const ours = (/** @type {string | undefined} */ p) => !!p && (project ? p === project : p.startsWith(CHAOS_PREFIX));
  const containers = (await docker.listContainers({ all: true })).filter((c) => ours(c.Labels['surge.project']) || ours(c.Labels['surge-chaos.helper']));
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const networks = (await docker.listNetworks()).filter((n) => ours(n.Labels?.['surge.project']));
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
  const { Volumes } = await docker.listVolumes();
  await Promise.all((Volumes ?? []).filter((v) => ours(v.Labels?.['surge.project'])).map((v) => docker.getVolume(v.Name).remove().catch(() => undefined)));
}
