// Boltfile(s) → normalized Project, with every problem located as FILE:LINE:COL and reported together.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { ConfigError, type Diagnostic, type SourceLocation } from '../../errors.js';
import { findDependencyCycle } from '../graph.js';
import type { Project } from '../model.js';
import { boltfileSchema, type RawBoltfile } from './boltfile-schema.js';
import { parseDotenv, type Lookup } from './dotenv.js';
import { interpolateTree } from './interpolate.js';
import { normalize } from './normalize.js';
import { knownKeysAt, prepareTree, type Path } from './schema-walk.js';
import { closestMatch } from './suggest.js';
import { scanTomlLocations, type TomlLocations } from './toml-locations.js';

export const DEFAULT_FILES = ['Boltfile.toml', 'surge.toml'] as const;

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

interface Source {
  file: string;
  /** as printed in messages: relative to cwd when inside it */
  display: string;
  text: string;
  data: Record<string, unknown>;
  locations: TomlLocations;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export function resolveFiles(files: string[], cwd: string): string[] {
  if (files.length) return files.map((f) => resolve(cwd, f));
  for (const name of DEFAULT_FILES) {
    const f = resolve(cwd, name);
    if (existsSync(f)) return [f];
  }
  throw new ConfigError([
    {
      message: `no Boltfile.toml or surge.toml in ${cwd}: create one, or name it with -f FILE`,
      path: null,
      location: null,
    },
  ]);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function hasPath(data: unknown, path: Path): boolean {
  let d: unknown = data;
  for (const seg of path) {
    if (Array.isArray(d) && typeof seg === 'number') d = d[seg];
    else if (isPlainObject(d) && typeof seg === 'string' && Object.hasOwn(d, seg)) d = d[seg];
    else return false;
  }
  return true;
}

type MappingKind = 'env' | 'labels' | 'names';

/** Values written either as a table or as a list (`["K=V"]`, `["db"]`): override files merge them entry by entry. */
function mappingKind(path: Path): MappingKind | null {
  const [top, , key, sub] = path;
  if (top === 'services' && path.length === 3) {
    if (key === 'environment' || key === 'env') return 'env';
    if (key === 'labels') return 'labels';
    if (key === 'depends_on' || key === 'networks') return 'names';
  }
  if (top === 'services' && path.length === 4 && key === 'build' && sub === 'args') return 'env';
  if ((top === 'networks' || top === 'volumes') && path.length === 3 && key === 'labels') return 'labels';
  return null;
}

/** The table form of a mapping, or null when the value is not one the loader would accept (it reports that later). */
function asTable(v: unknown, kind: MappingKind, lookup: Lookup): Record<string, unknown> | null {
  if (isPlainObject(v)) return v;
  if (!Array.isArray(v)) return null;
  const out: Record<string, unknown> = {};
  for (const entry of v) {
    if (typeof entry !== 'string') return null;
    if (kind === 'names') {
      out[entry] = {};
      continue;
    }
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (key.trim() === '' || /\s/.test(key)) return null;
    if (eq >= 0) out[key] = entry.slice(eq + 1);
    else if (kind === 'labels') out[key] = '';
    else {
      // A bare "K" takes the shell's value, as normalize does for a single file.
      const value = lookup(key);
      if (value !== undefined) out[key] = value;
    }
  }
  return out;
}

/** `env` and `environment` are one mapping: an override written with the other name still overrides. */
function alignEnvironmentKey(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const target = 'environment' in base ? 'environment' : 'env' in base ? 'env' : null;
  if (!target) return over;
  const other = target === 'environment' ? 'env' : 'environment';
  if (!(other in over) || target in over) return over;
  const { [other]: moved, ...rest } = over;
  return { ...rest, [target]: moved };
}

/** Service lists compose's override files add to rather than replace (compose-spec "merge"), and how. */
const APPENDED = new Set(['ports', 'expose', 'dns', 'dns_search', 'tmpfs', 'cap_add', 'cap_drop', 'extra_hosts']);
const BY_TARGET = new Set(['volumes', 'devices']);

/** The container path a `volumes`/`devices` entry mounts at: entries with the same one override each other. */
function mountTarget(entry: unknown): string | null {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    return (parts.length === 1 ? parts[0] : parts[1]) ?? null;
  }
  if (isPlainObject(entry) && typeof entry.target === 'string') return entry.target;
  return null;
}

/** `ports` and friends: both files' entries, once each; `volumes`/`devices`: by container path, the later file winning. */
function mergeList(key: string, base: unknown[], over: unknown[]): unknown[] {
  if (APPENDED.has(key)) {
    const seen = new Set(base.map((e) => JSON.stringify(e)));
    return [...base, ...over.filter((e) => !seen.has(JSON.stringify(e)))];
  }
  const overridden = new Set(over.map(mountTarget).filter((t) => t !== null));
  return [...base.filter((e) => !overridden.has(mountTarget(e) ?? '')), ...over];
}

/**
 * Later files override earlier ones key by key, like compose's override files: tables merge, mappings merge entry
 * by entry whatever form each file writes them in, `ports`-like lists add up, `volumes` and `devices` merge by
 * container path, other arrays and scalars are replaced whole.
 */
function mergeInto(base: Record<string, unknown>, over: Record<string, unknown>, lookup: Lookup, path: Path = []): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const entries = path.length === 2 && path[0] === 'services' ? alignEnvironmentKey(base, over) : over;
  for (const [k, v] of Object.entries(entries)) {
    const at = [...path, k];
    const b = out[k];
    const kind = b === undefined ? null : mappingKind(at);
    const bt = kind ? asTable(b, kind, lookup) : null;
    const vt = kind ? asTable(v, kind, lookup) : null;
    if (bt && vt) out[k] = mergeInto(bt, vt, lookup, at);
    else if (at.length === 3 && at[0] === 'services' && Array.isArray(b) && Array.isArray(v) && (APPENDED.has(k) || BY_TARGET.has(k))) out[k] = mergeList(k, b, v);
    else out[k] = isPlainObject(b) && isPlainObject(v) ? mergeInto(b, v, lookup, at) : v;
  }
  return out;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `${out ? '.' : ''}"${seg}"`;
  }
  return out;
}

class Reporter {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  constructor(private readonly sources: Source[]) {}

  /** The file that provided `path` (the last one that has it), and where in it. */
  locate(path: Path, preferValue = false): SourceLocation | null {
    for (let i = this.sources.length - 1; i >= 0; i--) {
      const s = this.sources[i] as Source;
      if (!hasPath(s.data, path)) continue;
      const pos = (preferValue ? s.locations.locateValue(path) : null) ?? s.locations.locate(path)?.position;
      if (pos) return { file: s.display, line: pos.line, column: pos.column };
    }
    // An entry of a mapping one file writes as a list (`depends_on = ["db"]`, `environment = ["K=V"]`): that element.
    const entry = listEntryPath(path, this.sources);
    if (entry) return entry;
    // Not present verbatim (e.g. a default filled in): point at the longest prefix any file has.
    for (let n = path.length - 1; n > 0; n--) {
      const prefix = path.slice(0, n);
      for (let i = this.sources.length - 1; i >= 0; i--) {
        const s = this.sources[i] as Source;
        if (!hasPath(s.data, prefix)) continue;
        const pos = s.locations.locate(prefix)?.position;
        if (pos) return { file: s.display, line: pos.line, column: pos.column };
      }
    }
    const first = this.sources[0];
    return first ? { file: first.display, line: 1, column: 1 } : null;
  }

  error(path: Path, message: string, preferValue = false): void {
    const p = formatPath(path);
    this.errors.push({ message: p ? `${p}: ${message}` : message, path: p || null, location: this.locate(path, preferValue) });
  }

  warn(path: Path, message: string): void {
    const p = formatPath(path);
    this.warnings.push({ message: `warning: ${p ? `${p}: ` : ''}${message}`, path: p || null, location: this.locate(path) });
  }
}

function listEntryPath(path: Path, sources: Source[]): SourceLocation | null {
  const key = path.at(-1);
  const parent = path.slice(0, -1);
  if (typeof key !== 'string' || !mappingKind(parent)) return null;
  for (let i = sources.length - 1; i >= 0; i--) {
    const s = sources[i] as Source;
    const list = valueAt(s.data, parent);
    if (!Array.isArray(list)) continue;
    const index = list.findIndex((e) => e === key || (typeof e === 'string' && e.startsWith(`${key}=`)));
    if (index < 0) continue;
    const pos = s.locations.locateValue([...parent, index]) ?? s.locations.locate([...parent, index])?.position;
    if (pos) return { file: s.display, line: pos.line, column: pos.column };
  }
  return null;
}

function readSource(file: string, cwd: string): Source {
  const shown = display(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`;
    throw new ConfigError([{ message: `${shown}: ${why}`, path: null, location: null }]);
  }
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0] ?? 'invalid TOML';
      const reason = first.replace(/^Invalid TOML document: /, '');
      throw new ConfigError([
        { message: `invalid TOML: ${reason}`, path: null, location: { file: shown, line: err.line, column: err.column } },
      ]);
    }
    throw err;
  }
  const locations = scanTomlLocations(text);
  if (locations.notToml10) {
    const { position, message } = locations.notToml10;
    throw new ConfigError([{ message: `invalid TOML: ${message}`, path: null, location: { file: shown, line: position.line, column: position.column } }]);
  }
  return { file, display: shown, text, data, locations };
}

function readDotenv(file: string, cwd: string, required: boolean, lookup: Lookup): Record<string, string> {
  if (!existsSync(file)) {
    if (!required) return {};
    throw new ConfigError([{ message: `${display(file, cwd)}: env file not found`, path: null, location: null }]);
  }
  const parsed = parseDotenv(readFileSync(file, 'utf8'), lookup);
  if (!parsed.ok) {
    throw new ConfigError([
      { message: parsed.message, path: null, location: { file: display(file, cwd), line: parsed.line, column: parsed.column } },
    ]);
  }
  return Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]));
}

type Issue = z.core.$ZodIssue;

function zodIssues(issues: readonly Issue[], data: unknown, reporter: Reporter, prefix: Path = []): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(boltfileSchema, data, path);
      for (const key of issue.keys) {
        const guess = closestMatch(key, known);
        reporter.error([...path, key], `unknown key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ''}`);
      }
    } else if (issue.code === 'invalid_value' && 'values' in issue) {
      reporter.error(path, `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, true);
    } else if (issue.code === 'invalid_type') {
      const got = hasPath(data, path) ? describe(valueAt(data, path)) : 'nothing';
      reporter.error(path, `expected ${tomlType(issue.expected)}, got ${got}`, true);
    } else if (issue.code === 'invalid_union') {
      unionIssue(issue, path, data, reporter);
    } else {
      reporter.error(path, issue.message, true);
    }
  }
}

/** zod's type names in the words of a TOML user. */
function tomlType(expected: string): string {
  return expected === 'object' || expected === 'record' || expected === 'map' ? 'table' : expected;
}

/** A form mismatch at the union itself: the value is none of the types the union accepts. */
function isFormMismatch(branch: readonly Issue[]): boolean {
  return branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
}

/**
 * Reports a union failure where it happened. When exactly one form fits the value's type (say the table form of
 * `depends_on`), its problem is the user's (`depends_on.db.condition`), not "unsupported form" at the union.
 */
function unionIssue(issue: Extract<Issue, { code: 'invalid_union' }>, path: Path, data: unknown, reporter: Reporter): void {
  const branches = 'errors' in issue ? issue.errors : [];
  const fitting = branches.filter((b) => !isFormMismatch(b));
  if (fitting.length === 1) {
    zodIssues(fitting[0] as Issue[], data, reporter, path);
    return;
  }
  const got = describe(valueAt(data, path));
  if (branches.length && fitting.length === 0) {
    const expected = [...new Set(branches.map((b) => tomlType((b[0] as Extract<Issue, { code: 'invalid_type' }>).expected)))];
    const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
    reporter.error(path, `expected ${list}, got ${got}`, true);
    return;
  }
  reporter.error(path, `unsupported form (got ${got}); see the Boltfile reference in README.md`, true);
}

function valueAt(data: unknown, path: Path): unknown {
  let d: unknown = data;
  for (const seg of path) d = (d as Record<string | number, unknown> | undefined)?.[seg];
  return d;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return 'a table';
  return `${typeof v} ${JSON.stringify(v)}`;
}

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
  const processLookup: Lookup = (k) => options.env[k];
  const dotenvFile = resolve(dir, '.env');
  const dotenv = readDotenv(dotenvFile, options.cwd, false, processLookup);
  const envFiles = options.envFiles.map((f) => resolve(options.cwd, f));
  const extra: Record<string, string> = {};
  for (const f of envFiles) Object.assign(extra, readDotenv(f, options.cwd, true, processLookup));
  const lookup: Lookup = (k) => options.env[k] ?? dotenv[k] ?? extra[k];

  // Like compose, an unset variable becomes "" with a warning, once per variable: a typo must not pass silently.
  const unsetWarned = new Set<string>();
  for (const s of sources) {
    const at = (path: Path): SourceLocation | null => {
      const pos = s.locations.locateValue(path) ?? s.locations.locate(path)?.position;
      return pos ? { file: s.display, line: pos.line, column: pos.column } : null;
    };
    s.data = interpolateTree(
      s.data,
      lookup,
      (path, message) => {
        const p = formatPath(path);
        reporter.errors.push({ message: `${p}: ${message}`, path: p, location: at(path) });
      },
      (path, name) => {
        if (unsetWarned.has(name)) return;
        unsetWarned.add(name);
        const p = formatPath(path);
        reporter.warnings.push({ message: `warning: ${p}: variable ${name} is not set; using an empty string`, path: p, location: at(path) });
      },
    ) as Record<string, unknown>;
  }
  if (reporter.errors.length) throw new ConfigError(reporter.errors);

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
      check(retry.data);
      reporter.warnings.length = warnings;
    }
    throw new ConfigError(sortDiagnostics(reporter.errors));
  }
  const project = check(parsed.data);
  if (reporter.errors.length) throw new ConfigError(sortDiagnostics(reporter.errors));
  if (!Object.keys(project.services).length) reporter.warn(['services'], 'no services are declared: there is nothing to run');

  // .env is an input even before it exists: creating it changes the project (watch re-loads on it).
  const inputs = [...new Set([...files, dotenvFile, ...envFiles, ...serviceEnvFiles])];
  return { project, warnings: sortDiagnostics(reporter.warnings), inputs };
}

/**
 * A copy of `data` without what each issue points at. An issue inside a list takes the whole list away, so the
 * positions the later checks report for the other lists' entries stay true.
 */
function withoutIssues(data: unknown, issues: readonly Issue[]): unknown {
  const copy = structuredClone(data);
  if (!isPlainObject(copy)) return copy;
  for (const issue of issues) {
    let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) removeAt(copy, [...path, key]);
      continue;
    }
    const firstIndex = path.findIndex((p) => typeof p === 'number');
    if (firstIndex >= 0) path = path.slice(0, firstIndex);
    removeAt(copy, path);
  }
  return copy;
}

function removeAt(data: Record<string, unknown>, path: Path): void {
  if (!path.length) return;
  let d: unknown = data;
  for (const seg of path.slice(0, -1)) {
    if (!isPlainObject(d)) return;
    d = d[seg as string];
  }
  if (isPlainObject(d)) delete d[path[path.length - 1] as string];
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}
