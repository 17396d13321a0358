// `cp`: files between this host and a service's containers, as compose's `cp` does it: `SERVICE:PATH` names the
// container side; copying into a service reaches every replica (or the one `index` names), copying out of it reads
// the first (or the one named).
import { UserError } from '../model/errors.js';
import type { ObservedContainer } from '../model/observed.js';
import { replicaOf, replicasOf } from './replicas.js';
import type { Stack } from './stack.js';

/** Options of `copy` (compose's `cp`): which replica. */
export interface CopyOptions {
  /** replica, 1-based; default: all replicas when copying in, the first when copying out */
  index?: number;
}

/** What `copy` did: the direction, the replicas, and each copy as compose describes it. */
export interface CopyResult {
  direction: 'toContainer' | 'fromContainer';
  containers: ObservedContainer[];
  /** what was copied, as compose says it: "shop-web-1:/etc/x to ./x" */
  descriptions: string[];
}

/** "web:/etc/x" → web, /etc/x; "./x" or "/x" (no service) → null; on Windows, "C:\\x" is a path too. */
export function splitCopyArg(arg: string, platform: NodeJS.Platform = process.platform): { service: string | null; path: string } {
  const colon = arg.indexOf(':');
  const windowsPath = platform === 'win32' && /^[A-Za-z]:[\\/]/.test(arg);
  if (colon <= 0 || arg.startsWith('.') || arg.startsWith('/') || windowsPath) return { service: null, path: arg };
  return { service: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/**
 * Copies `source` to `destination`, one of them `SERVICE:PATH`.
 * @example
 * await copy(stack, './config.json', 'web:/etc/app/config.json');
 * await copy(stack, 'db:/var/log/postgres.log', '.');
 */
export async function copy(stack: Stack, source: string, destination: string, options: CopyOptions = {}): Promise<CopyResult> {
  const from = splitCopyArg(source);
  const to = splitCopyArg(destination);
  if (from.service && to.service) throw new UserError('copying between services is not supported: copy to this host first');
  const side = from.service ? from : to;
  if (!side.service) throw new UserError('name the container side as SERVICE:PATH, e.g. `surge cp web:/etc/hosts .`');
  if (!side.path) throw new UserError(`${side.service}: name a path after the colon`);
  const s = stack.project.services[side.service];
  if (s?.driver === 'process') {
    throw new UserError(`service ${side.service} is a host process: its files are on this host already; copy them with cp`, 'precondition');
  }
  const direction = from.service ? 'fromContainer' : 'toContainer';
  let containers: ObservedContainer[];
  if (options.index !== undefined || direction === 'fromContainer') containers = [await replicaOf(stack, side.service, options.index ?? 1)];
  else {
    containers = (await replicasOf(stack, { services: [side.service] })).filter((c) => c.driver === s?.driver);
    if (!containers.length) throw new UserError(`service ${side.service} has no container; run \`surge up\` first`, 'precondition');
  }
  const descriptions: string[] = [];
  for (const c of containers) {
    const driver = await stack.driver(c.driver);
    if (!driver.copy) throw new UserError(`cannot copy files of ${c.name} on this target`, 'precondition');
    await driver.copy(stack.project, c, direction, from.path, to.path);
    descriptions.push(direction === 'fromContainer' ? `${c.name}:${from.path} to ${to.path}` : `${from.path} to ${c.name}:${to.path}`);
  }
  return { direction, containers, descriptions };
}
