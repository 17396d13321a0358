// Container lifecycle as plan actions say: create+start, safe replacement, start, stop, remove.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { CancelledError, EngineError, errorMessage } from '../../errors.js';
import type { Project, Service } from '../../planner/model.js';
import { volumeEngineName } from '../labels.js';
import type { ActionContext } from '../driver.js';
import { containerCreateOptions, engineNetworkName, type SpecContext } from './container-spec.js';
import { notFound } from './resources.js';

function check(ctx: ActionContext): void {
  if (ctx.signal.aborted) throw new CancelledError();
}

function stopSeconds(timeout: number | null | undefined, s: Service | undefined): number {
  if (timeout !== null && timeout !== undefined) return timeout;
  if (s?.stop_grace_period_ms != null) return Math.ceil(s.stop_grace_period_ms / 1000);
  return 10;
}

async function connectOtherNetworks(docker: Docker, project: Project, s: Service, id: string): Promise<void> {
  for (const name of Object.keys(s.networks).slice(1)) {
    await docker.getNetwork(engineNetworkName(project, name)).connect({ Container: id, EndpointConfig: { Aliases: [s.name, ...(s.networks[name]?.aliases ?? [])] } });
  }
}

async function startContainer(docker: Docker, s: Service, id: string): Promise<void> {
  try {
    await docker.getContainer(id).start();
  } catch (err) {
    throw new EngineError(`service ${s.name}: cannot start its container: ${errorMessage(err).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '')}`);
  }
}

async function create(docker: Docker, spec: SpecContext, name: string): Promise<string> {
  try {
    const c = await docker.createContainer(containerCreateOptions(spec, name));
    await connectOtherNetworks(docker, spec.project, spec.service, c.id);
    return c.id;
  } catch (err) {
    throw new EngineError(`service ${spec.service.name}: cannot create container ${name}: ${errorMessage(err).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '')}`);
  }
}

export async function createAndStart(docker: Docker, spec: SpecContext, name: string, ctx: ActionContext): Promise<string> {
  check(ctx);
  const id = await create(docker, spec, name);
  check(ctx);
  await startContainer(docker, spec.service, id);
  return id;
}

/**
 * Anonymous volumes of the old container, by target: the new container mounts them, as compose does, so data the
 * image keeps in a VOLUME survives a recreate. Named volumes of the project are mounted by name anyway.
 */
async function anonymousVolumes(docker: Docker, project: Project, id: string): Promise<Record<string, string>> {
  const info = await docker.getContainer(id).inspect();
  const named = new Set(Object.keys(project.volumes).map((v) => volumeEngineName(project.name, v)));
  const out: Record<string, string> = {};
  for (const m of info.Mounts ?? []) {
    if (m.Type === 'volume' && m.Name && !named.has(m.Name) && /^[0-9a-f]{64}$/.test(m.Name)) out[m.Destination] = m.Name;
  }
  return out;
}

/** Create the new container under a temporary name, stop and remove the old one, rename, start. */
export async function replace(docker: Docker, spec: SpecContext, name: string, oldId: string, timeout: number | null | undefined, ctx: ActionContext): Promise<void> {
  check(ctx);
  let carried: Record<string, string> = {};
  try {
    carried = await anonymousVolumes(docker, spec.project, oldId);
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  const temp = `${name}_surge-new-${randomBytes(3).toString('hex')}`;
  const id = await create(docker, { ...spec, carriedVolumes: carried }, temp);
  try {
    check(ctx);
    ctx.log(`replacing ${oldId.slice(0, 12)}`);
    await stopAndRemove(docker, oldId, stopSeconds(timeout, spec.service), false);
  } catch (err) {
    await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    throw err;
  }
  await docker.getContainer(id).rename({ name });
  await startContainer(docker, spec.service, id);
}

export async function start(docker: Docker, s: Service, id: string): Promise<void> {
  await startContainer(docker, s, id);
}

export async function stop(docker: Docker, id: string, timeout: number | null | undefined, s: Service | undefined): Promise<void> {
  try {
    await docker.getContainer(id).stop({ t: stopSeconds(timeout, s) });
  } catch (err) {
    // 304: already stopped; 404: already gone.
    const code = (err as { statusCode?: number }).statusCode;
    if (code !== 304 && code !== 404) throw err;
  }
}

export async function stopAndRemove(docker: Docker, id: string, seconds: number, removeAnonymousVolumes: boolean): Promise<void> {
  await stop(docker, id, seconds, undefined);
  try {
    await docker.getContainer(id).remove({ v: removeAnonymousVolumes, force: true });
  } catch (err) {
    if (!notFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
  }
}

export async function remove(docker: Docker, id: string, timeout: number | null | undefined, s: Service | undefined): Promise<void> {
  await stopAndRemove(docker, id, stopSeconds(timeout, s), true);
}
