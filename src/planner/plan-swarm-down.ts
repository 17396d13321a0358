// `down` on a Swarm: each service of the project is removed (dependents first); its networks go after them. Named
// volumes are the nodes' own: surge removes the copy on the node it talks to and says on which nodes one may remain.
// Pure.
import type { Project } from '../model/model.js';
import { volumeEngineName } from '../model/naming.js';
import type { ObservedState, ObservedSwarmService } from '../model/observed.js';
import type { Action } from '../model/plan-types.js';
import { swarmActionId } from './plan-swarm.js';
import { compareText } from '../model/order.js';

export interface SwarmDown {
  /** the ids of a service's removal actions (dependencies wait for them) */
  idsOf(service: string): string[];
  /** the removals, once every id is known */
  actions(): Action[];
  notices: string[];
  /** orphan services are kept: their networks stay too */
  keptOrphans: boolean;
}

export function swarmDownActions(
  project: Project,
  observed: ObservedState,
  options: { removeOrphans?: boolean; timeoutSeconds?: number | null },
  dependentsOf: (service: string) => string[],
): SwarmDown {
  const all = [...(observed.swarmServices ?? [])].sort((a, b) => compareText(a.service, b.service));
  const removed: ObservedSwarmService[] = [];
  const notices: string[] = [];
  for (const live of all) {
    if (project.services[live.service] || options.removeOrphans) removed.push(live);
    else notices.push(`orphan ${live.name} is kept: service "${live.service}" is not in the Boltfile; add --remove-orphans to remove it`);
  }
  const ids = new Map(removed.map((l) => [l.service, swarmActionId(l.service)]));
  return {
    idsOf: (service) => {
      const id = ids.get(service);
      return id ? [id] : [];
    },
    actions: () => {
      const actions = removed.map((live) => ({
        id: swarmActionId(live.service),
        kind: 'service' as const,
        name: live.service,
        op: 'remove' as const,
        reason: project.services[live.service] ? 'down' : 'orphan',
        dependsOn: dependentsOf(live.service).filter((d) => d !== swarmActionId(live.service)),
        driver: 'swarm' as const,
        swarm: { serviceName: live.name, serviceId: live.id, version: live.version, replicasOnly: false, force: false } as NonNullable<Action['swarm']>,
        timeoutSeconds: options.timeoutSeconds ?? null,
      }));
      // A removal that another waits for (a dependency outlives its dependents) ends only once its tasks are gone.
      for (const a of actions) if (actions.some((o) => o.dependsOn.includes(a.id)) && a.swarm) a.swarm.awaitGone = true;
      return actions;
    },
    notices,
    keptOrphans: removed.length < all.length,
  };
}

/**
 * `down --volumes` on a Swarm: the nodes where tasks that mount a named volume ran (other than the one surge talks
 * to) may keep their copy of it; say which, and how to remove it there.
 */
export function swarmVolumesLeft(project: Project, observed: ObservedState): string[] {
  const swarm = observed.swarm;
  if (!swarm || !observed.swarmServices?.length) return [];
  const hostname = (id: string | null): string | null => swarm.nodes.find((n) => n.id === id)?.hostname ?? null;
  const local = hostname(swarm.localNodeId) ?? 'the manager';
  const notices: string[] = [];
  for (const v of Object.values(project.volumes).sort((a, b) => compareText(a.name, b.name))) {
    if (v.external) continue;
    const users = new Set(Object.values(project.services).filter((s) => s.driver === 'swarm' && s.volumes.some((m) => m.type === 'volume' && m.source === v.name)).map((s) => s.name));
    const nodes = new Set<string>();
    for (const live of observed.swarmServices) {
      if (!users.has(live.service)) continue;
      for (const t of live.tasks) if (t.nodeId && t.nodeId !== swarm.localNodeId) nodes.add(hostname(t.nodeId) ?? t.nodeId);
    }
    if (!nodes.size) continue;
    const engineName = volumeEngineName(project.name, v.name);
    notices.push(
      `volume ${v.name} may remain on ${[...nodes].sort().join(', ')}: surge removes volumes only on the node it talks to (${local}); remove it there with \`docker volume rm ${engineName}\``,
    );
  }
  return notices;
}
