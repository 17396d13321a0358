// Boltfile(s) → normalized Project, with every problem located as FILE:LINE:COL and reported together.
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, type Diagnostic, type SourceLocation } from '../../model/errors.js';
import { findDependencyCycle } from '../graph.js';
import type { Project } from '../../model/model.js';
import { boltfileSchema, type RawBoltfile } from './boltfile-schema.js';
import { Reporter, sortDiagnostics, withoutIssues, zodIssues } from './diagnostics.js';
import { projectEnvironment } from './env-files.js';
import { interpolateTree } from './interpolate.js';
import { mergeInto } from './merge-files.js';
import { normalize } from './normalize.js';
import { objectSource, readSource, resolveFiles } from './read-source.js';
import { applyTarget, chooseTarget, containerDocument } from './swarm-target.js';
import { profileList } from './profiles.js';
import { prepareTree, type Path } from './schema-walk.js';
import { formatPath } from './tree.js';
import { castInterpolated } from './typed-values.js';

export { DEFAULT_FILES, resolveFiles } from './read-source.js';
export { formatPath } from './tree.js';

export interface LoadOptions {
  /** `-f` files in order; empty → Boltfile.toml, else surge.toml, in `cwd` */
  files: string[];
  /**
   * A Boltfile as a plain object (what TOML would parse to), instead of files: a program that generates its stack
   * does not write TOML first. Validated exactly like a file; diagnostics carry the key path and no position.
   */
  document?: Record<string, unknown>;
  cwd: string;
  projectName?: string | undefined;
  envFiles: string[];
  env: Record<string, string | undefined>;
  /** where containers run, over the Boltfile's `driver` and SURGE_DRIVER: "docker" or "swarm" (`--driver`) */
  driver?: string | undefined;
  /** `--profile` values; when none are given, COMPOSE_PROFILES and SURGE_PROFILES (environment or .env) are */
  profiles?: string[] | undefined;
  /** services named on the command line: their profiles are activated, as compose does */
  services?: string[] | undefined;
}

export interface LoadedProject {
  project: Project;
  warnings: Diagnostic[];
  /** every file whose change should re-load the project: Boltfiles, --env-file or else .env (whether or not it exists yet), services' env_file */
  inputs: string[];
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

function projectName(doc: RawBoltfile, options: LoadOptions, dir: string, reporter: Reporter): string {
  const fromFile: [string | undefined, Path][] = [
    [typeof doc.project === 'string' ? doc.project : undefined, ['project']],
    [typeof doc.project === 'object' ? doc.project.name : undefined, ['project', 'name']],
    [doc.metadata?.name, ['metadata', 'name']],
    [doc.name, ['name']],
  ];
  if (options.projectName !== undefined) {
    const name = options.projectName.toLowerCase();
    if (!PROJECT_NAME.test(name)) {
      throw new ConfigError([
        { message: `invalid project name "${options.projectName}" (-p): use lowercase letters, digits, "_" and "-", starting with a letter or digit`, path: null, location: null },
      ]);
    }
    return name;
  }
  for (const [value, path] of fromFile) {
    if (value === undefined) continue;
    const name = value.toLowerCase();
    if (!PROJECT_NAME.test(name)) {
      reporter.error(path, `invalid project name "${value}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`, true);
    }
    return name;
  }
  // The folder name is the user's choice of convenience, not a declaration: make it valid rather than fail.
  const folder = basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  return folder || 'default';
}

export function loadProject(options: LoadOptions): LoadedProject {
  const files = options.document ? [] : resolveFiles(options.files, options.cwd);
  const sources = options.document ? [objectSource(options.document)] : files.map((f) => readSource(f, options.cwd));
  const dir = options.document ? resolve(options.cwd) : dirname(files[0] as string);
  const reporter = new Reporter(sources);

  // The process environment, then --env-file files (or, without them, .env beside the Boltfile): env-files.ts.
  const envFiles = options.envFiles.map((f) => resolve(options.cwd, f));
  const projectEnv = projectEnvironment(options.env, envFiles, resolve(dir, '.env'), options.cwd);
  const lookup = projectEnv.lookup;

  // Like compose, an unset variable becomes "" with a warning, once per variable: a typo must not pass silently.
  const unsetWarned = new Set<string>();
  for (const s of sources) {
    const at = (path: Path): SourceLocation | null => {
      const pos = s.locations.locateValue(path) ?? s.locations.locate(path)?.position;
      return pos ? { file: s.display, line: pos.line, column: pos.column } : null;
    };
    const error = (path: Path, message: string): void => {
      const p = formatPath(path);
      reporter.errors.push({ message: `${p}: ${message}`, path: p, location: at(path) });
    };
    const errorsBefore = reporter.errors.length;
    const dollars: Path[] = [];
    const interpolated = interpolateTree(
      s.data,
      lookup,
      error,
      (path, name) => {
        if (unsetWarned.has(name)) return;
        unsetWarned.add(name);
        const p = formatPath(path);
        reporter.warnings.push({ message: `warning: ${p}: variable ${name} is not set; using an empty string`, path: p, location: at(path) });
      },
      (path) => dollars.push(path),
    );
    // Typed fields written as "${N}" take the number or boolean the variable spells (typed-values.ts); not when
    // interpolation failed, which is this file's error already.
    if (reporter.errors.length > errorsBefore) continue;
    s.data = castInterpolated(boltfileSchema, interpolated, dollars, {
      error,
      warn: (path, message) => {
        const p = formatPath(path);
        reporter.warnings.push({ message: `warning: ${p}: ${message}`, path: p, location: at(path) });
      },
    }) as Record<string, unknown>;
  }
  if (reporter.errors.length) throw new ConfigError(reporter.errors);

  const merged = sources.reduce<Record<string, unknown>>((acc, s) => mergeInto(acc, s.data, lookup), {});
  const prepared = prepareTree(boltfileSchema, merged);
  for (const path of prepared.ecosystemPaths) reporter.warn(path, 'not applied by surge (Bolt runtime setting)');

  const serviceEnvFiles = new Set<string>();
  const check = (doc: RawBoltfile, partial = false): Project => {
    const chosen = chooseTarget(doc, options.driver, lookup('SURGE_DRIVER'));
    if ('problem' in chosen) throw new ConfigError([{ message: chosen.problem, path: null, location: null }]);
    const normalized = normalize(containerDocument(doc), {
      projectName: projectName(doc, options, dir, reporter),
      workingDir: dir,
      files,
      lookup,
      error: (path, message) => reporter.error(path, message),
      warn: (path, message) => reporter.warn(path, message),
      input: (file) => serviceEnvFiles.add(file),
      profiles: options.profiles?.length ? options.profiles : [...profileList(lookup('COMPOSE_PROFILES')), ...profileList(lookup('SURGE_PROFILES'))],
      selected: options.services ?? [],
      partial,
      target: chosen.target,
    });
    const project = applyTarget(normalized, doc, chosen.target, reporter);
    if (!reporter.errors.length) {
      const cycle = findDependencyCycle(project);
      if (cycle) reporter.error(['services', cycle[0] as string, 'depends_on'], `depends_on cycle: ${cycle.join(' -> ')}`);
    }
    return project;
  };

  const parsed = boltfileSchema.safeParse(prepared.data);
  if (!parsed.success) {
    zodIssues(parsed.error.issues, prepared.data, reporter);
    // Every problem in one run: without what the schema refused, the later checks (ports, durations, names) still
    // run on the rest. Warnings are the first pass's; a second pass would repeat them.
    const retry = boltfileSchema.safeParse(withoutIssues(prepared.data, parsed.error.issues));
    if (retry.success) {
      const warnings = reporter.warnings.length;
      check(retry.data, true);
      reporter.warnings.length = warnings;
    }
    throw new ConfigError(sortDiagnostics(reporter.errors));
  }
  const project = check(parsed.data);
  if (reporter.errors.length) throw new ConfigError(sortDiagnostics(reporter.errors));
  if (!Object.keys(project.services).length) reporter.warn(['services'], 'no services are declared: there is nothing to run');

  // .env is an input even before it exists: creating it changes the project (watch re-loads on it).
  const inputs = [...new Set([...files, ...projectEnv.inputs, ...serviceEnvFiles])];
  return { project, warnings: sortDiagnostics(reporter.warnings), inputs };
}
