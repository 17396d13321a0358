// The fingerprint of an observed state: a saved plan records it, and applying the plan is refused when the live
// state no longer has the same one.
import { sha256, stableStringify, type Canonical } from '../model/config-hash.js';
import type { ObservedState } from '../model/observed.js';
import type { Action, PlanSummary } from '../model/plan-types.js';

export function observedFingerprint(observed: ObservedState): string {
  const containers = observed.containers
    .filter((c) => !c.oneoff)
    .map((c) => `${c.driver}|${c.id}|${c.state}|${c.configHash}`)
    .sort();
  const networks = observed.networks.map((n) => `${n.name}|${n.id}|${n.configHash}`).sort();
  const volumes = observed.volumes.map((v) => `${v.name}|${v.configHash}`).sort();
  // A retagged image changes what a saved plan would run, as much as a changed container does.
  const images = Object.entries(observed.images).map(([ref, id]) => `${ref}|${id ?? ''}`).sort();
  // A Swarm service's version moves with every change of its spec, by surge or anyone else.
  const swarm = (observed.swarmServices ?? []).map((s) => `${s.name}|${s.id}|${s.version}|${s.configHash}`).sort();
  const state = swarm.length ? { containers, networks, volumes, images, swarm } : { containers, networks, volumes, images };
  return sha256(stableStringify(state as Canonical)).slice(0, 32);
}

export function summarize(actions: Action[], unchanged: number): PlanSummary {
  const s: PlanSummary = { create: 0, recreate: 0, update: 0, start: 0, stop: 0, remove: 0, unchanged };
  for (const a of actions) s[a.op] += 1;
  return s;
}
