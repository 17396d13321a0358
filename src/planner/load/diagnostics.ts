// Collecting located diagnostics: each problem is reported at the file, line and column that provided the value
// (the last -f file that has it), with zod's schema issues turned into words a Boltfile author recognises.
import type { z } from 'zod';
import { isSensitiveKey } from '../../model/config-hash.js';
import type { Diagnostic, SourceLocation } from '../../model/errors.js';
import { boltfileSchema } from './boltfile-schema.js';
import { mappingKind } from './merge-files.js';
import type { Source } from './read-source.js';
import { knownKeysAt, type Path } from './schema-walk.js';
import { closestMatch } from './suggest.js';
import { formatPath, hasPath, isPlainObject, valueAt } from './tree.js';

export class Reporter {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  constructor(private readonly sources: Source[]) {}

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
    if (pos) return { file: pos.file ?? s.display, line: pos.line, column: pos.column };
  }
  return null;
}

export type Issue = z.core.$ZodIssue;

export function zodIssues(issues: readonly Issue[], data: unknown, reporter: Reporter, prefix: Path = []): void {
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
      const got = hasPath(data, path) ? describe(valueAt(data, path), path) : 'nothing';
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
  const got = describe(valueAt(data, path), path);
  if (branches.length && fitting.length === 0) {
    const expected = [...new Set(branches.map((b) => tomlType((b[0] as Extract<Issue, { code: 'invalid_type' }>).expected)))];
    const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
    reporter.error(path, `expected ${list}, got ${got}`, true);
    return;
  }
  reporter.error(path, `unsupported form (got ${got}); see the Boltfile reference in README.md`, true);
}

/** The value's kind, and the value itself unless a key on its path looks secret (`DB_PASSWORD`, `API_TOKEN`). */
function describe(v: unknown, path: Path): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return 'a table';
  if (path.some((p) => typeof p === 'string' && isSensitiveKey(p))) return `a ${typeof v}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * A copy of `data` without what each issue points at. An issue inside a list takes the whole list away, so the
 * positions the later checks report for the other lists' entries stay true.
 */
export function withoutIssues(data: unknown, issues: readonly Issue[]): unknown {
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

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}
