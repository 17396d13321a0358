// Boltfile(s) → normalized Project, with every problem located as FILE:LINE:COL and reported together.
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, type Diagnostic, type SourceLocation } from '../../model/errors.js';
import { findDependencyCycle } from '../graph.js';
import type { Project } from '../../model/model.js';
import { boltfileSchema, type RawBoltfile } from './boltfile-schema.js';
import { Reporter, withoutIssues, zodIssues } from './diagnostics.js';
import type { Lookup } from './dotenv.js';
import { interpolateTree } from './interpolate.js';
import { mergeInto } from './merge-files.js';
import { normalize } from './normalize.js';
import { readDotenv, readSource, resolveFiles } from './read-source.js';
import { prepareTree, type Path } from './schema-walk.js';
import { isSensitivePath, sensitiveInterpolationMessage } from './sensitive.js';
import { formatPath, valueAt } from './tree.js';

export { DEFAULT_FILES, resolveFiles } from './read-source.js';
export { formatPath } from './tree.js';

export interface LoadOptions {
  /** `-f` files in order; empty → Boltfile.toml, else surge.toml, in `cwd` */
  files: string[];
  cwd: string;
  projectName?: string | undefined;
  envFiles: string[];
  env: Record<string, string | undefined>;
}

export interface LoadedProject {
  project: Project;
  warnings: Diagnostic[];
  /** every file whose change should re-load the project: Boltfiles, .env (whether or not it exists yet), --env-file, services' env_file */
  inputs: string[];
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

function projectName(doc: RawBoltfile, options: LoadOptions, dir: string, reporter: Reporter): string {
  const fromFile: [string | undefined, Path][] = [
    [typeof doc.project === 'string' ? doc.project : undefined, ['project']],
    [typeof doc.project === 'object' ? doc.project.name : undefined, ['project', 'name']],
    [doc.metadata?.name, ['metadata', 'name']],
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
  const files = resolveFiles(options.files, options.cwd);
  const sources = files.map((f) => readSource(f, options.cwd));
  const dir = dirname(files[0] as string);
  const reporter = new Reporter(sources);

  // Interpolation sources in order: the process environment, then .env beside the Boltfile, then --env-file.
  // Own keys only: `${toString}` must not find Object.prototype's function.
  const own = (table: Record<string, string | undefined>, k: string): string | undefined => (Object.hasOwn(table, k) ? table[k] : undefined);
  const processLookup: Lookup = (k) => own(options.env, k);
  const dotenvFile = resolve(dir, '.env');
  const dotenv = readDotenv(dotenvFile, options.cwd, false, processLookup);
  const envFiles = options.envFiles.map((f) => resolve(options.cwd, f));
  const extra = Object.create(null) as Record<string, string>;
  for (const f of envFiles) Object.assign(extra, readDotenv(f, options.cwd, true, processLookup));
  const lookup: Lookup = (k) => own(options.env, k) ?? own(dotenv, k) ?? own(extra, k);

  // Like compose, an unset variable becomes "" with a warning, once per variable: a typo must not pass silently.
  // Inside a sensitive value, a `$` may be part of the secret: the warning names the key, not what follows the `$`.
  const unsetWarned = new Set<string>();
  for (const s of sources) {
    const original = s.data;
    const at = (path: Path): SourceLocation | null => {
      const pos = s.locations.locateValue(path) ?? s.locations.locate(path)?.position;
      return pos ? { file: s.display, line: pos.line, column: pos.column } : null;
    };
    const sensitive = (path: Path): boolean => isSensitivePath(path, valueAt(original, path));
    s.data = interpolateTree(
      original,
      lookup,
      (path, message) => {
        const p = formatPath(path);
        const text = sensitive(path) ? sensitiveInterpolationMessage(message) : message;
        reporter.add('errors', () => ({ message: `${p}: ${text}`, path: p, location: at(path) }));
      },
      (path, name) => {
        const p = formatPath(path);
        const secret = sensitive(path);
        const once = secret ? `path:${p}` : name;
        if (unsetWarned.has(once)) return;
        unsetWarned.add(once);
        const text = secret
          ? 'a `$` in this sensitive value starts a variable that is not set; using an empty string for it (write `$$` for a literal `$`)'
          : `variable ${name} is not set; using an empty string`;
        reporter.add('warnings', () => ({ message: `warning: ${p}: ${text}`, path: p, location: at(path) }));
      },
    ) as Record<string, unknown>;
  }
  if (reporter.errors.length) throw new ConfigError(reporter.errorReport());

  const merged = sources.reduce<Record<string, unknown>>((acc, s) => mergeInto(acc, s.data, lookup), {});
  const prepared = prepareTree(boltfileSchema, merged);
  for (const path of prepared.ecosystemPaths) reporter.warn(path, 'not applied by surge (Bolt runtime setting)');

  const serviceEnvFiles = new Set<string>();
  const check = (doc: RawBoltfile): Project => {
    const project = normalize(doc, {
      projectName: projectName(doc, options, dir, reporter),
      workingDir: dir,
      files,
      lookup,
      error: (path, message) => reporter.error(path, message),
      warn: (path, message) => reporter.warn(path, message),
      input: (file) => serviceEnvFiles.add(file),
    });
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
      const dropped = reporter.dropped.warnings;
      check(retry.data);
      reporter.warnings.length = warnings;
      reporter.dropped.warnings = dropped;
    }
    throw new ConfigError(reporter.errorReport());
  }
  const project = check(parsed.data);
  if (reporter.errors.length) throw new ConfigError(reporter.errorReport());
  if (!Object.keys(project.services).length) reporter.warn(['services'], 'no services are declared: there is nothing to run');

  // .env is an input even before it exists: creating it changes the project (watch re-loads on it).
  const inputs = [...new Set([...files, dotenvFile, ...envFiles, ...serviceEnvFiles])];
  return { project, warnings: reporter.warningReport(), inputs };
}
