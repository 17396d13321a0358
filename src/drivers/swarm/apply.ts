// Carries out a Swarm service action as the plan says: create; update in place at the version the plan saw (the
// manager refuses a stale one), followed until the rollout completes or is rolled back; scale; remove, waiting until
// the service's tasks are gone so its networks can go. The tasks' own error messages say why a rollout failed.
import { EngineError, errorMessage } from '../../model/errors.js';
import type { Project, Service } from '../../model/model.js';
import { imageRef, LABEL } from '../../model/naming.js';
import type { Action } from '../../model/plan-types.js';
import type { ActionContext } from '../driver.js';
import type { EngineApi } from '../docker/engine-api.js';
import { digestFor, listProjectTasks, type SwarmServiceInfo, type SwarmTaskInfo } from './observe.js';
import { fileReferences, pruneFiles } from './files.js';
import { sleep } from '../../model/sleep.js';
import { statusOf } from './util.js';
import { pinnedImage, serviceSpec, type ServiceSpec } from './service-spec.js';
import { compareText } from '../../model/order.js';

const POLL_MS = 300;
/** A rollout shows in UpdateStatus at once; one that has not after this never started (nothing in the tasks changed). */
const ROLLOUT_START_MS = 5_000;

interface ServiceInspect extends SwarmServiceInfo {
  Spec: SwarmServiceInfo['Spec'] & ServiceSpec;
}

/** The image to deploy: the manager's local id (to see a rebuild later) and its registry digest, when it has one. */
async function imageFacts(api: EngineApi, ref: string): Promise<{ id: string | null; digest: string | null }> {
  try {
    const img = await api.get<{ Id: string; RepoDigests?: string[] | null }>(`/images/${encodeURIComponent(ref)}/json`);
    return { id: img.Id, digest: digestFor(ref, img.RepoDigests ?? []) };
  } catch (err) {
    if (statusOf(err) === 404) return { id: null, digest: null };
    throw err;
  }
}

async function specFor(api: EngineApi, project: Project, s: Service, action: Action, version: string, forceUpdate: number): Promise<ServiceSpec> {
  const [image, files] = await Promise.all([imageFacts(api, imageRef(project, s)), fileReferences(api, project, s)]);
  return serviceSpec({ project, service: s, configHash: action.configHash ?? '', configSalt: action.configSalt ?? null, surgeVersion: version, image: pinnedImage(project, s, image.digest), imageId: image.id, forceUpdate, files });
}

function needService(project: Project, action: Action): Service {
  const s = project.services[action.name];
  if (!s) throw new Error(`bug: no service ${action.name} in the model for ${action.op}`);
  return s;
}

export async function createService(api: EngineApi, project: Project, action: Action, version: string): Promise<void> {
  const spec = await specFor(api, project, needService(project, action), action, version, 0);
  try {
    await api.post('/services/create', { body: spec });
  } catch (err) {
    if (statusOf(err) === 409) {
      throw new EngineError(`service ${spec.Name} already exists on the Swarm (created by someone else since the plan was made); run \`surge up\` again`, 'engine', { cause: err });
    }
    throw err;
  }
}

async function inspect(api: EngineApi, id: string): Promise<ServiceInspect | null> {
  try {
    return await api.get<ServiceInspect>(`/services/${encodeURIComponent(id)}`);
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** Why a rollout failed, in the tasks' own words: the errors of the tasks that failed since it started. */
async function taskErrors(api: EngineApi, project: Project, serviceId: string, since: string | null): Promise<string[]> {
  const tasks = await listProjectTasks(api, project.name).catch((): SwarmTaskInfo[] => []);
  const errors = tasks
    .filter((t) => t.ServiceID === serviceId && t.Status.Err && (!since || t.CreatedAt >= since))
    .sort((a, b) => compareText(b.Status.Timestamp, a.Status.Timestamp))
    .map((t) => t.Status.Err as string);
  return [...new Set(errors)].slice(0, 3);
}

export async function updateService(api: EngineApi, project: Project, action: Action, version: string, ctx: ActionContext): Promise<void> {
  const step = action.swarm;
  if (!step?.serviceId) throw new Error(`bug: update of ${action.id} without a service id`);
  const live = await inspect(api, step.serviceId);
  if (!live) throw new EngineError(`service ${step.serviceName} is gone from the Swarm since the plan was made; run \`surge up\` again`);
  if (step.version !== null && live.Version.Index !== step.version) {
    throw new EngineError(
      `service ${step.serviceName} changed on the Swarm since the plan was made (version ${step.version} → ${live.Version.Index}); nothing was sent. Run \`surge up\` again`,
    );
  }
  const s = needService(project, action);
  let spec: ServiceSpec;
  if (step.replicasOnly) {
    // The live spec as it is: only the replica count, and for a restart ForceUpdate, change.
    spec = { ...live.Spec };
    const mode = live.Spec.Mode as { Replicated?: { Replicas?: number } };
    if (mode.Replicated) spec.Mode = { Replicated: { Replicas: s.replicas } };
    if (step.force) spec.TaskTemplate = { ...live.Spec.TaskTemplate, ForceUpdate: (live.Spec.TaskTemplate.ForceUpdate ?? 0) + 1 };
  } else {
    spec = await specFor(api, project, s, action, version, (live.Spec.TaskTemplate.ForceUpdate ?? 0) + (step.force ? 1 : 0));
  }
  const before = live.UpdateStatus?.StartedAt ?? null;
  const rollsOut = step.force || (!step.replicasOnly && JSON.stringify(spec.TaskTemplate) !== JSON.stringify(live.Spec.TaskTemplate));
  try {
    await api.post(`/services/${encodeURIComponent(step.serviceId)}/update`, { query: { version: live.Version.Index }, body: spec });
  } catch (err) {
    if (/update out of sequence/.test(errorMessage(err))) {
      throw new EngineError(`service ${step.serviceName} changed on the Swarm while surge updated it; run \`surge up\` again`, 'engine', { cause: err });
    }
    throw err;
  }
  if (rollsOut) await followRollout(api, project, step.serviceId, step.serviceName, before, ctx);
  // Secrets and configs of the version before are no longer mounted (a rolled-back rollout kept them).
  await pruneFiles(api, project);
}

/**
 * Follows a rolling update to its end: completed is done; rolled back or paused is a failure that says what the
 * tasks said. A Swarm sets UpdateStatus when the update starts: one whose StartedAt is not the previous one's.
 */
async function followRollout(api: EngineApi, project: Project, id: string, name: string, before: string | null, ctx: ActionContext): Promise<void> {
  let told = '';
  let why = '';
  const started = Date.now();
  for (;;) {
    const live = await inspect(api, id);
    if (!live) throw new EngineError(`service ${name} was removed from the Swarm during its rollout`);
    const u = live.UpdateStatus;
    const ours = u?.State && u.StartedAt !== before;
    if (ours) {
      if (u.State !== told) {
        told = u.State ?? '';
        ctx.log(`rollout: ${u.State}${u.Message ? ` (${u.Message})` : ''}`);
        // The message that says why ("update rolled back due to failure or early termination of task …") comes first.
        if (u.State === 'rollback_started' || u.State === 'paused') why = u.Message ?? '';
      }
      if (u.State === 'completed') return;
      if (u.State === 'rollback_completed' || u.State === 'paused' || u.State === 'rollback_paused') {
        const errors = await taskErrors(api, project, id, u.StartedAt ?? null);
        const what = u.State === 'rollback_completed' ? 'failed and was rolled back: the previous version runs' : u.State === 'paused' ? 'failed and is paused (update_config.failure_action = "pause")' : 'failed, and so did its rollback';
        throw new EngineError(`the rollout of ${name} ${what} (${why || u.Message || ''})${errors.length ? `: ${errors.join('; ')}` : ''}`);
      }
    } else if (Date.now() - started > ROLLOUT_START_MS) {
      // The manager started no rollout (nothing in the tasks changed after all): the update is done.
      return;
    }
    await sleep(POLL_MS, ctx.signal);
  }
}

/** Removes a service, then waits until its tasks are gone (a node that is down is not waited for). */
export async function removeService(api: EngineApi, project: Project, action: Action, ctx: ActionContext, downNodes: () => Promise<Set<string>>): Promise<void> {
  const step = action.swarm;
  if (!step?.serviceId) throw new Error(`bug: remove of ${action.id} without a service id`);
  try {
    await api.delete(`/services/${encodeURIComponent(step.serviceId)}`);
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  if (step.awaitGone || action.op === 'recreate') {
    const grace = (project.services[action.name]?.stop_grace_period_ms ?? 10_000) + 30_000;
    await tasksGone(api, project, (t) => t.ServiceID === step.serviceId, `the tasks of ${step.serviceName}`, grace, ctx, downNodes);
  }
  if (action.op === 'remove') await pruneFiles(api, project);
}

/**
 * Waits until no task matching `which` is left, ignoring nodes that are down. The manager lists a removed service's
 * tasks (desired state "remove") until each node has stopped its container; a network the service used can be
 * removed only after that, or the nodes keep a stale copy of it (docs/swarm-api-notes.md).
 */
export async function tasksGone(
  api: EngineApi,
  project: Project,
  which: (t: SwarmTaskInfo) => boolean,
  what: string,
  limitMs: number,
  ctx: ActionContext,
  downNodes: () => Promise<Set<string>>,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  let told = false;
  for (;;) {
    const [tasks, down] = await Promise.all([listProjectTasks(api, project.name), downNodes()]);
    const left = tasks.filter((t) => which(t) && !(t.NodeID && down.has(t.NodeID)));
    if (!left.length) return;
    if (Date.now() > deadline) {
      ctx.log(`${left.length} of ${what} are still stopping after ${Math.round(limitMs / 1000)} s; going on`);
      return;
    }
    if (!told) {
      told = true;
      ctx.log(`waiting for ${what} to stop`);
    }
    await sleep(POLL_MS, ctx.signal);
  }
}

/**
 * After a network's removal: waits (bounded) until the manager no longer lists it. A node that ran the removed tasks
 * keeps a stale copy for a while even after the cluster dropped it (docs/swarm-api-notes.md, "Networks"), and such a
 * copy cannot be deleted (404); `down` returning means the stack is gone, so it waits that copy out, and says so.
 */
export async function networkGone(api: EngineApi, project: Project, name: string, limitMs: number, ctx: ActionContext): Promise<void> {
  const deadline = Date.now() + limitMs;
  const listed = async (): Promise<boolean> => {
    const networks = await api.get<{ Labels?: Record<string, string> | null }[]>('/networks', { query: { filters: projectFilter(project) } });
    return networks.some((n) => n.Labels?.[LABEL.network] === name);
  };
  let told = false;
  while (await listed()) {
    if (Date.now() > deadline) {
      ctx.log(`the manager still lists network ${name} after ${Math.round(limitMs / 1000)} s (a stale copy its node drops on its own); going on`);
      return;
    }
    if (!told) {
      told = true;
      ctx.log(`waiting for the manager to drop its copy of network ${name}`);
    }
    await sleep(POLL_MS, ctx.signal);
  }
}

/** The project's label filter, for list calls. */
export function projectFilter(project: Project): { label: string[] } {
  return { label: [`${LABEL.project}=${project.name}`] };
}
