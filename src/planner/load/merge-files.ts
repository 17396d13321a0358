// Documents merged key by key, by compose-go's rules (its override/merge.go and override/uncity.go), over the
// Boltfile's raw shape: several -f files, a service and the one it extends, an included resource and the including
// file's. Tables merge; lists add up, except `command`, `entrypoint`, `healthcheck.test` (replaced) and the mappings
// written as lists (`environment`, `labels`, `depends_on`, `networks`, …) which merge entry by entry whatever form
// each side uses; `!reset` removes a value, `!override` replaces instead of merging. enforceUnicity then keeps one
// entry per key in the lists compose keeps unique (a port, a mount target, an env key…): the later one, in the
// place of the first. Every entry keeps where it was written (provenance.ts).
import { entryOrigin, markOrigin, originOf, setEntryOrigin, type Origin } from './provenance.js';
import type { Path } from './schema-walk.js';
import { isPlainObject } from './tree.js';
import { setOwn } from './yaml-source.js';
import { compareText } from '../../model/order.js';

/** `!reset`: the value is removed from what earlier documents set. */
export const RESET: unique symbol = Symbol('!reset');
const overrides = new WeakSet<object>();

/** `!override`: this container replaces what earlier documents set instead of merging with it. */
export function markOverride(value: unknown): void {
  if (typeof value === 'object' && value !== null) overrides.add(value);
}

export function isOverride(value: unknown): boolean {
  return typeof value === 'object' && value !== null && overrides.has(value);
}

type MappingKind = 'env' | 'labels' | 'names';

/** Path patterns: `*` is any one key. */
function matches(path: Path, pattern: readonly string[]): boolean {
  return path.length === pattern.length && pattern.every((p, i) => p === '*' || p === path[i]);
}

const MAPPINGS: [readonly string[], MappingKind][] = [
  [['services', '*', 'environment'], 'env'],
  [['services', '*', 'env'], 'env'],
  [['services', '*', 'build', 'args'], 'env'],
  [['services', '*', 'labels'], 'labels'],
  [['services', '*', 'annotations'], 'labels'],
  [['services', '*', 'sysctls'], 'labels'],
  [['services', '*', 'build', 'labels'], 'labels'],
  [['services', '*', 'build', 'additional_contexts'], 'labels'],
  [['services', '*', 'deploy', 'labels'], 'labels'],
  [['networks', '*', 'labels'], 'labels'],
  [['volumes', '*', 'labels'], 'labels'],
  [['network', 'labels'], 'labels'],
  [['services', '*', 'depends_on'], 'names'],
  [['services', '*', 'networks'], 'names'],
  [['services', '*', 'models'], 'names'],
];

/** Values written either as a table or as a list (`["K=V"]`, `["db"]`): merged entry by entry. */
export function mappingKind(path: Path): MappingKind | null {
  for (const [pattern, kind] of MAPPINGS) if (matches(path, pattern)) return kind;
  return null;
}

/** Replaced whole by a later document (compose's `override` rule; `gpu` lists are Bolt's and name a choice). */
function replaces(path: Path): boolean {
  const [top, , key, sub] = path;
  if (top !== 'services' || path.length < 3) return false;
  if (path.length === 3) return key === 'command' || key === 'entrypoint';
  if (path.length === 4 && (key === 'healthcheck' || key === 'health')) return sub === 'test';
  if (key === 'ulimits' && path.length === 4) return true;
  return key === 'gpu';
}

/** Lists compose also accepts as one string (`dns: 8.8.8.8`): a string merges as a one-entry list. */
const STRING_OR_LIST = new Set(['dns', 'dns_opt', 'dns_search', 'env_file', 'label_file', 'tmpfs']);

/** Boltfile aliases of one setting: a later file writing the other name still overrides it. */
const ALIASES: [string, string][] = [
  ['environment', 'env'],
  ['healthcheck', 'health'],
  ['cpu_limit', 'cpus'],
  ['memory_limit', 'mem_limit'],
];

export interface MergeProblem {
  path: Path;
  message: string;
  /** where the value that could not be merged was written */
  origin: Origin | null;
}

export interface MergeOptions {
  /** told of a value that cannot merge with what an earlier document has (a table over a list…) */
  problem?(p: MergeProblem): void;
}

/** A list of the result, located where `like` (the later document's value) is. */
function newList(items: { value: unknown; origin: Origin | null }[], like: unknown): unknown[] {
  const out: unknown[] = [];
  markOrigin(out, originOf(like));
  items.forEach((item, i) => {
    out.push(item.value);
    setEntryOrigin(out, i, item.origin);
  });
  return out;
}

function listItems(value: unknown[]): { value: unknown; origin: Origin | null }[] {
  return value.map((v, i) => ({ value: v, origin: entryOrigin(value, i) }));
}

/** `{K = "v"}` as `["K=v"]`, sorted by key like compose's convertIntoSequence, each entry located at its key. */
function tableAsList(table: Record<string, unknown>, kind: MappingKind): { value: unknown; origin: Origin | null }[] {
  const items: { value: unknown; origin: Origin | null }[] = [];
  for (const [k, v] of Object.entries(table).sort(([a], [b]) => compareText(a, b))) {
    const origin = entryOrigin(table, k);
    if (kind === 'names') items.push({ value: k, origin });
    else if (Array.isArray(v)) for (const x of v) items.push({ value: `${k}=${String(x)}`, origin });
    else items.push({ value: v === null ? k : `${k}=${String(v)}`, origin });
  }
  return items;
}

/** `["db"]` as `{ db = {} }` for depends_on / networks. */
function namesAsTable(value: unknown): Record<string, unknown> | null {
  if (isPlainObject(value)) return value;
  if (!Array.isArray(value) || !value.every((e) => typeof e === 'string')) return null;
  const out: Record<string, unknown> = {};
  markOrigin(out, originOf(value));
  value.forEach((name, i) => {
    const entry = {};
    markOrigin(entry, entryOrigin(value, i));
    setOwn(out, name as string, entry);
    setEntryOrigin(out, name as string, entryOrigin(value, i));
  });
  return out;
}

function mergeMapping(kind: MappingKind, base: unknown, over: unknown, path: Path, options: MergeOptions): unknown {
  if (kind === 'names') {
    const b = namesAsTable(base);
    const o = namesAsTable(over);
    return b && o ? mergeTables(b, o, path, options) : over;
  }
  if (isPlainObject(base) && isPlainObject(over)) return mergeTables(base, over, path, options);
  // Either side a list: the result is a list (compose's mergeToSequence), made unique by key afterwards.
  const side = (v: unknown): { value: unknown; origin: Origin | null }[] | null =>
    Array.isArray(v) ? listItems(v) : isPlainObject(v) ? tableAsList(v, kind) : null;
  const b = side(base);
  const o = side(over);
  return b && o ? newList([...b, ...o], over) : over;
}

function asList(key: string, value: unknown): unknown {
  if (typeof value === 'string' && STRING_OR_LIST.has(key)) {
    const list = [value];
    markOrigin(list, null);
    return list;
  }
  return value;
}

/** `volumes = { "./src" = "/app:ro" }` (a Boltfile form) as the list form, so mounts merge by target. */
function volumeTableAsList(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const items = Object.entries(value).map(([source, spec]) => ({ value: `${source}:${String(spec)}`, origin: entryOrigin(value, source) }));
  return newList(items, value);
}

/** extra_hosts: both lists, the later one's entries the earlier one already has dropped. */
function mergeExtraHosts(base: unknown, over: unknown): unknown {
  const side = (v: unknown): { value: unknown; origin: Origin | null }[] | null =>
    Array.isArray(v) ? listItems(v) : isPlainObject(v) ? tableAsList(v, 'labels') : null;
  const b = side(base);
  const o = side(over);
  if (!b || !o) return over;
  const seen = new Set(b.map((e) => e.value));
  return newList([...b, ...o.filter((e) => !seen.has(e.value))], over);
}

/** A later file's service may write `env` for `environment` (and so on): align it on the earlier name. */
function alignAliases(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  let out = over;
  for (const [a, b] of ALIASES) {
    const target = a in base ? a : b in base ? b : null;
    if (!target) continue;
    const other = target === a ? b : a;
    if (!(other in out) || target in out) continue;
    const renamed: Record<string, unknown> = {};
    markOrigin(renamed, originOf(out));
    for (const [k, v] of Object.entries(out)) {
      const name = k === other ? target : k;
      setOwn(renamed, name, v);
      setEntryOrigin(renamed, name, entryOrigin(out, k));
    }
    out = renamed;
  }
  return out;
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'a list' : isPlainObject(v) ? 'a table' : `a ${typeof v}`;
}

function mergeValue(base: unknown, over: unknown, path: Path, options: MergeOptions): unknown {
  if (over === null || over === undefined) return base;
  if (base === undefined || base === null || isOverride(over)) return over;
  const key = String(path.at(-1));
  const kind = mappingKind(path);
  if (kind) return mergeMapping(kind, base, over, path, options);
  if (replaces(path)) return over;
  if (path.length === 3 && path[0] === 'services') {
    if (key === 'extra_hosts') return mergeExtraHosts(base, over);
    if (key === 'build' && (typeof base === 'string' || typeof over === 'string')) {
      const asTable = (v: unknown): unknown => (typeof v === 'string' ? { context: v } : v);
      return mergeValue(asTable(base), asTable(over), path, options);
    }
    if (key === 'logging' && isPlainObject(base) && isPlainObject(over) && base.driver !== undefined && over.driver !== undefined && base.driver !== over.driver) {
      return over;
    }
    if (key === 'volumes') {
      base = volumeTableAsList(base);
      over = volumeTableAsList(over);
    }
    base = asList(key, base);
    over = asList(key, over);
  }
  if (path.length === 4 && path[0] === 'services' && path[2] === 'build' && key === 'extra_hosts') return mergeExtraHosts(base, over);
  if (path.length === 4 && path[0] === 'networks' && path[2] === 'ipam' && path[3] === 'config' && Array.isArray(base) && Array.isArray(over)) {
    return mergeIpamConfig(base, over, path, options);
  }
  if (isPlainObject(base) && isPlainObject(over)) return mergeTables(base, over, path, options);
  if (Array.isArray(base) && Array.isArray(over)) return newList([...listItems(base), ...listItems(over)], over);
  if (isPlainObject(base) || Array.isArray(base) || isPlainObject(over) || Array.isArray(over)) {
    options.problem?.({ path, message: `cannot override ${describe(base)} with ${describe(over)}`, origin: originOf(over) });
  }
  return over;
}

/** networks.*.ipam.config: entries with the same subnet merge, the others add up. */
function mergeIpamConfig(base: unknown[], over: unknown[], path: Path, options: MergeOptions): unknown[] {
  const out: unknown[] = [...base];
  for (const entry of over) {
    const subnet = isPlainObject(entry) ? entry.subnet : undefined;
    const i = out.findIndex((e) => isPlainObject(e) && e.subnet === subnet);
    if (i >= 0) out[i] = mergeValue(out[i], entry, [...path, i], options);
    else out.push(entry);
  }
  markOrigin(out, originOf(base));
  return out;
}

function mergeTables(base: Record<string, unknown>, over: Record<string, unknown>, path: Path, options: MergeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  markOrigin(out, originOf(over) ?? originOf(base));
  for (const k of Object.keys(base)) {
    setOwn(out, k, base[k]);
    setEntryOrigin(out, k, entryOrigin(base, k));
  }
  const entries = path.length === 2 && path[0] === 'services' ? alignAliases(base, over) : over;
  for (const [k, v] of Object.entries(entries)) {
    if (v === RESET) {
      delete out[k];
      continue;
    }
    if (!Object.hasOwn(out, k)) {
      setOwn(out, k, v);
      setEntryOrigin(out, k, entryOrigin(entries, k));
      continue;
    }
    const before = out[k];
    // Both sides pinned where they were written, so the entries of what the merge builds can say so.
    if (!originOf(before)) markOrigin(before, entryOrigin(out, k));
    if (!originOf(v)) markOrigin(v, entryOrigin(entries, k));
    const merged = mergeValue(before, v, [...path, k], options);
    setOwn(out, k, merged);
    // A value kept from the earlier document (the later one wrote null) stays located there.
    if (merged !== before) setEntryOrigin(out, k, entryOrigin(entries, k));
  }
  return out;
}

/**
 * `over` merged into `base` (neither is changed). `path` says where the two documents sit (`["services", "web"]`
 * when a service extends another), so the rules of that place apply.
 */
export function mergeInto(base: Record<string, unknown>, over: Record<string, unknown>, options: MergeOptions = {}, path: Path = []): Record<string, unknown> {
  return mergeTables(base, over, path, options);
}

/** Removes the `!reset` marks no earlier value was there to meet. */
export function dropResets(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      if (value[i] === RESET) value.splice(i, 1);
      else dropResets(value[i]);
    }
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === RESET) delete value[k];
      else dropResets(v);
    }
  }
}
