// Container lifecycle as plan actions say: create+start, safe replacement, finishing an interrupted one, start, stop,
// remove. Before each start the service's environment/content secrets and configs are copied in; after it, its
// post_start hooks run; before a stop, its pre_stop hooks (compose's order). The engine's answers about the state it is in are facts to act on, not failures: starting a running
// container (304), stopping a stopped one (304), removing one already gone (404), and a name already taken by a
// container of the same project, service and replica (409: a killed run's request that landed late, or another run).
//
// Replacement: create the new container under a temporary name → stop the old one → remove it → rename → start. A
// kill at any point leaves a state the next plan recognises (src/planner/interrupted-replacement.ts).
//
// Test hook: SURGE_TEST_CRASH_AFTER=<step> kills this process (SIGKILL, as `kill -9` would) right after that step,
// so engine tests can cut the sequence at each point deterministically. Steps: `create` (a new container, created
// and connected, not started), `create-temp`, `stop-old`, `remove-old`, `rename`. Unset, it does nothing.
import { randomBytes } from 'node:crypto';
import { CancelledError, EngineError, errorMessage } from '../../model/errors.js';
import type { Project, Service } from '../../model/model.js';
import { LABEL, replacementName, volumeEngineName } from '../../model/naming.js';
import type { ActionContext } from '../driver.js';
import { endpointSettings } from './container-endpoints.js';
import { copyFilesIn } from './container-files.js';
import { runHooks } from './container-hooks.js';
import { containerCreateOptions, engineNetworkName, type SpecContext } from './container-spec.js';
import type { ContainerInspect, EngineApi } from './engine-api.js';
import { notFound } from './resources.js';

type CrashStep = 'create' | 'create-temp' | 'stop-old' | 'remove-old' | 'rename';

function crashPoint(step: CrashStep): void {
  if (process.env.SURGE_TEST_CRASH_AFTER === step) process.kill(process.pid, 'SIGKILL');
}

function status(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

function check(ctx: ActionContext): void {
  if (ctx.signal.aborted) throw new CancelledError();
}

function stopSeconds(timeout: number | null | undefined, s: Service | undefined): number {
  if (timeout !== null && timeout !== undefined) return timeout;
  if (s?.stop_grace_period_ms != null) return Math.ceil(s.stop_grace_period_ms / 1000);
  return 10;
}

/** Connects the service's networks after the first (the create request carries only one), skipping those it is on. */
async function connectOtherNetworks(api: EngineApi, project: Project, s: Service, id: string, connected: string[] = []): Promise<void> {
  for (const name of Object.keys(s.networks).slice(1)) {
    const engineName = engineNetworkName(project, name);
    if (connected.includes(engineName)) continue;
    await api.post(`/networks/${encodeURIComponent(engineName)}/connect`, {
      body: { Container: id, EndpointConfig: endpointSettings(project, s, name, false) },
    });
  }
}

/**
 * A container made before a kill may have missed the networks connected after its create: connect what is missing.
 */
async function ensureNetworks(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  if (Object.keys(s.networks).length < 2) return;
  const info = await api.get<ContainerInspect>(`/containers/${id}/json`);
  await connectOtherNetworks(api, project, s, id, Object.keys(info.NetworkSettings?.Networks ?? {}));
}

async function startContainer(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  await copyFilesIn(api, project, s, id);
  try {
    await api.post(`/containers/${id}/start`);
  } catch (err) {
    // 304: it runs already (a killed run's start landed late, or someone started it): what the plan wanted.
    if (status(err) === 304) return;
    throw new EngineError(`service ${s.name}: cannot start its container: ${errorMessage(err)}${ambiguityHint(err)}`);
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

/** Creates the container; the engine's error is thrown as it is (callers read its status). */
async function create(api: EngineApi, spec: SpecContext, name: string): Promise<string> {
  const { name: _name, platform, ...body } = containerCreateOptions(spec, name);
  const c = await api.post<{ Id: string }>('/containers/create', { query: { name, platform }, body });
  await connectOtherNetworks(api, spec.project, spec.service, c.Id);
  return c.Id;
}

function createFailed(spec: SpecContext, name: string, err: unknown): EngineError {
  return new EngineError(`service ${spec.service.name}: cannot create container ${name}: ${errorMessage(err)}${ambiguityHint(err)}`);
}

/** "network … is ambiguous": two networks with one name, which the next plan sorts out. */
function ambiguityHint(err: unknown): string {
  return /network .* is ambiguous/.test(errorMessage(err)) ? ' (two networks have that name, made by two runs at once: `surge up` again removes the empty one)' : '';
}

/**
 * The container that holds `name`, when it is this replica's (same project, service and replica labels, not a
 * one-off); a typed error naming it otherwise: surge never removes what it did not make for this replica.
 */
async function ourNameTaker(api: EngineApi, spec: SpecContext, name: string): Promise<ContainerInspect> {
  const info = await api.get<ContainerInspect>(`/containers/${encodeURIComponent(name)}/json`);
  const l = info.Config?.Labels ?? {};
  const ours =
    l[LABEL.project] === spec.project.name && l[LABEL.service] === spec.service.name && Number(l[LABEL.replica] ?? 1) === spec.replica && l[LABEL.oneoff] !== 'true';
  if (!ours) {
    throw new EngineError(
      `service ${spec.service.name}: the name ${name} is taken by container ${info.Id.slice(0, 12)}, which surge did not make for this replica: remove or rename it, then run \`surge up\` again`,
    );
  }
  return info;
}

/**
 * The holder of a name the engine refused (409) on a create; null when none appears. Another run's create holds the
 * name a moment before the container can be inspected: a 404 is asked again, briefly.
 */
async function nameTakerOnceCreated(api: EngineApi, spec: SpecContext, name: string): Promise<ContainerInspect | null> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    try {
      return await ourNameTaker(api, spec, name);
    } catch (err) {
      if (!notFound(err)) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  return null;
}

/** `start = false`: created only (`surge create`). */
export async function createAndStart(api: EngineApi, spec: SpecContext, name: string, ctx: ActionContext, start = true): Promise<string> {
  check(ctx);
  let id: string;
  try {
    id = await create(api, spec, name);
  } catch (err) {
    if (status(err) !== 409) throw createFailed(spec, name, err);
    // The replica exists after all (made after this plan observed the stack): use it, or replace it.
    const taker = await nameTakerOnceCreated(api, spec, name);
    if (!taker) throw createFailed(spec, name, err);
    if (taker.Config?.Labels?.[LABEL.configHash] !== spec.configHash) {
      ctx.log(`${name} appeared meanwhile with another config: replacing it`);
      return replace(api, spec, name, taker.Id, null, ctx);
    }
    ctx.log(`${name} appeared meanwhile with this config: starting it`);
    id = taker.Id;
    await ensureNetworks(api, spec.project, spec.service, id);
  }
  crashPoint('create');
  check(ctx);
  if (start) await startContainer(api, spec.project, spec.service, id);
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
export async function replace(api: EngineApi, spec: SpecContext, name: string, oldId: string, timeout: number | null | undefined, ctx: ActionContext, start = true): Promise<string> {
  check(ctx);
  let carried: Record<string, string> = {};
  try {
    carried = await anonymousVolumes(api, spec.project, oldId);
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  const temp = replacementName(name, randomBytes(3).toString('hex'));
  let id: string;
  try {
    id = await create(api, { ...spec, carriedVolumes: carried }, temp);
  } catch (err) {
    throw createFailed(spec, temp, err);
  }
  crashPoint('create-temp');
  try {
    check(ctx);
    ctx.log(`replacing ${oldId.slice(0, 12)}`);
    await preStop(api, spec.service, oldId);
    await stop(api, oldId, stopSeconds(timeout, spec.service), undefined, ctx.signal);
    crashPoint('stop-old');
    await removeContainer(api, oldId, false);
    crashPoint('remove-old');
  } catch (err) {
    await api.delete(`/containers/${id}`, { query: { force: true } }).catch(() => undefined);
    throw err;
  }
  await takeName(api, spec, id, name, ctx);
  crashPoint('rename');
  if (start) await startContainer(api, spec.project, spec.service, id);
  return id;
}

/**
 * Renames the new container of a replacement to the replica's name. A container of this replica that took the name
 * meanwhile (another run), or that the engine is still removing, goes first: this one has the config the plan wants.
 */
async function takeName(api: EngineApi, spec: SpecContext, id: string, name: string, ctx: ActionContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.post(`/containers/${id}/rename`, { query: { name } });
      return;
    } catch (err) {
      if (status(err) !== 409 || attempt === 5) throw new EngineError(`service ${spec.service.name}: cannot rename its new container to ${name}: ${errorMessage(err)}`);
    }
    let taker: ContainerInspect;
    try {
      taker = await ourNameTaker(api, spec, name);
    } catch (err) {
      if (notFound(err)) continue;
      throw err;
    }
    if (taker.Id === id) return;
    ctx.log(`${name} is taken by ${taker.Id.slice(0, 12)} of this replica: removing it`);
    await stop(api, taker.Id, stopSeconds(null, spec.service), undefined, ctx.signal);
    await removeContainer(api, taker.Id, false);
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}

/**
 * The last steps of an interrupted replacement: the new container, still under its temporary name, takes the replica's
 * name and starts.
 */
export async function finishReplacement(api: EngineApi, spec: SpecContext, name: string, id: string, ctx: ActionContext): Promise<void> {
  check(ctx);
  await takeName(api, spec, id, name, ctx);
  await ensureNetworks(api, spec.project, spec.service, id);
  await startContainer(api, spec.project, spec.service, id);
}

export async function start(api: EngineApi, project: Project, s: Service, id: string): Promise<void> {
  await ensureNetworks(api, project, s, id);
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
    const code = status(err);
    if (code !== 304 && code !== 404) throw err;
  } finally {
    signal?.removeEventListener('abort', kill);
  }
}

/** 404: already gone; 409: the engine is removing it already. */
async function removeContainer(api: EngineApi, id: string, removeAnonymousVolumes: boolean): Promise<void> {
  try {
    await api.delete(`/containers/${id}`, { query: { v: removeAnonymousVolumes, force: true } });
  } catch (err) {
    if (!notFound(err) && status(err) !== 409) throw err;
  }
}

export async function stopAndRemove(api: EngineApi, id: string, seconds: number, removeAnonymousVolumes: boolean, signal?: AbortSignal): Promise<void> {
  await stop(api, id, seconds, undefined, signal);
  await removeContainer(api, id, removeAnonymousVolumes);
}

/** Anonymous volumes go only when asked (`down --volumes`): they hold data too, and compose keeps them. */
export async function remove(api: EngineApi, id: string, timeout: number | null | undefined, s: Service | undefined, removeVolumes: boolean, signal?: AbortSignal): Promise<void> {
  await preStop(api, s, id);
  await stopAndRemove(api, id, stopSeconds(timeout, s), removeVolumes, signal);
}
