// What `surge config` prints, as library operations: the normalized model as JSON, as a Boltfile (TOML) that loads
// back to the same model, or in compose's shape (YAML, like `docker compose config`); and the lists compose's
// `config` flags print — service names, volume names, images, config hashes, profiles.
import type { Project } from '../model/model.js';
import { projectConfigSalt, serviceConfigHash } from '../model/config-hash.js';
import { imageRef } from '../model/naming.js';
import { serviceGraph } from '../planner/graph.js';
import { writeBoltfile } from '../planner/load/boltfile-writer.js';
import { writeCompose } from '../planner/load/compose-writer.js';
import { checkServiceNames } from '../planner/select.js';

export type ConfigFormat = 'json' | 'toml' | 'yaml';

/** The project in `format`, ending with a newline. */
export function renderConfig(project: Project, format: ConfigFormat): string {
  const model = { name: project.name, services: project.services, networks: project.networks, volumes: project.volumes };
  if (format === 'toml') return writeBoltfile(project);
  if (format === 'yaml') return writeCompose(project);
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** Service names, what a service depends on before it (compose's order), ties by name. */
export function serviceNames(project: Project): string[] {
  return serviceGraph(project).topologicalOrder();
}

export function volumeNames(project: Project): string[] {
  return Object.keys(project.volumes);
}

/** The image each container service runs (its `image`, else the one its `build` makes), as compose lists them. */
export function imageNames(project: Project): string[] {
  return Object.values(project.services)
    .filter((s) => s.driver === 'docker')
    .map((s) => imageRef(project, s));
}

/**
 * The config hash of the services `spec` names (`*` for all, else a comma-separated list), sorted by name: the
 * value surge puts in each container's `surge.config-hash` label, which decides recreation (compose's
 * `config --hash` prints its own hash the same way).
 */
export function serviceHashes(project: Project, spec: string): { service: string; hash: string }[] {
  const names = spec === '*' ? Object.keys(project.services) : spec.split(',').map((n) => n.trim()).filter(Boolean);
  checkServiceNames(project, names);
  // A service with sensitive values hashes with its project's salt, which lives on its containers (config-hash.ts);
  // without observing them, the salt a fresh project would get from its name is used.
  const salt = projectConfigSalt([], undefined, project.name);
  return [...new Set(names)].sort().map((n) => ({ service: n, hash: serviceConfigHash(project.services[n] as Project['services'][string], salt) }));
}

/** Profile names the services use, sorted (none until the model carries `profiles`). */
export function profileNames(project: Project): string[] {
  const names = new Set<string>();
  for (const s of Object.values(project.services)) {
    const profiles = (s as { profiles?: unknown }).profiles;
    if (Array.isArray(profiles)) for (const p of profiles) if (typeof p === 'string') names.add(p);
  }
  return [...names].sort();
}
