// compose-go's EnforceUnicity (override/uncity.go) over the Boltfile's raw shape: in the lists compose keeps
// unique, an entry with the key of an earlier one replaces it in place (an env key, a mount target, a port…). It
// runs once on the merged document, so a duplicate within one file collapses as it does in compose.
import type { RawPort } from './boltfile-schema.js';
import { parsePort } from './ports.js';
import { entryOrigin, markOrigin, originOf, setEntryOrigin } from './provenance.js';
import { isPlainObject } from './tree.js';

type Indexer = (entry: unknown) => string | null;

/** "K=V" and "K" share the key K. */
const keyValue: Indexer = (e) => (typeof e === 'string' ? (e.split('=')[0] ?? e) : null);

/** The container path a mount entry mounts at. */
const mountTarget: Indexer = (e) => {
  if (isPlainObject(e)) return typeof e.target === 'string' ? e.target : null;
  if (typeof e !== 'string') return null;
  const parts = e.split(':');
  return (parts.length === 1 ? parts[0] : parts[1]) ?? null;
};

/** Devices: "/dev/x" or "/dev/x:/dev/y[:rwm]" → the container side. */
const deviceTarget: Indexer = (e) => {
  if (isPlainObject(e)) return typeof e.target === 'string' ? e.target : null;
  if (typeof e !== 'string') return null;
  const parts = e.split(':');
  return (parts.length === 1 ? parts[0] : parts[1]) ?? null;
};

/** Ports: host ip, published and container port and protocol, as compose compares them. */
const portKey: Indexer = (e) => {
  const parsed = parsePort(e as RawPort);
  if (!parsed.ok) return null;
  const p = parsed.value;
  return `${p.host_ip ?? '0.0.0.0'}:${p.published ?? ''}:${p.target}/${p.protocol}`;
};

const exposeKey: Indexer = (e) => (typeof e === 'string' || typeof e === 'number' ? String(e) : null);

const envFileKey: Indexer = (e) => (typeof e === 'string' ? e : isPlainObject(e) && typeof e.path === 'string' ? e.path : null);

function mountIndexer(defaultDir: string): Indexer {
  return (e) => {
    if (typeof e === 'string') return `${defaultDir}/${e}`;
    if (!isPlainObject(e)) return null;
    // A relative target is under the default folder, as the short form's name is (compose: /run/secrets/<target>).
    if (typeof e.target === 'string') return e.target.startsWith('/') ? e.target : `${defaultDir}/${e.target}`;
    return typeof e.source === 'string' ? `${defaultDir}/${e.source}` : null;
  };
}

/** The lists of one kind of table, by key. */
type Lists = ReadonlyMap<string, Indexer>;

const SERVICE_LISTS: Lists = new Map(Object.entries({
  environment: keyValue,
  env: keyValue,
  labels: keyValue,
  annotations: keyValue,
  sysctls: keyValue,
  links: keyValue,
  profiles: keyValue,
  cap_add: keyValue,
  cap_drop: keyValue,
  dns: keyValue,
  dns_opt: keyValue,
  dns_search: keyValue,
  tmpfs: keyValue,
  volumes: mountTarget,
  devices: deviceTarget,
  ports: portKey,
  expose: exposeKey,
  env_file: envFileKey,
  secrets: mountIndexer('/run/secrets'),
  configs: mountIndexer(''),
}));

const NESTED_LISTS: readonly (readonly [string, Lists])[] = [
  ['build', new Map(Object.entries({ args: keyValue, labels: keyValue, tags: keyValue, platform: keyValue, platforms: keyValue, additional_contexts: keyValue }))],
  ['deploy', new Map([['labels', keyValue]])],
  ['capabilities', new Map([['add', keyValue], ['drop', keyValue]])],
  ['network', new Map([['ports', portKey]])],
];
const LABELS: Lists = new Map([['labels', keyValue]]);
const NETWORK_LISTS: Lists = new Map([['aliases', keyValue], ['link_local_ips', keyValue]]);

/** The list with one entry per key: the later entry, in the place of the first. Unkeyed entries are kept. */
function unique(list: unknown[], index: Indexer): unknown[] {
  const out: unknown[] = [];
  const origins: ReturnType<typeof entryOrigin>[] = [];
  const at = new Map<string, number>();
  list.forEach((entry, i) => {
    const key = index(entry);
    const origin = entryOrigin(list, i);
    const j = key === null ? undefined : at.get(key);
    if (j !== undefined) {
      out[j] = entry;
      origins[j] = origin;
      return;
    }
    if (key !== null) at.set(key, out.length);
    out.push(entry);
    origins.push(origin);
  });
  if (out.length === list.length && out.every((e, i) => e === list[i])) return list;
  markOrigin(out, originOf(list));
  origins.forEach((o, i) => setEntryOrigin(out, i, o));
  return out;
}

// This runs for every service: it goes over the keys the table has (a service has a handful) and looks each up
// among the lists, rather than looking up each of the twenty lists in the table (5,000 services: 19 → 6 ms of CPU
// with the baseline compilers the CLI runs: src/cli/short-run-compiler.ts).
function uniqueIn(table: Record<string, unknown>, lists: Lists): void {
  for (const key of Object.keys(table)) {
    const index = lists.get(key);
    const v = table[key];
    if (index && Array.isArray(v)) {
      const u = unique(v, index);
      if (u !== v) {
        const origin = entryOrigin(table, key);
        table[key] = u;
        setEntryOrigin(table, key, origin);
      }
    }
  }
}

/** Makes the lists compose keeps unique unique, in place (lists are replaced, never edited). */
export function enforceUnicity(doc: Record<string, unknown>): void {
  for (const kind of ['networks', 'volumes']) {
    const resources = doc[kind];
    if (!isPlainObject(resources)) continue;
    for (const r of Object.values(resources)) if (isPlainObject(r)) uniqueIn(r, LABELS);
  }
  if (isPlainObject(doc.network)) uniqueIn(doc.network, LABELS);
  const services = doc.services;
  if (!isPlainObject(services)) return;
  for (const service of Object.values(services)) {
    if (!isPlainObject(service)) continue;
    uniqueIn(service, SERVICE_LISTS);
    for (const [key, lists] of NESTED_LISTS) {
      const nested = service[key];
      if (isPlainObject(nested)) uniqueIn(nested, lists);
    }
    if (isPlainObject(service.networks)) {
      for (const n of Object.values(service.networks)) if (isPlainObject(n)) uniqueIn(n, NETWORK_LISTS);
    }
  }
}
