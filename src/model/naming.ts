// Labels and names of the objects surge creates, shared by the planner and every driver. Live objects are the state: these are its schema, so they
// never change meaning between versions.

export const LABEL = {
  project: 'surge.project',
  service: 'surge.service',
  network: 'surge.network',
  volume: 'surge.volume',
  configHash: 'surge.config-hash',
  /** canonical replacement-forcing config (sensitive values as digests), for "env MODE changed" reasons */
  config: 'surge.config',
  replica: 'surge.replica',
  oneoff: 'surge.oneoff',
  quic: 'surge.quic',
  encryption: 'surge.encryption',
  version: 'surge.version',
  workingDir: 'surge.working-dir',
  /** the Boltfiles a container was created from, comma-separated absolute paths (`surge ls`) */
  configFiles: 'surge.config-files',
} as const;

export function containerName(project: string, service: string, replica: number): string {
  return `${project}-${service}-${replica}`;
}

/** What follows a container's name while its replacement is being made: `<name>_surge-new-<hex>`. */
const REPLACEMENT_INFIX = '_surge-new-';

/** The temporary name of the new container of a replacement, until the old one is gone and it takes `name`. */
export function replacementName(name: string, hex: string): string {
  return `${name}${REPLACEMENT_INFIX}${hex}`;
}

/** Whether an engine-side container name is a replacement's temporary name. */
export function isReplacementName(name: string): boolean {
  return new RegExp(`${REPLACEMENT_INFIX}[0-9a-f]+$`).test(name);
}

export function networkEngineName(project: string, network: string): string {
  return `${project}_${network}`;
}

export function volumeEngineName(project: string, volume: string): string {
  return `${project}_${volume}`;
}

/** Image name for a service that has `build` and no `image`, as compose names it. */
export function builtImageName(project: string, service: string): string {
  return `${project}-${service}`;
}

/** The image a service runs: its `image`, else the one its `build` makes. */
export function imageRef(project: { name: string }, s: { name: string; image: string | null }): string {
  return s.image ?? builtImageName(project.name, s.name);
}

/** A plan action's id for one replica of a service, e.g. `service:web#2`. */
export function serviceActionId(service: string, replica: number): string {
  return `service:${service}#${replica}`;
}
