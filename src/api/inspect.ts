// Read-only views of a live stack, as compose has them: the processes in each replica (`top`), where a private port
// is published (`port`), the images the containers run (`images`), and the projects an engine holds (`ls`).
import type { ImageInfo, ProcessTable, ProjectSummary } from '../drivers/driver.js';
import { UserError } from '../model/errors.js';
import type { DriverKind } from '../model/model.js';
import type { ObservedContainer } from '../model/observed.js';
import { replicaOf, replicasOf, withCapability, type ReplicaSelection } from './replicas.js';
import type { Stack } from './stack.js';
import { compareText } from '../model/order.js';

export type { ImageInfo, ProcessTable, ProjectSummary };

/** What `top` found: the process table of each replica, and the services it does not apply to. */
export interface TopResult {
  replicas: { container: ObservedContainer; table: ProcessTable }[];
  /** services this does not apply to, sorted */
  notApplicable: string[];
}

/**
 * The processes running in each running replica of `services` (all when none are named): `docker top` for
 * containers, /proc for host processes.
 */
export async function top(stack: Stack, options: ReplicaSelection = {}): Promise<TopResult> {
  const running = (await replicasOf(stack, options)).filter((c) => c.state === 'running' || c.state === 'paused');
  const { capable, notApplicable } = await withCapability(stack, running, 'top');
  const replicas = await Promise.all(capable.map(async ({ container, driver }) => ({ container, table: await driver.top(stack.project, container) })));
  return { replicas, notApplicable };
}

/** Options of `port`: the protocol and the replica. */
export interface PortOptions {
  protocol?: 'tcp' | 'udp';
  /** replica, 1-based (default 1) */
  index?: number;
}

/** "0.0.0.0:8080->80/tcp" → its parts; "80/tcp" (exposed, not published) has no host side. */
export function parsePublished(text: string): { hostIp: string; hostPort: number | null; privatePort: number; protocol: string } | null {
  const m = /^(?:(.*):(\d+)->)?(\d+)\/(\w+)$/.exec(text);
  if (!m) return null;
  return { hostIp: m[1] ?? '', hostPort: m[2] === undefined ? null : Number(m[2]), privatePort: Number(m[3]), protocol: m[4] as string };
}

/**
 * Where the replica's `privatePort` is published on the host, as compose's `port` answers it.
 * @example
 * const { hostIp, hostPort } = await port(stack, 'web', 80); // "0.0.0.0", 8080
 */
export async function port(stack: Stack, service: string, privatePort: number, options: PortOptions = {}): Promise<{ hostIp: string; hostPort: number }> {
  const s = stack.project.services[service];
  if (s?.driver === 'process') throw new UserError(`service ${service} is a host process: it listens on the host's own ports, which surge does not map`, 'precondition');
  const c = await replicaOf(stack, service, options.index ?? 1);
  const protocol = options.protocol ?? 'tcp';
  const ports = c.ports.map(parsePublished).filter((p) => p !== null);
  const found = ports.find((p) => p.privatePort === privatePort && p.protocol === protocol && p.hostPort !== null);
  if (found) return { hostIp: found.hostIp, hostPort: found.hostPort as number };
  const has = [...new Set(ports.map((p) => `${p.privatePort}/${p.protocol}`))].join(', ');
  throw new UserError(`no published port ${privatePort}/${protocol} for ${c.name}${has ? `: ${has}` : ''}`, 'precondition');
}

/** What `images` found: the image each container runs, and the services that run none (host processes). */
export interface ImagesResult {
  images: ImageInfo[];
  /** services whose replicas run no image (host processes), sorted */
  notApplicable: string[];
}

/** The image each container of `services` runs (stopped ones too), sorted by container name. */
export async function images(stack: Stack, options: ReplicaSelection = {}): Promise<ImagesResult> {
  const containers = await replicasOf(stack, options);
  const { capable, notApplicable } = await withCapability(stack, containers, 'images');
  const byDriver = new Map<DriverKind, { driver: (typeof capable)[number]['driver']; list: ObservedContainer[] }>();
  for (const { container, driver } of capable) {
    const e = byDriver.get(container.driver) ?? { driver, list: [] };
    e.list.push(container);
    byDriver.set(container.driver, e);
  }
  const found = (await Promise.all([...byDriver.values()].map(({ driver, list }) => driver.images(stack.project, list)))).flat();
  return { images: found.sort((a, b) => compareText(a.container, b.container)), notApplicable };
}

/**
 * The projects on the container engine, from the labels of their containers (one-off ones left out): running
 * ones, or all with `all`. Host processes keep their state beside each Boltfile, so no list of them exists to read.
 */
export async function listProjects(stack: Stack, options: { all?: boolean } = {}): Promise<ProjectSummary[]> {
  const driver = await stack.driver('docker');
  if (!driver.listProjects) return [];
  return driver.listProjects(options.all ?? false);
}

/** compose's STATUS column: "running(2), exited(1)", states sorted. */
export function projectStatus(states: string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((s) => `${s}(${counts.get(s)})`)
    .join(', ');
}
