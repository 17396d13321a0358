// `surge down`: takes the project away, dependents first, then networks, then (only when asked) named volumes and
// images. Pure, like every planner function.
import type { DriverKind, Project } from '../model/model.js';
import { imageRef, serviceActionId } from '../model/naming.js';
import type { ObservedContainer, ObservedState } from '../model/observed.js';
import type { Action, Plan } from '../model/plan-types.js';
import { copyActionId } from './duplicate-networks.js';
import { observedFingerprint, summarize } from './fingerprint.js';
import { swarmDownActions, swarmVolumesLeft } from './plan-swarm-down.js';
import { compareText } from '../model/order.js';

export interface DownOptions {
  removeVolumes?: boolean;
  removeOrphans?: boolean;
  timeoutSeconds?: number | null;
  /** remove images: local (built by surge) or all */
  rmi?: 'local' | 'all' | null;
}

/**
 * Takes the project away: containers in reverse dependency order (dependents first), then networks, then, only
 * when asked, named volumes. Without the model (no Boltfile), everything labelled with the project goes.
 */
export function planDown(project: Project, observed: ObservedState, options: DownOptions = {}): Plan {
  const actions: Action[] = [];
  const removalIds = new Map<string, string[]>();
  // `down` takes away the services the active profiles leave out too: they are the project's, and their containers hold its networks.
  const known = (service: string): boolean => Boolean(project.services[service]) || project.disabled_services.includes(service);
  const containers = observed.containers.filter((c) => known(c.service) || options.removeOrphans || c.oneoff);
  const idOf = new Map<ObservedContainer, string>();
  const used = new Set<string>();
  for (const c of containers) {
    // One-offs and the new halves of interrupted replacements share their replica's number: their own id tells them apart.
    let id = `${serviceActionId(c.service, c.replica)}${c.oneoff || c.pendingReplacement ? `:${c.id.slice(0, 12)}` : ''}`;
    // The same replica can exist under two drivers after a service moved from one to the other.
    if (used.has(id)) id = `${id}@${c.driver}`;
    if (used.has(id)) id = `${serviceActionId(c.service, c.replica)}:${c.id.slice(0, 12)}`;
    used.add(id);
    idOf.set(c, id);
    const list = removalIds.get(c.service) ?? [];
    list.push(id);
    removalIds.set(c.service, list);
  }
  const notices: string[] = [];
  for (const c of observed.containers) {
    if (!containers.includes(c)) notices.push(`orphan ${c.name} is kept: service "${c.service}" is not in the Boltfile; add --remove-orphans to remove it`);
  }
  const swarm = swarmDownActions(project, observed, options, (service) => dependentsOf(service));
  // A container or Swarm service is removed only after what depends on it is gone.
  const dependentsOf = (service: string): string[] =>
    Object.values(project.services)
      .filter((s) => s.depends_on[service])
      .flatMap((s) => [...(removalIds.get(s.name) ?? []), ...swarm.idsOf(s.name)]);
  for (const c of containers) {
    const dependents = dependentsOf(c.service);
    actions.push({
      id: idOf.get(c) as string,
      kind: 'service',
      name: c.service,
      op: 'remove',
      reason: c.oneoff ? 'one-off container' : known(c.service) ? 'down' : 'orphan',
      dependsOn: dependents,
      driver: c.driver,
      replica: c.replica,
      containerId: c.id,
      containerName: c.name,
      timeoutSeconds: options.timeoutSeconds ?? null,
      ...(options.removeVolumes ? { removeVolumes: true } : {}),
    });
  }
  actions.push(...swarm.actions());
  notices.push(...swarm.notices);
  const allContainerActions = actions.map((a) => a.id);
  const networks = [...observed.networks].sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  // A kept orphan container is still attached: the engine would refuse to remove its network ("has active
  // endpoints"), so the networks stay, as compose leaves a network that is still in use.
  const keptOnNetworks = observed.containers.some((c) => c.driver === 'docker' && !containers.includes(c)) || swarm.keptOrphans;
  if (keptOnNetworks && networks.length) {
    notices.push(`networks are kept (${[...new Set(networks.map((n) => n.name))].join(', ')}): orphan containers still use them; add --remove-orphans to remove both`);
  } else {
    // Every copy of a network the engine holds twice goes, each by its own id.
    for (const n of networks) {
      const first = networks.find((x) => x.name === n.name) === n;
      const reason = first ? 'down' : 'down (duplicate network)';
      actions.push({ id: copyActionId(n.name, n, first), kind: 'network', name: n.name, op: 'remove', reason, dependsOn: allContainerActions, driver: n.driver ?? 'docker', objectId: n.id });
    }
  }
  if (options.removeVolumes) {
    // A kept orphan still mounting a volume would make the engine refuse ("volume is in use"): that one stays.
    const inUse = new Set(observed.containers.filter((c) => !containers.includes(c)).flatMap((c) => c.volumes ?? []));
    const kept = observed.volumes.filter((v) => inUse.has(v.engineName)).map((v) => v.name).sort();
    if (kept.length) notices.push(`volumes are kept (${kept.join(', ')}): orphan containers still use them; add --remove-orphans to remove both`);
    const volumeIds = new Set<string>();
    for (const v of observed.volumes.filter((x) => !inUse.has(x.engineName)).sort((a, b) => compareText(a.name, b.name))) {
      // Two volumes labelled with one name (one made by hand): each goes by its engine name.
      const id = volumeIds.has(`volume:${v.name}`) ? `volume:${v.name}:${v.engineName}` : `volume:${v.name}`;
      volumeIds.add(id);
      actions.push({ id, kind: 'volume', name: v.name, op: 'remove', reason: 'down --volumes', dependsOn: allContainerActions, driver: v.driver ?? 'docker', objectId: v.engineName });
    }
    notices.push(...swarmVolumesLeft(project, observed));
  } else if (observed.volumes.length) {
    notices.push(`named volumes are kept (${observed.volumes.map((v) => v.name).sort().join(', ')}); \`surge down --volumes\` removes them`);
  }
  if (options.rmi) {
    const refs = new Map<string, DriverKind>();
    const named = new Set<string>();
    for (const s of Object.values(project.services)) {
      if (s.driver === 'process') continue;
      if (options.rmi === 'all' || (s.build && !s.image)) refs.set(imageRef(project, s), s.driver);
      else if (s.build && s.image) named.add(s.image);
    }
    // As compose: `local` removes the images surge named itself; one the Boltfile names may be shared, so it stays.
    for (const ref of [...named].filter((r) => !refs.has(r) && observed.images[r]).sort()) {
      notices.push(`image ${ref} is kept: the Boltfile names it (\`image\`), so --rmi local leaves it; --rmi all removes it`);
    }
    for (const [ref, driver] of [...refs.entries()].sort(([a], [b]) => compareText(a, b))) {
      if (!observed.images[ref]) continue;
      actions.push({ id: `image:${ref}`, kind: 'image', name: ref, op: 'remove', reason: `down --rmi ${options.rmi}`, dependsOn: allContainerActions, driver });
    }
  }
  return { project: project.name, actions, summary: summarize(actions, 0), notices, observedFingerprint: observedFingerprint(observed) };
}
