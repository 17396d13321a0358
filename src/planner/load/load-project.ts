// Boltfile(s) and compose files → normalized Project, with every problem located as FILE:LINE:COL and reported
// together. Each file is read into the Boltfile's raw shape with its `include` and `extends` applied
// (load-document.ts), the files are merged in order (merge-files.ts), then validated and normalized.
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, type Diagnostic } from '../../model/errors.js';
import { findDependencyCycle } from '../graph.js';
import type { Project } from '../../model/model.js';
import { boltfileSchema, type RawBoltfile } from './boltfile-schema.js';
import { capDiagnostics, Reporter, sortDiagnostics, withoutIssues, zodIssues } from './diagnostics.js';
import type { Lookup } from './dotenv.js';
import { projectEnvironment } from './env-files.js';
import { loadLayers, objectLayers, type DocumentContext } from './load-document.js';
import { dropResets, mergeInto } from './merge-files.js';
import { countValues, largestContainer, MAX_VALUES, tooManyValuesMessage } from './limits.js';
import { normalize } from './normalize.js';
import { enforceUnicity } from './merge-unicity.js';
import { profileList } from './profiles.js';
import { locateOrigin, provenanceLocations } from './provenance.js';
import { display, findFiles, type Source } from './read-source.js';
import { parseBoltfile } from './schema-parse.js';
import { prepareTree, type Path } from './schema-walk.js';
import { applyTarget, chooseTarget, containerDocument } from './swarm-target.js';
import { formatPath } from './tree.js';
import type { ShapeNote } from './compose-shape.js';

export { COMPOSE_FILES, COMPOSE_OVERRIDE_FILES, DEFAULT_FILES, findFiles, resolveFiles } from './read-source.js';
export { formatPath } from './tree.js';

export interface LoadOptions {
  /** `-f` files in order; empty → Boltfile.toml, else surge.toml, else compose.yaml (and its override file), in `cwd` */
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
  /** the files surge found by itself when no -f named them (e.g. ["compose.yaml"]), as given to the user; null with -f */
  discovered: string[] | null;
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

interface RawDocument {
  files: string[];
  dir: string;
  merged: Record<string, unknown>;
  lookup: Lookup;
  reporter: Reporter;
  inputs: Set<string>;
  /** env files the project's interpolation read (--env-file, else .env even before it exists) */
  envInputs: string[];
  /** one document from one file (or object), nothing included, no `extends`: its size was checked when it was read */
  oneSource: boolean;
  discovered: string[] | null;
}

/** The files read, interpolated (unless `interpolate` is false), extended, included and merged: the raw document. */
function loadRaw(options: LoadOptions, extra: { interpolate: boolean; notes?: ShapeNote[] }): RawDocument {
  // A document given as an object (a program's generated stack) goes through the same steps as a file.
  const found = options.document ? { files: [] as string[], warnings: [] as Diagnostic[], discovered: null } : findFiles(options.files, options.cwd);
  const files = found.files;
  const dir = options.document ? resolve(options.cwd) : dirname(files[0] as string);

  // The process environment, then --env-file files (or, without them, .env beside the Boltfile): env-files.ts.
  const envFiles = options.envFiles.map((f) => resolve(options.cwd, f));
  const projectEnv = projectEnvironment(options.env, envFiles, resolve(dir, '.env'), options.cwd);
  const lookup: Lookup = projectEnv.lookup;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [...found.warnings];
  const ctx: DocumentContext = {
    cwd: options.cwd,
    lookup,
    interpolate: extra.interpolate,
    pathsDir: dir,
    errors,
    warnings,
    unsetWarned: new Set(),
    inputs: new Set(),
    includeChain: [],
    marks: { resets: 0, extended: 0 },
    ...(extra.notes ? { notes: extra.notes } : {}),
  };
  const layers = options.document ? objectLayers(options.document, ctx) : files.flatMap((f) => loadLayers(f, ctx));
  const merged = layers.reduce<Record<string, unknown>>(
    (acc, layer) =>
      mergeInto(acc, layer.data, {
        problem: (p) => {
          const at = formatPath(p.path);
          errors.push({ message: `${at}: ${p.message}`, path: at, location: locateOrigin(p.origin) });
        },
      }),
    {},
  );
  if (errors.length) throw new ConfigError(capDiagnostics(sortDiagnostics(errors), 'problems'));
  if (ctx.marks.resets) dropResets(merged);
  enforceUnicity(merged);

  // One source for the merged document: its positions follow each value to the file and line that wrote it.
  const first = files[0];
  const source: Source = {
    file: first ?? '<object>',
    display: first ? display(first, options.cwd) : '<object>',
    ...(first ? {} : { fromObject: true }),
    text: '',
    format: 'toml',
    data: merged,
    locations: provenanceLocations(merged),
    resets: [],
    overrides: [],
  };
  const reporter = new Reporter([source]);
  for (const w of warnings) reporter.add('warnings', () => w);
  const discovered = found.discovered ? files.map((f) => display(f, options.cwd)) : null;
  // (a file counts itself among the inputs; a document given as an object does not: any input is then an include)
  const oneSource = layers.length === 1 && ctx.inputs.size === (options.document ? 0 : 1) && ctx.marks.extended === 0;
  return { files, dir, merged, lookup, reporter, inputs: ctx.inputs, envInputs: projectEnv.inputs, discovered, oneSource };
}

export interface RawDocumentOptions {
  /** default false: `${VAR}` kept as written in the files themselves, as `surge import` writes it */
  interpolate?: boolean;
  /** hears where compose forms were rewritten into Boltfile forms */
  notes?: ShapeNote[];
}

/**
 * The raw document of the project: every file read, extended, included and merged, in the Boltfile's raw shape
 * (what the schema validates), not yet validated — what `surge import` turns into a Boltfile.
 */
export function loadRawDocument(options: LoadOptions, extra: RawDocumentOptions = {}): { data: Record<string, unknown>; warnings: Diagnostic[]; dir: string; files: string[] } {
  const raw = loadRaw(options, { interpolate: extra.interpolate ?? false, ...(extra.notes ? { notes: extra.notes } : {}) });
  return { data: raw.merged, warnings: sortDiagnostics(raw.reporter.warnings), dir: raw.dir, files: raw.files };
}

/**
 * The schema's verdict, or null when zod overflowed the stack listing it: it gathers a subtree's problems with
 * `push(...issues)`, which has an argument limit (some 100,000). Nesting is capped (limits.ts), so nothing else in
 * zod can: a hostile list of 300,000 wrong entries must still end in a user error.
 */
function validate(data: unknown): ReturnType<typeof boltfileSchema.safeParse> | null {
  try {
    return parseBoltfile(data);
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

export function loadProject(options: LoadOptions): LoadedProject {
  const { files, dir, merged, lookup, reporter, inputs: read, envInputs, discovered, oneSource } = loadRaw(options, { interpolate: true });
  // Each file was checked when read; several files (or includes and extends) may still add up past the cap.
  if (!oneSource && countValues(merged) > MAX_VALUES) {
    const { path, size } = largestContainer(merged);
    reporter.add('errors', () => ({ message: tooManyValuesMessage(formatPath(path), size), path: null, location: reporter.locate(path) }));
    throw new ConfigError(reporter.errorReport());
  }
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

  const parsed = validate(prepared.data);
  if (!parsed) {
    // zod could not even list the problems: say where the bulk of the document is, which is where they are.
    const { path, size } = largestContainer(prepared.data);
    reporter.error(path, `too many problems to report (the schema gives up past about 100,000 in one place); this holds ${size} entries`);
    throw new ConfigError(reporter.errorReport());
  }
  if (!parsed.success) {
    zodIssues(parsed.error.issues, prepared.data, reporter);
    // Every problem in one run: without what the schema refused, the later checks (ports, durations, names) still
    // run on the rest. Warnings are the first pass's; a second pass would repeat them.
    const retry = validate(withoutIssues(prepared.data, parsed.error.issues));
    if (retry?.success) {
      const warnings = reporter.warnings.length;
      const dropped = reporter.dropped.warnings;
      check(retry.data, true);
      reporter.warnings.length = warnings;
      reporter.dropped.warnings = dropped;
    }
    throw new ConfigError(reporter.errorReport());
  }
  const project = check(parsed.data);
  if (reporter.errors.length) throw new ConfigError(reporter.errorReport());
  if (!Object.keys(project.services).length) reporter.warn(['services'], 'no services are declared: there is nothing to run');

  // .env is an input even before it exists: creating it changes the project (watch re-loads on it).
  const inputs = [...new Set([...files, ...read, ...envInputs, ...serviceEnvFiles])];
  return { project, warnings: reporter.warningReport(), inputs, discovered };
}
