// Loading a project, from Boltfiles or from a plain object, with every problem returned as located diagnostics.
import { loadProject as loadFromSources, type LoadedProject as PlannerLoaded } from '../planner/load/load-project.js';
import type { Diagnostic } from '../model/errors.js';
import { emptyProject as modelEmptyProject, type Project } from '../model/model.js';

/** Where `loadProject` reads the project from (files in `cwd`, or a plain object) and with which environment. */
export interface LoadProjectOptions {
  /** folder the Boltfile is looked for in, and relative paths resolve against; default `process.cwd()` */
  cwd?: string;
  /**
   * Boltfiles in order, later ones overriding earlier ones key by key (`-f`); default ./Boltfile.toml, else
   * ./surge.toml
   */
  files?: string[];
  /**
   * The Boltfile as a plain object, as TOML would parse it, instead of files: a program that generates its stack
   * does not write TOML first. Validated exactly as a file is; diagnostics carry the key path (no position).
   */
  document?: Record<string, unknown>;
  /** variables for `${VAR}` interpolation, and what drivers read (DOCKER_HOST); default `process.env` */
  env?: Record<string, string | undefined>;
  /** extra env files for interpolation (`--env-file`) */
  envFiles?: string[];
  /** overrides the project name (`-p`) */
  projectName?: string;
  /** the active profiles (`--profile`); default COMPOSE_PROFILES and SURGE_PROFILES from `env` or `.env` */
  profiles?: string[];
  /** services named on the command line: their profiles are activated, as compose does */
  services?: string[];
}

/** How a project was loaded, so it can be loaded again (watch does on every Boltfile edit). */
export interface ProjectSource {
  cwd: string;
  files: string[];
  document: Record<string, unknown> | null;
  env: Record<string, string | undefined>;
  envFiles: string[];
  projectName: string | undefined;
  profiles: string[] | undefined;
  services: string[] | undefined;
}

/** A loaded project: the normalized model, the warnings, the files to watch, and how to load it again. */
export interface LoadedProject {
  project: Project;
  /** problems that do not stop surge (an unset variable, a key surge does not apply), each located */
  warnings: Diagnostic[];
  /** every file whose change should re-load the project: Boltfiles, .env (even before it exists), env files */
  inputs: string[];
  source: ProjectSource;
}

function toSource(options: LoadProjectOptions): ProjectSource {
  return {
    cwd: options.cwd ?? process.cwd(),
    files: options.files ?? [],
    document: options.document ?? null,
    env: options.env ?? process.env,
    envFiles: options.envFiles ?? [],
    projectName: options.projectName,
    profiles: options.profiles,
    services: options.services,
  };
}

/**
 * Loads and validates a project. Throws a `ConfigError` (code `config`) whose `diagnostics` list every problem at
 * once, each as `FILE:LINE:COL` with the key path and, for a mistyped key, a did-you-mean. Never prints.
 * @example
 * const { project, warnings } = loadProject({ cwd: '/srv/shop' });
 * const generated = loadProject({ document: { project: 'demo', services: { web: { image: 'nginx:1.27' } } } });
 */
export function loadProject(options: LoadProjectOptions = {}): LoadedProject {
  return reloadProject(toSource(options));
}

/** Loads a project again from where it came from. */
export function reloadProject(source: ProjectSource): LoadedProject {
  const loaded: PlannerLoaded = loadFromSources({
    cwd: source.cwd,
    files: source.files,
    ...(source.document ? { document: source.document } : {}),
    env: source.env,
    envFiles: source.envFiles,
    projectName: source.projectName,
    profiles: source.profiles,
    services: source.services,
  });
  return { ...loaded, source };
}

/**
 * A project with a name and nothing declared: `down -p NAME` without a Boltfile takes away what carries its label.
 */
export function emptyProject(name: string, cwd: string): Project {
  return modelEmptyProject(name.toLowerCase(), cwd);
}
