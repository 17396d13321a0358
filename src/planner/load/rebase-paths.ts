// Relative host paths of a service written in another folder (a service extended from another file, a resource
// of an included project), rewritten relative to the folder of the document that takes it in, as compose-go
// resolves them (paths/resolve.go): build contexts, bind-mount sources, env_file, develop.watch paths and
// extends.file. They stay relative ("./sub/app", "../shared"), so `surge import` writes paths a reader can move.
import { isAbsolute, relative, resolve } from 'node:path';
import { isPlainObject } from './tree.js';

function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || p.startsWith('github.com/');
}

/** `p`, relative to `fromDir`, made relative to `toDir` (absolute, home and remote paths unchanged). */
export function rebasePath(p: string, fromDir: string, toDir: string): string {
  if (p === '' || isAbsolute(p) || p === '~' || p.startsWith('~/') || isRemote(p) || fromDir === toDir) return p;
  const r = relative(toDir, resolve(fromDir, p));
  if (r === '') return '.';
  if (isAbsolute(r)) return r;
  return r.startsWith('..') ? r : `./${r}`;
}

/** "./data:/data:ro" → its host side rebased; named volumes and anonymous ones unchanged. */
function rebaseVolumeString(entry: string, fromDir: string, toDir: string): string {
  const colon = entry.indexOf(':');
  if (colon <= 0) return entry;
  const source = entry.slice(0, colon);
  if (!source.startsWith('.')) return entry;
  return `${rebasePath(source, fromDir, toDir)}${entry.slice(colon)}`;
}

/** Rewrites, in place, the relative host paths of a raw service. */
export function rebaseService(service: Record<string, unknown>, fromDir: string, toDir: string): void {
  if (fromDir === toDir) return;
  const path = (p: unknown): unknown => (typeof p === 'string' ? rebasePath(p, fromDir, toDir) : p);
  if (typeof service.build === 'string') service.build = path(service.build);
  else if (isPlainObject(service.build) && typeof service.build.context === 'string') service.build.context = path(service.build.context);
  if (Array.isArray(service.volumes)) {
    service.volumes.forEach((v, i, list) => {
      if (typeof v === 'string') list[i] = rebaseVolumeString(v, fromDir, toDir);
      else if (isPlainObject(v) && typeof v.source === 'string' && (v.type === 'bind' || (v.type === undefined && v.source.startsWith('.')))) {
        v.source = path(v.source);
      }
    });
  } else if (isPlainObject(service.volumes)) {
    // The table form `{ "./src" = "/app" }`: the sources are the keys.
    const table = service.volumes;
    for (const [source, spec] of Object.entries(table)) {
      if (!source.startsWith('.')) continue;
      delete table[source];
      table[rebasePath(source, fromDir, toDir)] = spec;
    }
  }
  if (typeof service.env_file === 'string') service.env_file = path(service.env_file);
  else if (Array.isArray(service.env_file)) {
    service.env_file.forEach((f, i, list) => {
      if (typeof f === 'string') list[i] = path(f);
      else if (isPlainObject(f) && typeof f.path === 'string') f.path = path(f.path);
    });
  }
  const develop = service.develop;
  if (isPlainObject(develop) && Array.isArray(develop.watch)) {
    for (const rule of develop.watch) if (isPlainObject(rule) && typeof rule.path === 'string') rule.path = path(rule.path);
  }
  if (isPlainObject(service.extends) && typeof service.extends.file === 'string') service.extends.file = path(service.extends.file);
}
