// The Docker engine: connect, check what the benchmark needs, and clean up what it created.
import Docker from 'dockerode';
import { IMAGE } from './stacks.js';

/** Every project this benchmark creates starts with this; cleanup touches nothing else. */
export const PREFIX = 'sbench-';

/** Connects and checks the engine and the test image; throws a message saying what to do. */
export async function connect() {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (e) {
    throw new Error(`cannot reach the Docker engine (${e instanceof Error ? e.message : e}): start it with \`npm run engine\``);
  }
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    throw new Error(`the test image ${IMAGE} is missing: run \`npm run engine\` (it builds it from /bin/busybox)`);
  }
  return docker;
}

/** Does a (Docker) label or container name belong to one of the benchmark's projects? @param {string | undefined} s */
const ours = (s) => !!s && s.startsWith(PREFIX);

/**
 * Removes the benchmark's containers (by surge, compose or the floor; found by project label or name) and its
 * networks, so each round starts from the same clean engine state. Returns the networks the engine refused to
 * remove (Docker 20.10 can leak an endpoint count, after which `network rm` says "has active endpoints" until
 * dockerd restarts); the benchmark never reuses a project name, so such a network cannot skew later rounds.
 * @param {Docker} docker @param {string} [project] only this project (default: every benchmark project)
 * @returns {Promise<string[]>}
 */
export async function cleanup(docker, project) {
  const match = (/** @type {string | undefined} */ s) => (project ? s === project || s?.startsWith(`${project}_`) || s?.startsWith(`${project}-`) : ours(s));
  const containers = await docker.listContainers({ all: true });
  const mine = containers.filter((c) => {
    const l = c.Labels ?? {};
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    return match(l['surge.project']) || match(l['com.docker.compose.project']) || match(l['surge-bench.floor']) || match(name);
  });
  await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const left = (await docker.listContainers({ all: true })).filter((c) => mine.some((m) => m.Id === c.Id));
  if (left.length) throw new Error(`could not remove ${left.length} leftover benchmark container(s): ${left.map((c) => c.Names[0]).join(', ')}`);
  const networks = (await docker.listNetworks()).filter((n) => match(n.Name));
  /** @type {string[]} */
  const stuck = [];
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch((/** @type {Error} */ e) => stuck.push(`${n.Name} (${e.message.replace(/^\(HTTP code \d+\) [a-z ]+ - /, '')})`))));
  return stuck;
}

/** Project labels, by tool. */
export const PROJECT_LABEL = { surge: 'surge.project', compose: 'com.docker.compose.project', floor: 'surge-bench.floor' };

/**
 * Containers of a project made by a tool (only the running ones, or all).
 * @param {Docker} docker @param {keyof typeof PROJECT_LABEL} tool @param {string} project @param {boolean} runningOnly
 */
export async function countContainers(docker, tool, project, runningOnly) {
  const list = await docker.listContainers({ all: !runningOnly, filters: { label: [`${PROJECT_LABEL[tool]}=${project}`] } });
  return list.length;
}
