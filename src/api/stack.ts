// A Stack is a loaded project bound to the drivers that run it. Drivers connect lazily, on first use: a stack of
// host processes never touches Docker, and `connect` itself does no I/O. Every library operation takes a Stack.
import type { Driver } from '../drivers/driver.js';
import { newConfigSalt } from '../model/config-hash.js';
import { EngineError, errorMessage } from '../model/errors.js';
import type { DriverKind, Project } from '../model/model.js';
import { emptyObservedState, type ObservedState } from '../model/observed.js';
import type { LoadedProject, ProjectSource } from './load.js';

/** An environment: variable name → value. */
export type Env = Record<string, string | undefined>;

/**
 * How `connect` binds a project to drivers: the environment drivers read, or drivers to use instead of connecting.
 */
export interface ConnectOptions {
  /**
   * The environment drivers read their settings from (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) and host
   * processes inherit. Default: the environment the project was loaded with, else `process.env`.
   */
  env?: Env;
  /** Drivers to use instead of connecting (tests, embedding): e.g. `{ docker: new MemoryDriver() }`. */
  drivers?: Partial<Record<DriverKind, Driver>>;
}

/** The drivers a project's services use. */
export function driversUsed(project: Project): Set<DriverKind> {
  return new Set(Object.values(project.services).map((s) => s.driver));
}

/**
 * A loaded project bound to the drivers that run it. Drivers connect lazily, on first use; every operation takes a
 * Stack. Close it when done.
 */
export class Stack {
  private readonly cache = new Map<DriverKind, Promise<Driver>>();
  private current: Project;
  /** how the project was loaded, when it came from files: watch re-loads it on every edit */
  readonly source: ProjectSource | null;
  readonly env: Env;

  /**
   * the files whose change re-loads the project (Boltfiles, .env, env files); empty for a project given as a value
   */
  inputs: string[];

  constructor(
    project: Project,
    source: ProjectSource | null,
    inputs: string[],
    private readonly options: ConnectOptions,
  ) {
    this.current = project;
    this.source = source;
    this.inputs = inputs;
    this.env = options.env ?? source?.env ?? process.env;
  }

  get project(): Project {
    return this.current;
  }

  /** Points the stack at a re-loaded project (same drivers; watch does this after a Boltfile edit). */
  setProject(project: Project, inputs: string[] = this.inputs): void {
    if (project.name !== this.current.name) this.reset();
    this.current = project;
    this.inputs = inputs;
  }

  /** The driver of `kind`, connecting it on first use. */
  driver = (kind: DriverKind): Promise<Driver> => {
    let d = this.cache.get(kind);
    if (!d) {
      const given = this.options.drivers?.[kind];
      d = given ? Promise.resolve(given) : this.connectDriver(kind);
      // A failed connection is not cached: the next use tries again (watch, while the engine is away).
      d.catch(() => this.cache.delete(kind));
      this.cache.set(kind, d);
    }
    return d;
  };

  private async connectDriver(kind: DriverKind): Promise<Driver> {
    if (kind === 'process') {
      const { createProcessDriver } = await import('../drivers/process/process-driver.js');
      return createProcessDriver({ env: this.env });
    }
    try {
      if (kind === 'swarm') {
        const { connectSwarm } = await import('../drivers/swarm/swarm-driver.js');
        return await connectSwarm(this.env);
      }
      const { connectDocker } = await import('../drivers/docker/docker-driver.js');
      return await connectDocker(this.env);
    } catch (err) {
      const needs = Object.values(this.current.services)
        .filter((s) => s.driver === kind)
        .map((s) => s.name)
        .sort();
      if (needs.length === 0) throw err;
      const who = needs.length === 1 ? `service ${needs[0]} needs` : needs.length <= 5 ? `services ${needs.join(', ')} need` : `${needs.length} services (${needs.slice(0, 3).join(', ')}, …) need`;
      const code = err instanceof EngineError ? err.code : 'engine-unreachable';
      throw new EngineError(`${who} ${kind === 'swarm' ? 'a Swarm manager' : 'a container engine'}: ${errorMessage(err)}`, code === 'engine' ? 'engine' : 'engine-unreachable', { cause: err });
    }
  }

  /**
   * The live state of every driver the project uses, merged; the process driver's records are always read, since
   * they may hold orphans of services that moved to containers.
   */
  async observe(kinds: Iterable<DriverKind> = driversUsed(this.current)): Promise<ObservedState> {
    const wanted = new Set<DriverKind>(kinds);
    wanted.add('process');
    const states = await Promise.all([...wanted].map(async (k) => (await this.driver(k)).observe(this.current)));
    const merged = emptyObservedState();
    // Randomness the pure planner cannot make: the salt for secrets' digests if nothing live carries one yet.
    merged.configSalt = newConfigSalt();
    for (const s of states) {
      merged.containers.push(...s.containers);
      merged.networks.push(...s.networks);
      merged.volumes.push(...s.volumes);
      Object.assign(merged.images, s.images);
      Object.assign(merged.externals, s.externals);
      if (s.swarmServices) (merged.swarmServices ??= []).push(...s.swarmServices);
      if (s.swarm) merged.swarm = s.swarm;
    }
    return merged;
  }

  /** Forgets connections, so the next use reconnects (watch, after the engine went away). */
  reset(): void {
    const old = [...this.cache.entries()];
    this.cache.clear();
    for (const [kind, d] of old) {
      if (this.options.drivers?.[kind]) continue;
      d.then((x) => x.close()).catch(() => undefined);
    }
  }

  /** Closes what the stack connected (not drivers given in ConnectOptions). */
  async close(): Promise<void> {
    for (const [kind, d] of this.cache) {
      if (this.options.drivers?.[kind]) continue;
      try {
        await (await d).close();
      } catch {
        /* a driver that never connected has nothing to close */
      }
    }
    this.cache.clear();
  }
}

/**
 * Binds a project to its drivers. Nothing connects yet: each driver connects when an operation first needs it.
 * @example
 * const stack = await connect(loadProject({ cwd: '/srv/shop' }));
 * try { console.log(formatPlan(await plan(stack))); } finally { await stack.close(); }
 */
export async function connect(project: Project | LoadedProject, options: ConnectOptions = {}): Promise<Stack> {
  if ('project' in project) return new Stack(project.project, project.source, project.inputs, options);
  return new Stack(project, null, [], options);
}
