// The plan's first actions: images to pull or build (every other action waits for all of them, so a failed pull or
// build leaves the stack untouched), then the networks and volumes the selected services use.
import { UserError } from '../model/errors.js';
import { networkConfigHash, volumeConfigHash } from '../model/config-hash.js';
import type { DriverKind, Project, Service } from '../model/model.js';
import { imageRef } from '../model/naming.js';
import type { ObservedState } from '../model/observed.js';
import type { Action, Op } from '../model/plan-types.js';
import { planDuplicateNetworks, rankCopies } from './duplicate-networks.js';
import { compareText } from '../model/order.js';

export interface ImagePolicy {
  /** rebuild images of services with `build` */
  build?: boolean;
  pull?: 'always' | 'missing' | 'never';
}

/** compose's pull_policy as the plan reads it; the refresh policies (daily, weekly, every_…) pull when missing. */
function servicePull(policy: string | null): 'always' | 'missing' | 'never' {
  return policy === 'always' || policy === 'never' ? policy : 'missing';
}

/** Image actions for the selected services, sorted by id; builders first, so a service naming a built image uses it. */
export function imageActions(project: Project, observed: ObservedState, selected: string[], policy: ImagePolicy): Action[] {
  const actions = new Map<string, Action>();
  const buildersFirst = [...selected].sort((a, b) => Number(!project.services[a]?.build) - Number(!project.services[b]?.build));
  for (const name of buildersFirst) {
    const s = project.services[name] as Service;
    if (s.driver === 'process') continue;
    const ref = imageRef(project, s);
    if (actions.has(ref)) continue;
    const present = observed.images[ref] !== undefined && observed.images[ref] !== null;
    // The service's pull_policy, unless the command line asks for `always` or `never` (compose's precedence).
    const pull = policy.pull === 'always' || policy.pull === 'never' ? policy.pull : servicePull(s.pull_policy);
    let op: Op | null = null;
    let reason = '';
    if (!present) {
      if (!s.build && pull === 'never') {
        const why = policy.pull === 'never' ? '--pull never' : 'pull_policy = "never"';
        throw new UserError(`service ${name}: image "${ref}" is not present and ${why} forbids pulling it`, 'precondition');
      }
      op = 'create';
      reason = s.build ? 'not present locally: build' : 'not present locally: pull';
    } else if (s.build && (policy.build || s.pull_policy === 'build')) {
      op = 'update';
      reason = policy.build ? 'rebuild requested (--build)' : 'rebuild (pull_policy = "build")';
    } else if (!s.build && pull === 'always') {
      op = 'update';
      reason = policy.pull === 'always' ? 'pull requested (--pull always)' : 'pull (pull_policy = "always")';
    }
    if (op) {
      actions.set(ref, {
        id: `image:${ref}`,
        kind: 'image',
        name: ref,
        op,
        reason,
        dependsOn: [],
        driver: s.driver,
        image: { ref, buildService: s.build ? name : null, refresh: op === 'update' },
      });
    }
  }
  return [...actions.values()].sort((a, b) => compareText(a.id, b.id));
}

export interface ResourcePlan {
  actions: Action[];
  /** network name → ids of the actions services on it wait for (its create, or the removal of its empty duplicates) */
  networkActions: Map<string, string[]>;
  volumeActions: Map<string, string>;
  unchanged: number;
  notices: string[];
}

/** Networks and volumes the selected container services use: created when missing, never replaced (a notice says so). */
export function resourceActions(project: Project, observed: ObservedState, selected: string[], dependsOn: string[]): ResourcePlan {
  const out: ResourcePlan = { actions: [], networkActions: new Map(), volumeActions: new Map(), unchanged: 0, notices: [] };
  // A network goes where its services run (one engine, or a Swarm's manager); named volumes on a Swarm are made by
  // each node when a task first mounts them.
  const usedNetworks = new Map<string, DriverKind>();
  const usedVolumes = new Set<string>();
  for (const name of selected) {
    const s = project.services[name] as Service;
    if (s.driver === 'process') continue;
    Object.keys(s.networks).forEach((n) => usedNetworks.set(n, s.driver));
    if (s.driver === 'docker') s.volumes.forEach((m) => m.type === 'volume' && m.source && usedVolumes.add(m.source));
  }
  for (const [name, driver] of [...usedNetworks.entries()].sort(([a], [b]) => compareText(a, b))) {
    const n = project.networks[name];
    if (!n) continue;
    if (n.external) {
      const engineName = n.external_name ?? n.name;
      if (observed.externals[engineName] === false) {
        throw new UserError(`external network "${engineName}" (networks.${name}) does not exist; create it first`, 'precondition');
      }
      continue;
    }
    const hash = networkConfigHash(n);
    const copies = rankCopies(observed.networks.filter((o) => o.name === name), hash);
    const live = copies[0];
    const duplicates = planDuplicateNetworks(name, copies, dependsOn);
    out.actions.push(...duplicates.actions);
    out.notices.push(...duplicates.notices);
    if (duplicates.actions.length) out.networkActions.set(name, duplicates.actions.map((a) => a.id));
    if (!live) {
      const id = `network:${name}`;
      out.networkActions.set(name, [id]);
      out.actions.push({
        id,
        kind: 'network',
        name,
        op: 'create',
        reason: 'not found',
        dependsOn,
        driver,
        configHash: hash,
        network: { driver: n.driver, quic: n.quic, encryption: n.encryption },
      });
    } else {
      out.unchanged++;
      if (live.configHash !== hash) {
        out.notices.push(
          `network ${name} (${live.engineName}) differs from the Boltfile; surge does not replace a network in use: run \`surge down\` and \`surge up\` to apply it`,
        );
      }
    }
    if (n.encryption && n.driver !== 'overlay') {
      out.notices.push(`network ${name}: encryption = true is not enforced: traffic on this network stays on this host; encryption is enforced on swarm overlay networks`);
    }
  }
  for (const name of [...usedVolumes].sort()) {
    const v = project.volumes[name];
    if (!v) continue;
    if (v.external) {
      const engineName = v.external_name ?? v.name;
      if (observed.externals[engineName] === false) {
        throw new UserError(`external volume "${engineName}" (volumes.${name}) does not exist; create it first`, 'precondition');
      }
      continue;
    }
    const live = observed.volumes.find((o) => o.name === name);
    const hash = volumeConfigHash(v);
    if (!live) {
      const id = `volume:${name}`;
      out.volumeActions.set(name, id);
      out.actions.push({ id, kind: 'volume', name, op: 'create', reason: 'not found', dependsOn, driver: 'docker', configHash: hash });
    } else {
      out.unchanged++;
      if (live.configHash !== hash) {
        out.notices.push(`volume ${name} (${live.engineName}) differs from the Boltfile; surge never recreates a volume (data is sacred): \`surge down --volumes\` removes it`);
      }
    }
  }
  return out;
}
