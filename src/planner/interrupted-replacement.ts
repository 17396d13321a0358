// Replacements a killed run left half done. A replacement is: create the new container under a temporary name
// (`<name>_surge-new-<hex>`) → stop the old one → remove it → rename the new one → start it. A cut at any point
// leaves a state this module recognises in one service's live containers, and says how the plan finishes or undoes
// it. Pure, like the whole planner.
//
//   cut after          what is live                         what the plan does
//   create / stop      the old container + the temporary    removes the temporary one; the old one is planned as
//                                                           usual (recreated again if the Boltfile still differs)
//   remove             the temporary one alone              it stands for the replica: renamed and started when it
//                                                           carries the desired config; replaced otherwise (its
//                                                           anonymous volumes carried over, as from any old one)
//   rename             the replica under its name, created  started as usual ("created, not started")
//
// A replica cut twice may have several temporary containers: the one kept is the one with the desired config (else
// the first by name, so the plan is the same on every run), and the others go.
import type { ObservedContainer } from '../model/observed.js';
import { compareText } from '../model/order.js';

export const FINISH = 'finish interrupted replacement';

export interface SortedReplicas {
  /** the containers the usual per-replica rules apply to; a kept temporary one stands for a replica that has no other */
  containers: ObservedContainer[];
  /** temporary containers that go, each with the reason the plan shows */
  leftovers: { container: ObservedContainer; reason: string }[];
}

/** One service's live containers (one driver): which stand for its replicas, which temporary ones go. */
export function sortOutReplacements(live: ObservedContainer[], desiredHash: string): SortedReplicas {
  const containers = live.filter((c) => !c.pendingReplacement);
  const leftovers: SortedReplicas['leftovers'] = [];
  const tempsByReplica = new Map<number, ObservedContainer[]>();
  for (const c of live.filter((x) => x.pendingReplacement)) tempsByReplica.set(c.replica, [...(tempsByReplica.get(c.replica) ?? []), c]);
  for (const [replica, temps] of [...tempsByReplica.entries()].sort(([a], [b]) => a - b)) {
    const old = containers.find((c) => c.replica === replica);
    if (old) {
      for (const t of temps.sort(byName)) leftovers.push({ container: t, reason: `${FINISH}: ${old.name} is still there, so its unused replacement goes` });
      continue;
    }
    const [kept, ...others] = [...temps].sort((a, b) => Number(b.configHash === desiredHash) - Number(a.configHash === desiredHash) || byName(a, b));
    if (!kept) continue;
    containers.push(kept);
    for (const t of others.sort(byName)) leftovers.push({ container: t, reason: `${FINISH}: ${kept.name} takes the replica's place, so this other replacement goes` });
  }
  return { containers, leftovers };
}

/** Why a kept temporary container is renamed and started: the last steps of its replacement. */
export function renameReason(c: ObservedContainer, name: string): string {
  return `${FINISH}: rename ${c.name} to ${name} and start it`;
}

/** Why a kept temporary container is replaced after all: it was made for a config the Boltfile no longer has. */
export function staleReason(reason: string): string {
  return `${FINISH}: the new container has an older config (${reason})`;
}

function byName(a: ObservedContainer, b: ObservedContainer): number {
  return compareText(a.name, b.name) || compareText(a.id, b.id);
}
