// Several -f files merged key by key, as compose merges override files.
import type { Lookup } from './dotenv.js';
import type { Path } from './schema-walk.js';
import { isPlainObject } from './tree.js';

type MappingKind = 'env' | 'labels' | 'names';

/** Values written either as a table or as a list (`["K=V"]`, `["db"]`): override files merge them entry by entry. */
export function mappingKind(path: Path): MappingKind | null {
  const [top, , key, sub] = path;
  if (top === 'services' && path.length === 3) {
    if (key === 'environment' || key === 'env') return 'env';
    if (key === 'labels' || key === 'annotations' || key === 'sysctls') return 'labels';
    if (key === 'depends_on' || key === 'networks') return 'names';
  }
  if (top === 'services' && path.length === 4 && key === 'build' && sub === 'args') return 'env';
  if (top === 'services' && path.length === 4 && (key === 'build' || key === 'deploy') && sub === 'labels') return 'labels';
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
const APPENDED = new Set([
  'ports', 'expose', 'dns', 'dns_search', 'dns_opt', 'tmpfs', 'cap_add', 'cap_drop', 'extra_hosts', 'security_opt', 'group_add',
  'device_cgroup_rules', 'profiles', 'links', 'external_links', 'volumes_from', 'env_file', 'label_file', 'pre_start',
  'post_start', 'pre_stop',
]);
const BY_TARGET = new Set(['volumes', 'devices', 'secrets', 'configs']);

/** The container path a `volumes`/`devices`/`secrets`/`configs` entry mounts at: entries with the same one override each other. */
function mountTarget(entry: unknown, key: string): string | null {
  if (key === 'secrets' || key === 'configs') {
    const base = key === 'secrets' ? '/run/secrets/' : '/';
    const ref = typeof entry === 'string' ? { source: entry } : isPlainObject(entry) ? entry : null;
    const target = typeof ref?.target === 'string' ? ref.target : typeof ref?.source === 'string' ? ref.source : null;
    return target === null ? null : target.startsWith('/') ? target : `${base}${target}`;
  }
  if (isPlainObject(entry) && typeof entry.source === 'string' && entry.target === undefined) return entry.source;
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
  const overridden = new Set(over.map((e) => mountTarget(e, key)).filter((t) => t !== null));
  return [...base.filter((e) => !overridden.has(mountTarget(e, key) ?? '')), ...over];
}

/**
 * Later files override earlier ones key by key, like compose's override files: tables merge, mappings merge entry
 * by entry whatever form each file writes them in, `ports`-like lists add up, `volumes` and `devices` merge by
 * container path, other arrays and scalars are replaced whole.
 */
export function mergeInto(base: Record<string, unknown>, over: Record<string, unknown>, lookup: Lookup, path: Path = []): Record<string, unknown> {
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

