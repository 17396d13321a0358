// Validated Boltfile data → the normalized model: the project-level pass. Each section has its own file
// (normalize-service, normalize-resources); this one declares the networks and volumes, normalizes every service,
// then checks what services refer to across the project.
import type { Network, Project, Service, Volume } from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import type { RawBoltfile } from './boltfile-schema.js';
import { didYouMean, NAME, type NormalizeContext } from './normalize-forms.js';
import { implicitNetwork, network, QUIC_NETWORK, volume } from './normalize-resources.js';
import { service } from './normalize-service.js';
import type { Path } from './schema-walk.js';

export type { NormalizeContext } from './normalize-forms.js';

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

export function normalize(doc: RawBoltfile, ctx: NormalizeContext): Project {
  const networks: Record<string, Network> = {};
  if (doc.network && doc.networks?.[DEFAULT_NETWORK]) {
    ctx.error(['network'], 'the project default network is declared twice: use either [network] or [networks.default]');
  }
  if (doc.network) networks[DEFAULT_NETWORK] = network(DEFAULT_NETWORK, doc.network, ['network'], ctx);
  for (const [name, raw] of Object.entries(doc.networks ?? {})) {
    if (!NAME.test(name)) ctx.error(['networks', name], `invalid network name "${name}" (letters, digits, "_", "." and "-")`);
    networks[name] = network(name, raw, ['networks', name], ctx);
  }
  const volumes: Record<string, Volume> = {};
  for (const [name, raw] of Object.entries(doc.volumes ?? {})) {
    if (!NAME.test(name)) ctx.error(['volumes', name], `invalid volume name "${name}" (letters, digits, "_", "." and "-")`);
    volumes[name] = volume(name, raw, ['volumes', name], ctx);
  }

  // Services that ask for QUIC join the project's QUIC network; one is made when the Boltfile declares none.
  const quicNetwork = (): string => {
    const existing = Object.values(networks).find((n) => n.quic);
    if (existing) return existing.name;
    networks[QUIC_NETWORK] = implicitNetwork(QUIC_NETWORK, true);
    return QUIC_NETWORK;
  };

  const services: Record<string, Service> = {};
  for (const [name, raw] of Object.entries(doc.services ?? {})) {
    if (!NAME.test(name)) {
      ctx.error(['services', name], `invalid service name "${name}" (letters, digits, "_", "." and "-", starting with a letter or digit)`);
      continue;
    }
    services[name] = service(name, raw, doc, ctx, quicNetwork);
  }

  for (const s of Object.values(services)) {
    for (const dep of Object.keys(s.depends_on)) {
      if (!services[dep]) {
        const at: Path = Array.isArray(doc.services?.[s.name]?.depends_on)
          ? ['services', s.name, 'depends_on', (doc.services?.[s.name]?.depends_on as string[]).indexOf(dep)]
          : ['services', s.name, 'depends_on', dep];
        ctx.error(at, `service "${s.name}" depends on "${dep}", which is not a service in this project${didYouMean(dep, Object.keys(services))}`);
      }
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
  }

  checkExclusiveGpus(services, ctx);
  return { name: ctx.projectName, workingDir: ctx.workingDir, files: ctx.files, services, networks, volumes };
}
