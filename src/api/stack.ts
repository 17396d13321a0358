// What every command needs: the loaded project, its drivers (connected lazily: a process-only stack never touches
// Docker), and the merged observed state of all drivers the project uses.
import type { Driver } from '../drivers/driver.js';
import { newConfigSalt } from '../model/config-hash.js';
import { EngineError, errorMessage } from '../model/errors.js';
import { loadProject, type LoadedProject } from '../planner/load/load-project.js';
import type { DriverKind, Project } from '../model/model.js';
import { emptyObservedState, type ObservedState } from '../model/observed.js';
import { printWarnings } from '../cli/output.js';

export interface GlobalArgs {
  file?: string[];
  'project-name'?: string;
  'env-file'?: string[];
}

export function load(args: GlobalArgs, options: { quietWarnings?: boolean } = {}): LoadedProject {
  const loaded = loadProject({
    files: args.file ?? [],
    cwd: process.cwd(),
    projectName: args['project-name'],
    envFiles: args['env-file'] ?? [],
    env: process.env,
  });
  if (!options.quietWarnings) printWarnings(loaded.warnings);
  return loaded;
}

export function driversUsed(project: Project): Set<DriverKind> {
  return new Set(Object.values(project.services).map((s) => s.driver));
}

/** Where the docker CLI would connect; used to scope locks without loading dockerode. */
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export class Drivers {
  private readonly cache = new Map<DriverKind, Promise<Driver>>();

  constructor(private readonly project: Project) {}

  get = (kind: DriverKind): Promise<Driver> => {
    let d = this.cache.get(kind);
    if (!d) {
      d = kind === 'docker' ? this.connectDocker() : this.createProcess();
      this.cache.set(kind, d);
    }
    return d;
  };

  private async connectDocker(): Promise<Driver> {
    const { connectDocker } = await import('../drivers/docker/docker-driver.js');
    try {
      return await connectDocker();
    } catch (err) {
      const needs = Object.values(this.project.services)
        .filter((s) => s.driver === 'docker')
        .map((s) => s.name)
        .sort();
      if (needs.length === 0) throw err;
      const who = needs.length === 1 ? `service ${needs[0]} needs` : `services ${needs.join(', ')} need`;
      throw new EngineError(`${who} a container engine: ${errorMessage(err)}`);
    }
  }

  private async createProcess(): Promise<Driver> {
    const { createProcessDriver } = await import('../drivers/process/process-driver.js');
    return createProcessDriver();
  }

  /** Forgets connections, so the next use reconnects (watch, after the engine went away). */
  reset(): void {
    const old = [...this.cache.values()];
    this.cache.clear();
    for (const d of old) d.then((x) => x.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const d of this.cache.values()) {
      try {
        await (await d).close();
      } catch {
        /* a driver that never connected has nothing to close */
      }
    }
  }
}

/** Observes every driver the project uses (and the process driver's records, which may hold orphans). */
export async function observeAll(project: Project, drivers: Drivers, kinds: Set<DriverKind> = driversUsed(project)): Promise<ObservedState> {
  const wanted: DriverKind[] = [...kinds];
  if (!wanted.includes('process')) wanted.push('process');
  const states = await Promise.all(wanted.map(async (k) => (await drivers.get(k)).observe(project)));
  const merged = emptyObservedState();
  // Randomness the pure planner cannot make: the salt for secrets' digests if nothing live carries one yet.
  merged.configSalt = newConfigSalt();
  for (const s of states) {
    merged.containers.push(...s.containers);
    merged.networks.push(...s.networks);
    merged.volumes.push(...s.volumes);
    Object.assign(merged.images, s.images);
    Object.assign(merged.externals, s.externals);
  }
  return merged;
}
