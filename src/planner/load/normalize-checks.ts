// What services refer to across the project, checked once every service is normalized: dependencies, networks,
// the services a namespace, `volumes_from` or a link names, fixed container names, and exclusive GPU claims.
import type { Network, Service } from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import type { RawBoltfile } from './boltfile-schema.js';
import { didYouMean, type NormalizeContext } from './normalize-forms.js';
import { sharedService } from './normalize-networking.js';
import { implicitNetwork } from './normalize-resources.js';
import type { Path } from './schema-walk.js';

/** The first index of each name in a list form (`depends_on = ["db"]`), or null for the table form. */
function listIndex(raw: unknown): Map<string, number> | null {
  if (!Array.isArray(raw)) return null;
  const out = new Map<string, number>();
  raw.forEach((name, i) => {
    if (typeof name === 'string' && !out.has(name)) out.set(name, i);
  });
  return out;
}

/** Why a name is not a service of the project: undeclared (with a guess), or declared under an inactive profile. */
function missing(name: string, services: Record<string, Service>, disabled: Record<string, Service>): string {
  const off = disabled[name];
  if (off) return `"${name}", which is not enabled by the active profiles (it is in ${off.profiles.map((p) => `"${p}"`).join(', ')}; activate one with --profile or COMPOSE_PROFILES)`;
  return `"${name}", which is not a service in this project${didYouMean(name, Object.keys(services))}`;
}

const SHARING_KEYS = ['network_mode', 'ipc', 'pid', 'uts'] as const;

/** The references a service makes to other services outside `depends_on`, with where each is written. */
function serviceReferences(s: Service, raw: RawBoltfile['services']): { name: string; at: Path; what: string }[] {
  const out: { name: string; at: Path; what: string }[] = [];
  const links = raw?.[s.name]?.links;
  // Most services share nothing with another: no paths built for them.
  if (s.network_mode === null && s.ipc === null && s.pid === null && s.uts === null && s.volumes_from.length === 0 && !links?.length) return out;
  const base: Path = ['services', s.name];
  for (const key of SHARING_KEYS) {
    const shared = sharedService(key === 'network_mode' ? s.network_mode : s[key]);
    if (shared) out.push({ name: shared, at: [...base, key], what: key });
  }
  s.volumes_from.forEach((v, i) => {
    if (!v.startsWith('container:')) out.push({ name: (v.startsWith('service:') ? v.slice(8) : v).split(':')[0] as string, at: [...base, 'volumes_from', i], what: 'volumes_from' });
  });
  (links ?? []).forEach((l, i) => out.push({ name: l.split(':')[0] as string, at: [...base, 'links', i], what: 'a link' }));
  return out;
}

export function checkReferences(doc: RawBoltfile, services: Record<string, Service>, disabled: Record<string, Service>, networks: Record<string, Network>, ctx: NormalizeContext): void {
  const names = new Map<string, string>();
  for (const s of Object.values(services)) {
    // Where each name sits in a list form: one pass, not a search per missing name (lists can be long), and only for
    // a service with something missing (5,000 services: two maps each, for nothing).
    let depIndex: Map<string, number> | null | undefined;
    let netIndex: Map<string, number> | null | undefined;
    const depAt = (dep: string): string | number => (depIndex === undefined ? (depIndex = listIndex(doc.services?.[s.name]?.depends_on)) : depIndex)?.get(dep) ?? dep;
    const netAt = (n: string): string | number => (netIndex === undefined ? (netIndex = listIndex(doc.services?.[s.name]?.networks)) : netIndex)?.get(n) ?? n;
    const implicit = serviceReferences(s, doc.services);
    for (const ref of implicit) {
      if (!services[ref.name]) ctx.error(ref.at, () => `${ref.what} of service "${s.name}" refers to ${missing(ref.name, services, disabled)}`);
    }
    for (const [dep, d] of Object.entries(s.depends_on)) {
      if (services[dep]) continue;
      // compose drops an optional dependency on a service its profiles leave out; a required one is an error.
      if (disabled[dep] && !d.required) {
        delete s.depends_on[dep];
        continue;
      }
      if (implicit.some((r) => r.name === dep)) continue;
      ctx.error(['services', s.name, 'depends_on', depAt(dep)], () => `service "${s.name}" depends on ${missing(dep, services, disabled)}`);
    }
    for (const n of Object.keys(s.networks)) {
      if (n === DEFAULT_NETWORK && !networks[DEFAULT_NETWORK]) {
        networks[DEFAULT_NETWORK] = implicitNetwork(DEFAULT_NETWORK, false);
      } else if (!networks[n]) {
        ctx.error(['services', s.name, 'networks', netAt(n)], () => `network "${n}" is not declared${didYouMean(n, Object.keys(networks)) || `; add [networks.${n}]`}`);
      }
    }
    if (s.container_name !== null) {
      const other = names.get(s.container_name);
      if (other) ctx.error(['services', s.name, 'container_name'], `container name "${s.container_name}" is also service "${other}"'s`);
      names.set(s.container_name, s.name);
    }
  }
  checkExclusiveGpus(services, ctx);
}

/**
 * `isolation_level = "exclusive"` is enforced when planning: no two services may claim the same GPU exclusively.
 * A shared claim on a GPU another service holds exclusively is allowed (Boltfiles in the wild do it) but warned about.
 * Each service is checked against the earliest earlier claim it conflicts with, found through indexes by device:
 * linear in the number of services, however many claim a GPU.
 */
function checkExclusiveGpus(services: Record<string, Service>, ctx: NormalizeContext): void {
  interface Claim {
    order: number;
    name: string;
    devices: 'all' | string[];
    exclusive: boolean;
  }
  // The earliest claims by kind: on all GPUs, and on each device; exclusive ones, and any.
  const first = { any: null as Claim | null, exclusive: null as Claim | null };
  const onAll = { any: null as Claim | null, exclusive: null as Claim | null };
  const onDevice = { any: new Map<string, Claim>(), exclusive: new Map<string, Claim>() };
  const earliest = (xs: (Claim | null | undefined)[]): Claim | null =>
    xs.reduce<Claim | null>((best, c) => (c && (!best || c.order < best.order) ? c : best), null);
  let order = 0;
  for (const s of Object.values(services)) {
    if (!s.gpu) continue;
    const mine = s.gpu.devices;
    const exclusive = s.gpu.isolation === 'exclusive';
    // Every replica gets the same devices, so replicas of an exclusive service would share them.
    if (exclusive && s.replicas > 1) {
      const what = mine === 'all' ? 'all GPUs' : `GPU ${mine.join(', ')}`;
      ctx.error(['services', s.name, 'gpu', 'isolation_level'], `service "${s.name}" has ${s.replicas} replicas, which would all claim ${what} exclusively; use one replica per exclusive GPU (a service each)`);
    }
    // An exclusive claim conflicts with any claim on a shared device; a shared one only with exclusive claims.
    const kind = exclusive ? 'any' : 'exclusive';
    const other = mine === 'all' ? first[kind] : earliest([onAll[kind], ...mine.map((d) => onDevice[kind].get(d))]);
    if (other) {
      const shared = mine === 'all' ? other.devices : other.devices === 'all' ? mine : mine.filter((d) => (other.devices as string[]).includes(d));
      const what = shared === 'all' ? 'all GPUs' : `GPU ${shared.join(', ')}`;
      if (exclusive && other.exclusive) {
        ctx.error(['services', s.name, 'gpu', 'isolation_level'], `services "${other.name}" and "${s.name}" both claim ${what} exclusively; give them different devices`);
      } else {
        const [holder, user] = exclusive ? [s.name, other.name] : [other.name, s.name];
        ctx.warn(['services', user, 'gpu'], `service "${user}" also uses ${what}, which "${holder}" claims exclusively`);
      }
    }
    const claim: Claim = { order: order++, name: s.name, devices: mine, exclusive };
    for (const k of exclusive ? (['any', 'exclusive'] as const) : (['any'] as const)) {
      first[k] ??= claim;
      if (mine === 'all') onAll[k] ??= claim;
      else for (const d of mine) if (!onDevice[k].has(d)) onDevice[k].set(d, claim);
    }
  }
}
