// Container lifecycle as plan actions say: create+start, safe replacement, start, stop, remove. Before each start the
// service's environment/content secrets and configs are copied in; after it, its post_start hooks run; before a stop,
// its pre_stop hooks (compose's order).
import { randomBytes } from 'node:crypto';
import { CancelledError, EngineError, errorMessage } from '../../model/errors.js';
import type { Project, Service } from '../../model/model.js';
import { volumeEngineName } from '../../model/naming.js';
import type { ActionContext } from '../driver.js';
import { endpointSettings } from './container-endpoints.js';
import { copyFilesIn } from './container-files.js';
import { runHooks } from './container-hooks.js';
import { containerCreateOptions, engineNetworkName, type SpecContext } from './container-spec.js';
import type { ContainerInspect, EngineApi } from './engine-api.js';
import { notFound } from './resources.js';

function check(ctx: ActionContext): void {
  if (ctx.signal.aborted) throw new CancelledError();
}

function stopSeconds(timeout: number | null | undefined, s: Service | undefined): number {
  if (timeout !== null && timeout !== undefined) return timeout;
  if (s?.stop_grace_period_ms != null) return Math.ceil(s.stop_grace_period_ms / 1000);
  return 10;
}

async function connectOtherNetworks(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  for (const name of Object.keys(s.networks).slice(1)) {
    await api.post(`/networks/${encodeURIComponent(engineNetworkName(project, name))}/connect`, {
      body: { Container: id, EndpointConfig: endpointSettings(project, s, name, false) },
    });
  }
}

async function startContainer(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  await copyFilesIn(api, project, s, id);
  try {
    await api.post(`/containers/${id}/start`);
  } catch (err) {
    throw new EngineError(`service ${s.name}: cannot start its container: ${errorMessage(err)}`);
  }
  await runHooks(api, s.name, id, s.hooks.post_start, 'post_start');
}

/** pre_stop hooks of a running container; one already stopped or gone has nothing to run them in. */
async function preStop(api: EngineApi, s: Service | undefined, id: string): Promise<void> {
  if (!s?.hooks.pre_stop.length) return;
  try {
    await runHooks(api, s.name, id, s.hooks.pre_stop, 'pre_stop');
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code !== 404 && code !== 409) throw err;
  }
}

async function create(api: EngineApi, spec: SpecContext, name: string): Promise<string> {
  try {
    const { name: _name, platform, ...body } = containerCreateOptions(spec, name);
    const c = await api.post<{ Id: string }>('/containers/create', { query: { name, platform }, body });
    await connectOtherNetworks(api, spec.project, spec.service, c.Id);
    return c.Id;
  } catch (err) {
    throw new EngineError(`service ${spec.service.name}: cannot create container ${name}: ${errorMessage(err)}`);
  }
}

export async function createAndStart(api: EngineApi, spec: SpecContext, name: string, ctx: ActionContext): Promise<string> {
  check(ctx);
  const id = await create(api, spec, name);
  check(ctx);
  await startContainer(api, spec.project, spec.service, id);
  return id;
}

/**
 * Anonymous volumes of the old container, by target: the new container mounts them, as compose does, so data the
 * image keeps in a VOLUME survives a recreate. Named volumes of the project are mounted by name anyway.
 */
async function anonymousVolumes(api: EngineApi, project: Project, id: string): Promise<Record<string, string>> {
  const info = await api.get<ContainerInspect>(`/containers/${id}/json`);
  const named = new Set(Object.values(project.volumes).map((v) => v.engine_name ?? volumeEngineName(project.name, v.name)));
  const out: Record<string, string> = {};
  for (const m of info.Mounts ?? []) {
    if (m.Type === 'volume' && m.Name && !named.has(m.Name) && /^[0-9a-f]{64}$/.test(m.Name)) out[m.Destination] = m.Name;
  }
  return out;
}

/** Create the new container under a temporary name, stop and remove the old one, rename, start. */
export async function replace(api: EngineApi, spec: SpecContext, name: string, oldId: string, timeout: number | null | undefined, ctx: ActionContext): Promise<void> {
  check(ctx);
  let carried: Record<string, string> = {};
  try {
    carried = await anonymousVolumes(api, spec.project, oldId);
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  const temp = `${name}_surge-new-${randomBytes(3).toString('hex')}`;
  const id = await create(api, { ...spec, carriedVolumes: carried }, temp);
  try {
    check(ctx);
    ctx.log(`replacing ${oldId.slice(0, 12)}`);
    await preStop(api, spec.service, oldId);
    await stopAndRemove(api, oldId, stopSeconds(timeout, spec.service), false, ctx.signal);
  } catch (err) {
    await api.delete(`/containers/${id}`, { query: { force: true } }).catch(() => undefined);
    throw err;
  }
  await api.post(`/containers/${id}/rename`, { query: { name } });
  await startContainer(api, spec.project, spec.service, id);
}

export async function start(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  await startContainer(api, project, s, id);
}

/** A second Ctrl-C (abort) cuts a graceful stop short with a kill instead of waiting out the grace period. */
export async function stop(api: EngineApi, id: string, timeout: number | null | undefined, s: Service | undefined, signal?: AbortSignal): Promise<void> {
  await preStop(api, s, id);
  const kill = (): void => void api.post(`/containers/${id}/kill`).catch(() => undefined);
  signal?.addEventListener('abort', kill, { once: true });
  try {
    await api.post(`/containers/${id}/stop`, { query: { t: stopSeconds(timeout, s) } });
  } catch (err) {
    // 304: already stopped; 404: already gone.
    const code = (err as { statusCode?: number }).statusCode;
    if (code !== 304 && code !== 404) throw err;
  } finally {
    signal?.removeEventListener('abort', kill);
  }
}

export async function stopAndRemove(api: EngineApi, id: string, seconds: number, removeAnonymousVolumes: boolean, signal?: AbortSignal): Promise<void> {
  await stop(api, id, seconds, undefined, signal);
  try {
    await api.delete(`/containers/${id}`, { query: { v: removeAnonymousVolumes, force: true } });
  } catch (err) {
    if (!notFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
  }
}

/** Anonymous volumes go only when asked (`down --volumes`): they hold data too, and compose keeps them. */
export async function remove(api: EngineApi, id: string, timeout: number | null | undefined, s: Service | undefined, removeVolumes: boolean, signal?: AbortSignal): Promise<void> {
  await preStop(api, s, id);
  await stopAndRemove(api, id, stopSeconds(timeout, s), removeVolumes, signal);
}
