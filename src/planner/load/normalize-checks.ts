// What services refer to across the project, checked once every service is normalized: dependencies, networks,
// the services a namespace, `volumes_from` or a link names, fixed container names, and exclusive GPU claims.
import type { Network, Service } from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import type { RawBoltfile } from './boltfile-schema.js';
import { didYouMean, type NormalizeContext } from './normalize-forms.js';
import { sharedService } from './normalize-networking.js';
import { implicitNetwork } from './normalize-resources.js';
import type { Path } from './schema-walk.js';

/** Why a name is not a service of the project: undeclared (with a guess), or declared under an inactive profile. */
function missing(name: string, services: Record<string, Service>, disabled: Record<string, Service>): string {
  const off = disabled[name];
  if (off) return `"${name}", which is not enabled by the active profiles (it is in ${off.profiles.map((p) => `"${p}"`).join(', ')}; activate one with --profile or COMPOSE_PROFILES)`;
  return `"${name}", which is not a service in this project${didYouMean(name, Object.keys(services))}`;
}

/** The references a service makes to other services outside `depends_on`, with where each is written. */
function serviceReferences(s: Service, raw: RawBoltfile['services']): { name: string; at: Path; what: string }[] {
  const base: Path = ['services', s.name];
  const out: { name: string; at: Path; what: string }[] = [];
  for (const key of ['network_mode', 'ipc', 'pid', 'uts'] as const) {
    const shared = sharedService(key === 'network_mode' ? s.network_mode : s[key]);
    if (shared) out.push({ name: shared, at: [...base, key], what: key });
  }
  s.volumes_from.forEach((v, i) => {
    if (!v.startsWith('container:')) out.push({ name: (v.startsWith('service:') ? v.slice(8) : v).split(':')[0] as string, at: [...base, 'volumes_from', i], what: 'volumes_from' });
  });
  (raw?.[s.name]?.links ?? []).forEach((l, i) => out.push({ name: l.split(':')[0] as string, at: [...base, 'links', i], what: 'a link' }));
  return out;
}

export function checkReferences(doc: RawBoltfile, services: Record<string, Service>, disabled: Record<string, Service>, networks: Record<string, Network>, ctx: NormalizeContext): void {
  const names = new Map<string, string>();
  for (const s of Object.values(services)) {
    const rawDeps = doc.services?.[s.name]?.depends_on;
    const implicit = serviceReferences(s, doc.services);
    for (const ref of implicit) {
      if (!services[ref.name]) ctx.error(ref.at, `${ref.what} of service "${s.name}" refers to ${missing(ref.name, services, disabled)}`);
    }
    for (const [dep, d] of Object.entries(s.depends_on)) {
      if (services[dep]) continue;
      // compose drops an optional dependency on a service its profiles leave out; a required one is an error.
      if (disabled[dep] && !d.required) {
        delete s.depends_on[dep];
        continue;
      }
      if (implicit.some((r) => r.name === dep)) continue;
      const at: Path = Array.isArray(rawDeps) ? ['services', s.name, 'depends_on', rawDeps.indexOf(dep)] : ['services', s.name, 'depends_on', dep];
      ctx.error(at, `service "${s.name}" depends on ${missing(dep, services, disabled)}`);
    }
    for (const n of Object.keys(s.networks)) {
      if (n === DEFAULT_NETWORK && !networks[DEFAULT_NETWORK]) {
        networks[DEFAULT_NETWORK] = implicitNetwork(DEFAULT_NETWORK, false);
      } else if (!networks[n]) {
        const raw = doc.services?.[s.name]?.networks;
        const at: Path = Array.isArray(raw) ? ['services', s.name, 'networks', raw.indexOf(n)] : ['services', s.name, 'networks', n];
        ctx.error(at, `network "${n}" is not declared${didYouMean(n, Object.keys(networks)) || `; add [networks.${n}]`}`);
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
 */
function checkExclusiveGpus(services: Record<string, Service>, ctx: NormalizeContext): void {
  const claims: { name: string; devices: 'all' | string[]; exclusive: boolean }[] = [];
  for (const s of Object.values(services)) {
    if (!s.gpu) continue;
    const mine = s.gpu.devices;
    const exclusive = s.gpu.isolation === 'exclusive';
    // Every replica gets the same devices, so replicas of an exclusive service would share them.
    if (exclusive && s.replicas > 1) {
      const what = mine === 'all' ? 'all GPUs' : `GPU ${mine.join(', ')}`;
      ctx.error(['services', s.name, 'gpu', 'isolation_level'], `service "${s.name}" has ${s.replicas} replicas, which would all claim ${what} exclusively; use one replica per exclusive GPU (a service each)`);
    }
    for (const other of claims) {
      if (!exclusive && !other.exclusive) continue;
      const shared = mine === 'all' ? other.devices : other.devices === 'all' ? mine : mine.filter((d) => (other.devices as string[]).includes(d));
      if (shared !== 'all' && shared.length === 0) continue;
      const what = shared === 'all' ? 'all GPUs' : `GPU ${shared.join(', ')}`;
      if (exclusive && other.exclusive) {
        ctx.error(['services', s.name, 'gpu', 'isolation_level'], `services "${other.name}" and "${s.name}" both claim ${what} exclusively; give them different devices`);
      } else {
        const [holder, user] = exclusive ? [s.name, other.name] : [other.name, s.name];
        ctx.warn(['services', user, 'gpu'], `service "${user}" also uses ${what}, which "${holder}" claims exclusively`);
      }
    }
    claims.push({ name: s.name, devices: mine, exclusive });
  }
}

