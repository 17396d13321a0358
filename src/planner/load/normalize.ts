// Validated Boltfile data → the normalized model: the project-level pass. Each section has its own file
// (normalize-service and the files it uses, normalize-resources, normalize-files, normalize-checks); this one declares
// the networks, volumes, secrets and configs, normalizes every service, keeps those the active profiles enable, then
// checks what services refer to across the project.
import type { FileSource, Network, Project, Service, Volume } from '../../model/model.js';
import { DEFAULT_NETWORK } from '../../model/model.js';
import type { RawBoltfile } from './boltfile-schema.js';
import { checkReferences } from './normalize-checks.js';
import { fileSource } from './normalize-files.js';
import { NAME, type NormalizeContext } from './normalize-forms.js';
import { implicitNetwork, network, QUIC_NETWORK, volume } from './normalize-resources.js';
import { service } from './normalize-service.js';
import { enabledServices } from './profiles.js';

export type { NormalizeContext } from './normalize-forms.js';

export function normalize(doc: RawBoltfile, ctx: NormalizeContext): Project {
  if (doc.version !== undefined) ctx.warn(['version'], 'obsolete: compose ignores it, and so does surge');
  if (doc.models !== undefined) ctx.warn(['models'], "Docker Model Runner's models are not provided by surge");
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
  const secrets: Record<string, FileSource> = {};
  for (const [name, raw] of Object.entries(doc.secrets ?? {})) secrets[name] = fileSource('secret', name, raw, ctx);
  const configs: Record<string, FileSource> = {};
  for (const [name, raw] of Object.entries(doc.configs ?? {})) configs[name] = fileSource('config', name, raw, ctx);

  // Services that ask for QUIC join the project's QUIC network; one is made when the Boltfile declares none.
  const quicNetwork = (): string => {
    const existing = Object.values(networks).find((n) => n.quic);
    if (existing) return existing.name;
    networks[QUIC_NETWORK] = implicitNetwork(QUIC_NETWORK, true);
    return QUIC_NETWORK;
  };

  const all: Record<string, Service> = {};
  for (const [name, raw] of Object.entries(doc.services ?? {})) {
    if (!NAME.test(name)) {
      ctx.error(['services', name], `invalid service name "${name}" (letters, digits, "_", "." and "-", starting with a letter or digit)`);
      continue;
    }
    all[name] = service(name, raw, doc, { secrets, configs }, ctx, quicNetwork);
  }

  const { enabled, profiles } = enabledServices(all, ctx.profiles ?? [], ctx.selected ?? []);
  const services: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  for (const [name, s] of Object.entries(all)) (enabled.has(name) ? services : disabled)[name] = s;

  checkReferences(doc, services, disabled, networks, ctx);
  return {
    name: ctx.projectName,
    workingDir: ctx.workingDir,
    files: ctx.files,
    services,
    networks,
    volumes,
    secrets,
    configs,
    disabled_services: Object.keys(disabled).sort(),
    profiles,
  };
}
