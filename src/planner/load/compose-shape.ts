// A compose document in the raw shape the Boltfile schema validates, in one place. Most compose keys are already
// Boltfile keys written the same way; the forms that differ are rewritten here, each entry keeping where it was
// written: `name` is the project name, `version` is obsolete (a warning, as compose gives), `KEY:` with no value
// in `environment` / `build.args` takes the value from the shell (the Boltfile writes that as a bare "KEY" in a
// list), a resource or a service network declared with no value (`volumes: { data: }`) is an empty table, a label
// with no value is "", `extra_hosts` with several addresses per host is a list, and the legacy
// `external: { name }` is `external: true` with `name`.
import { entryOrigin, markOrigin, originOf, setEntryOrigin } from './provenance.js';
import { isOverride, markOverride } from './merge-files.js';
import type { Path } from './schema-walk.js';
import { isPlainObject } from './tree.js';
import { setOwn } from './yaml-source.js';
import { compareText } from '../../model/order.js';

export interface ShapeNote {
  path: Path;
  /** what the compose form became, for the comments `surge import` writes */
  text: string;
}

export interface ShapeReport {
  warn(path: Path, message: string): void;
  note?(note: ShapeNote): void;
}

/** Replaces `table[key]`, the new value located where the old one was written. */
function replace(table: Record<string, unknown>, key: string, value: unknown): void {
  const origin = entryOrigin(table, key);
  const old = table[key];
  markOrigin(value, originOf(old) ?? origin);
  if (isOverride(old)) markOverride(value);
  setOwn(table, key, value);
  setEntryOrigin(table, key, origin);
}

/** `{ A: "1", B: }` → `["A=1", "B"]` (B from the shell), each entry located at its key. */
function keyValuesWithNulls(table: Record<string, unknown>): unknown[] | null {
  if (!Object.values(table).some((v) => v === null)) return null;
  const list: unknown[] = [];
  for (const [k, v] of Object.entries(table)) {
    list.push(v === null ? k : typeof v === 'object' ? v : `${k}=${String(v)}`);
    setEntryOrigin(list, list.length - 1, entryOrigin(table, k));
  }
  return list;
}

function nullsToEmpty(table: Record<string, unknown>, empty: () => unknown): void {
  for (const [k, v] of Object.entries(table)) if (v === null) replace(table, k, empty());
}

function shapeService(service: Record<string, unknown>, path: Path, report: ShapeReport): void {
  for (const key of ['environment', 'env']) {
    const env = service[key];
    const list = isPlainObject(env) ? keyValuesWithNulls(env) : null;
    if (list) {
      replace(service, key, list);
      report.note?.({ path: [...path, key], text: 'a KEY with no value takes the value of the shell running surge' });
    }
  }
  const build = service.build;
  if (isPlainObject(build)) {
    const args = build.args;
    const list = isPlainObject(args) ? keyValuesWithNulls(args) : null;
    if (list) replace(build, 'args', list);
    if (isPlainObject(build.labels)) nullsToEmpty(build.labels, () => '');
  }
  if (isPlainObject(service.labels)) nullsToEmpty(service.labels, () => '');
  if (isPlainObject(service.networks)) nullsToEmpty(service.networks, () => ({}));
  const hosts = service.extra_hosts;
  if (isPlainObject(hosts) && Object.values(hosts).some(Array.isArray)) {
    const list: unknown[] = [];
    // Sorted by host, as compose-go turns a mapping into a list.
    for (const [host, ips] of Object.entries(hosts).sort(([a], [b]) => compareText(a, b))) {
      for (const ip of Array.isArray(ips) ? ips : [ips]) {
        list.push(`${host}=${String(ip)}`);
        setEntryOrigin(list, list.length - 1, entryOrigin(hosts, host));
      }
    }
    replace(service, 'extra_hosts', list);
  }
}

/** `external: { name: x }` (compose file format 2/3) → `external: true`, `name: x`. */
function legacyExternal(resource: Record<string, unknown>, path: Path, report: ShapeReport): void {
  const ext = resource.external;
  if (!isPlainObject(ext)) return;
  const origin = entryOrigin(resource, 'external');
  if (typeof ext.name === 'string' && resource.name === undefined) {
    setOwn(resource, 'name', ext.name);
    setEntryOrigin(resource, 'name', entryOrigin(ext, 'name'));
  }
  setOwn(resource, 'external', true);
  setEntryOrigin(resource, 'external', origin);
  report.warn([...path, 'external'], '`external: { name }` is deprecated: write `external: true` and `name`');
  report.note?.({ path: [...path, 'external'], text: 'compose\'s legacy `external: { name }`' });
}

/** Rewrites, in place, a compose document (already interpolated) into the Boltfile's raw shape. */
export function shapeComposeDocument(doc: Record<string, unknown>, report: ShapeReport): void {
  if ('version' in doc) {
    report.warn(['version'], 'the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion');
    report.note?.({ path: [], text: `compose's \`version: ${String(doc.version)}\` is obsolete and is left out` });
    delete doc.version;
  }
  if ('name' in doc && !('project' in doc)) {
    const origin = entryOrigin(doc, 'name');
    setOwn(doc, 'project', doc.name);
    setEntryOrigin(doc, 'project', origin);
    delete doc.name;
    report.note?.({ path: ['project'], text: "the project name (compose's `name`)" });
  }
  const extensions = Object.keys(doc).filter((k) => k.startsWith('x-'));
  if (extensions.length) {
    report.note?.({ path: [], text: `compose's extension fields (${extensions.join(', ')}) are left out; what their anchors held is written where it is used` });
  }
  for (const kind of ['networks', 'volumes', 'secrets', 'configs', 'models']) {
    const table = doc[kind];
    if (!isPlainObject(table)) continue;
    nullsToEmpty(table, () => ({}));
    for (const [name, resource] of Object.entries(table)) if (isPlainObject(resource)) legacyExternal(resource, [kind, name], report);
  }
  const services = doc.services;
  if (isPlainObject(services)) {
    for (const [name, service] of Object.entries(services)) if (isPlainObject(service)) shapeService(service, ['services', name], report);
  }
}
