// Collecting located diagnostics: each problem is reported at the file, line and column that provided the value
// (the last -f file that has it), with zod's schema issues turned into words a Boltfile author recognises.
import type { z } from 'zod';
import type { Diagnostic, SourceLocation } from '../../model/errors.js';
import { boltfileSchema } from './boltfile-schema.js';
import { mappingKind } from './merge-files.js';
import type { Source } from './read-source.js';
import { knownKeysAt, type Path } from './schema-walk.js';
import { mayShowValue } from './sensitive-paths.js';
import { closestMatch } from './suggest.js';
import { formatPath, hasPath, isPlainObject, valueAt } from './tree.js';

/**
 * Problems kept per kind. A hostile file can hold a million problems; past this many the rest are only counted (no
 * message built, nothing located), so reporting stays linear and the output readable.
 */
export const MAX_DIAGNOSTICS = 200;

/** A message, or how to build it: suggestions and value descriptions are only worked out for problems that are shown. */
export type Message = string | (() => string);

export class Reporter {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  /** problems past MAX_DIAGNOSTICS, counted but not kept */
  readonly dropped = { errors: 0, warnings: 0 };
  constructor(private readonly sources: Source[]) {}

  /** Keeps the diagnostic `make` builds, unless that kind is full. */
  add(kind: 'errors' | 'warnings', make: () => Diagnostic): void {
    if (this.full(kind)) this.dropped[kind]++;
    else this[kind].push(make());
  }

  full(kind: 'errors' | 'warnings'): boolean {
    return this[kind].length >= MAX_DIAGNOSTICS;
  }

  /** The errors to report, in file order, and a last line saying how many more there were. */
  errorReport(): Diagnostic[] {
    return withDropped(sortDiagnostics(this.errors), this.dropped.errors, 'problems');
  }

  warningReport(): Diagnostic[] {
    return withDropped(sortDiagnostics(this.warnings), this.dropped.warnings, 'warnings');
  }

  /** The file that provided `path` (the last one that has it), and where in it. */
  locate(path: Path, preferValue = false): SourceLocation | null {
    for (let i = this.sources.length - 1; i >= 0; i--) {
      const s = this.sources[i] as Source;
      if (!hasPath(s.data, path)) continue;
      const pos = (preferValue ? s.locations.locateValue(path) : null) ?? s.locations.locate(path)?.position;
      if (pos) return { file: pos.file ?? s.display, line: pos.line, column: pos.column };
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
        if (pos) return { file: pos.file ?? s.display, line: pos.line, column: pos.column };
      }
    }
    const first = this.sources[0];
    return first && !first.fromObject ? { file: first.display, line: 1, column: 1 } : null;
  }

  error(path: Path, message: Message, preferValue = false): void {
    this.add('errors', () => {
      const p = formatPath(path);
      const text = typeof message === 'string' ? message : message();
      return { message: p ? `${p}: ${text}` : text, path: p || null, location: this.locate(path, preferValue) };
    });
  }

  warn(path: Path, message: Message): void {
    this.add('warnings', () => {
      const p = formatPath(path);
      const text = typeof message === 'string' ? message : message();
      return { message: `warning: ${p ? `${p}: ` : ''}${text}`, path: p || null, location: this.locate(path) };
    });
  }
}

/** At most MAX_DIAGNOSTICS of a list collected without a cap, and a last line saying how many more there were. */
export function capDiagnostics(list: Diagnostic[], what: 'problems' | 'warnings'): Diagnostic[] {
  return list.length <= MAX_DIAGNOSTICS ? list : withDropped(list.slice(0, MAX_DIAGNOSTICS), list.length - MAX_DIAGNOSTICS, what);
}

function withDropped(list: Diagnostic[], dropped: number, what: string): Diagnostic[] {
  if (!dropped) return list;
  const more = `${dropped} more ${what} not shown (only the first ${MAX_DIAGNOSTICS} are)`;
  return [...list, { message: what === 'warnings' ? `warning: ${more}` : more, path: null, location: null }];
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
    if (pos) return { file: pos.file ?? s.display, line: pos.line, column: pos.column };
  }
  return null;
}

export type Issue = z.core.$ZodIssue;

export function zodIssues(issues: readonly Issue[], data: unknown, reporter: Reporter, prefix: Path = []): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      let known: string[] | null = null;
      for (const key of issue.keys) {
        reporter.error([...path, key], () => {
          known ??= knownKeysAt(boltfileSchema, data, path);
          const guess = closestMatch(key, known);
          return `unknown key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ''}`;
        });
      }
    } else if (issue.code === 'invalid_value' && 'values' in issue) {
      reporter.error(path, () => `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, true);
    } else if (issue.code === 'invalid_type') {
      reporter.error(path, () => `expected ${tomlType(issue.expected)}, got ${hasPath(data, path) ? describe(valueAt(data, path), path) : 'nothing'}`, true);
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
  const got = describe(valueAt(data, path), path);
  if (branches.length && fitting.length === 0) {
    const expected = [...new Set(branches.map((b) => tomlType((b[0] as Extract<Issue, { code: 'invalid_type' }>).expected)))];
    const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
    reporter.error(path, `expected ${list}, got ${got}`, true);
    return;
  }
  reporter.error(path, `unsupported form (got ${got}); see the Boltfile reference in README.md`, true);
}

/** What a value is, in words; the value itself only where it cannot be a secret. */
function describe(v: unknown, path: Path): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return 'a table';
  return mayShowValue(path, v) ? `${typeof v} ${JSON.stringify(v)}` : `a ${typeof v}`;
}

/**
 * A copy of `data` without what each issue points at. An issue inside a list takes the whole list away, so the
 * positions the later checks report for the other lists' entries stay true.
 */
export function withoutIssues(data: unknown, issues: readonly Issue[]): unknown {
  if (!isPlainObject(data)) return data;
  // Copy on write: only the tables on the way to a removed key are copied, each once, however many keys go. Keys are
  // defined, never assigned, so even one named "__proto__" stays a key.
  const copies = new Map<object, Record<string, unknown>>();
  const copyOf = (table: Record<string, unknown>): Record<string, unknown> => {
    let c = copies.get(table);
    if (!c) {
      c = { ...table };
      copies.set(table, c);
      copies.set(c, c);
    }
    return c;
  };
  const root = copyOf(data);
  const removeAt = (path: Path): void => {
    if (!path.length) return;
    let d = root;
    for (const seg of path.slice(0, -1)) {
      const next = d[seg as string];
      if (!isPlainObject(next)) return;
      const c = copyOf(next);
      Object.defineProperty(d, seg, { value: c, enumerable: true, writable: true, configurable: true });
      d = c;
    }
    delete d[path[path.length - 1] as string];
  };
  for (const issue of issues) {
    let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) removeAt([...path, key]);
      continue;
    }
    const firstIndex = path.findIndex((p) => typeof p === 'number');
    if (firstIndex >= 0) path = path.slice(0, firstIndex);
    removeAt(path);
  }
  return root;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}
