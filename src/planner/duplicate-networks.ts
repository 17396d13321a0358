// Two networks with one name. The engine allows it (its duplicate check is not atomic: two `up`s racing, or a
// killed run's request landing late, each create one), and then refuses every container that names the network
// ("network … is ambiguous"). Pure: which copy stays, and what the plan does about the others.
import type { ObservedNetwork } from '../model/observed.js';
import type { Action } from '../model/plan-types.js';
import { compareText } from '../model/order.js';

/** The copy that stays first: the one in use (most attached), then the one with the desired config, the oldest, by id. */
export function rankCopies(copies: ObservedNetwork[], desiredHash: string | null): ObservedNetwork[] {
  return [...copies].sort(
    (a, b) =>
      (b.attached?.length ?? 0) - (a.attached?.length ?? 0) ||
      Number(b.configHash === desiredHash) - Number(a.configHash === desiredHash) ||
      compareText(a.created ?? '', b.created ?? '') ||
      compareText(a.id, b.id),
  );
}

/** The id of a network action on one copy: the kept one has the plain id, the others their engine id's first 12. */
export function copyActionId(name: string, copy: ObservedNetwork, kept: boolean): string {
  return kept ? `network:${name}` : `network:${name}:${copy.id.slice(0, 12)}`;
}

export interface DuplicatePlan {
  /** removals of empty extra copies */
  actions: Action[];
  notices: string[];
}

/**
 * `up` with several copies of network `name`: an extra copy nothing is attached to is removed ("duplicate network");
 * one in use cannot be (its containers would lose their network), so a notice says what to do. A copy whose
 * attachments the driver did not report is taken as in use.
 */
export function planDuplicateNetworks(name: string, ranked: ObservedNetwork[], dependsOn: string[]): DuplicatePlan {
  const out: DuplicatePlan = { actions: [], notices: [] };
  const [kept, ...extra] = ranked;
  if (!kept || !extra.length) return out;
  const inUse = extra.filter((n) => n.attached === undefined || n.attached.length > 0);
  for (const n of extra.filter((x) => !inUse.includes(x))) {
    out.actions.push({
      id: copyActionId(name, n, false),
      kind: 'network',
      name,
      op: 'remove',
      reason: `duplicate network: ${n.engineName} ${n.id.slice(0, 12)} is empty, ${kept.id.slice(0, 12)} stays`,
      dependsOn,
      driver: 'docker',
      objectId: n.id,
    });
  }
  if (inUse.length) {
    const describe = (n: ObservedNetwork): string => `${n.id.slice(0, 12)}: ${n.attached === undefined ? 'attachments unknown' : n.attached.join(', ') || 'empty'}`;
    out.notices.push(
      `network ${name}: the engine has ${ranked.length} networks named ${kept.engineName} (${ranked.map(describe).join('; ')}), and more than one is in use: ` +
        'containers on different copies cannot reach each other, and new containers cannot join it ("ambiguous"). ' +
        'Run `surge down` and then `surge up`: down removes every copy (named volumes are kept), up makes one.',
    );
  }
  return out;
}
