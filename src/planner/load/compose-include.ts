// Top-level `include`, as compose-go applies it (loader/include.go): each entry (a path, or { path, project_directory,
// env_file }) is loaded as a project of its own — its relative paths resolve in its project directory (the folder of
// its first file by default), its variables come from this project's environment and then its env files (`.env` in
// its project directory by default) — and its services, networks, volumes, secrets, configs and models are added to
// this document. A resource this document declares too is merged, this document's definition over the included one
// (compose-go since v2.10; earlier versions refused the conflict). An include cycle is refused.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DocumentContext, Layer } from './document-context.js';
import { mergeInto } from './merge-files.js';
import { ConfigError } from '../../model/errors.js';
import { entryOrigin, locateOrigin, markOrigin, originOf, pinOrigins, provenanceLocations, setEntryOrigin } from './provenance.js';
import { readEnvFile } from './env-files.js';
import { display } from './read-source.js';
import { rebaseService } from './rebase-paths.js';
import type { Path } from './schema-walk.js';
import { formatPath, isPlainObject } from './tree.js';
import { setOwn } from './yaml-source.js';
import type { Lookup } from './dotenv.js';

export type LoadLayers = (file: string, ctx: DocumentContext) => Layer[];

const RESOURCES = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'] as const;
const INCLUDE_KEYS = new Set(['path', 'project_directory', 'env_file']);

function strings(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

/** Bare `KEY` entries of included services take their value from the included project's variables, as compose does. */
function resolveBareKeys(services: unknown, lookup: Lookup): void {
  if (!isPlainObject(services)) return;
  for (const service of Object.values(services)) {
    if (!isPlainObject(service)) continue;
    const lists: [Record<string, unknown>, string][] = [
      [service, 'environment'],
      [service, 'env'],
    ];
    if (isPlainObject(service.build)) lists.push([service.build, 'args']);
    for (const [table, key] of lists) {
      const list = table[key];
      if (!Array.isArray(list)) continue;
      list.forEach((e, i) => {
        if (typeof e !== 'string' || e.includes('=')) return;
        const v = lookup(e);
        if (v !== undefined) list[i] = `${e}=${v}`;
      });
    }
  }
}

/** `$` doubled, so a value already interpolated reads back the same where it is interpolated again. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) {
    value.forEach((v, i) => (value[i] = escapeDollars(v)));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) value[k] = escapeDollars(v);
  }
  return value;
}

export function applyInclude(layer: Layer, ctx: DocumentContext, loadLayers: LoadLayers): void {
  const root = layer.data;
  const include = root.include;
  if (include === undefined) return;
  pinOrigins(include, entryOrigin(root, 'include'));
  delete root.include;
  /** A problem with an include entry, at the value (at the key: `key`). */
  const problem = (path: Path, message: string, key = false): void => {
    const p = formatPath(['include', ...path]);
    const where = provenanceLocations(include as object);
    const pos = (key ? null : where.locateValue(path)) ?? where.locate(path)?.position ?? null;
    ctx.errors.push({ message: `${p}: ${message}`, path: p, location: pos ? { file: pos.file ?? layer.display, line: pos.line, column: pos.column } : null });
  };
  if (!Array.isArray(include)) {
    problem([], 'must be a list of files or { path, project_directory, env_file }');
    return;
  }

  include.forEach((entry, i) => {
    const spec = typeof entry === 'string' ? { path: entry } : entry;
    if (!isPlainObject(spec)) return problem([i], 'must be a file or { path, project_directory, env_file }');
    for (const k of Object.keys(spec)) if (!INCLUDE_KEYS.has(k)) return problem([i, k], `unknown key \`${k}\` (include takes path, project_directory and env_file)`, true);
    const paths = strings(spec.path);
    if (!paths || paths.length === 0) return problem([i, 'path'], 'must be a file or a list of files');
    if (paths.some((p) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@'))) return problem([i, 'path'], 'remote includes (git, oci) are not supported by surge');
    const files = paths.map((p) => resolve(ctx.pathsDir, p));
    const main = files[0] as string;
    for (const f of files) {
      if (!existsSync(f)) return problem([i, 'path'], `${display(f, ctx.cwd)}: file not found`);
    }
    if (ctx.includeChain.includes(main) || main === layer.file) {
      const chain = [...ctx.includeChain, layer.file, main].slice(ctx.includeChain.indexOf(main) >= 0 ? ctx.includeChain.indexOf(main) : 0);
      return problem([i, 'path'], `include cycle: ${chain.map((f) => display(f, ctx.cwd)).join(' -> ')}`);
    }
    if (spec.project_directory !== undefined && typeof spec.project_directory !== 'string') return problem([i, 'project_directory'], 'must be a folder');
    const projectDir = typeof spec.project_directory === 'string' ? resolve(ctx.pathsDir, spec.project_directory) : dirname(main);

    // Variables: this project's first, then the include's env files (compose's Mapping.Merge keeps the first).
    const envFiles = spec.env_file === undefined ? null : strings(spec.env_file);
    if (spec.env_file !== undefined && !envFiles) return problem([i, 'env_file'], 'must be a file or a list of files');
    const fromFiles: Record<string, string> = {};
    const parentLookup = ctx.lookup;
    const envPaths = envFiles
      ? envFiles.filter((f) => f !== '/dev/null').map((f) => resolve(ctx.pathsDir, f))
      : [resolve(projectDir, '.env')].filter((f) => existsSync(f) && statSync(f).isFile());
    for (const f of envPaths) {
      ctx.inputs.add(f);
      if (!existsSync(f)) return problem([i, 'env_file'], `${display(f, ctx.cwd)}: env file not found`);
      try {
        Object.assign(fromFiles, readEnvFile(f, ctx.cwd, (k) => parentLookup(k) ?? fromFiles[k]));
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        ctx.errors.push(...e.diagnostics);
        return;
      }
    }
    const used = new Set<string>();
    const lookup: Lookup = (k) => {
      const v = parentLookup(k) ?? fromFiles[k];
      if (v !== undefined) used.add(k);
      return v;
    };
    // Notes are about this document's own forms: the included one's are resolved here (and its `name` is not ours).
    const { notes: _notes, ...outer } = ctx;
    const sub: DocumentContext = { ...outer, lookup, interpolate: true, pathsDir: projectDir, includeChain: [...ctx.includeChain, layer.file] };
    const layers = files.flatMap((f) => loadLayers(f, sub));
    const imported = layers.reduce<Record<string, unknown>>((acc, l) => mergeInto(acc, l.data), {});
    resolveBareKeys(imported.services, lookup);
    // `surge import` keeps this document's variables as written; the included ones are resolved with the
    // include's own variables, so they are escaped to read back the same.
    if (!ctx.interpolate) escapeDollars(imported);
    if (isPlainObject(imported.services)) {
      for (const s of Object.values(imported.services)) if (isPlainObject(s)) rebaseService(s, projectDir, ctx.pathsDir);
    }
    importResources(imported, root, ctx);
    const resolved = used.size ? `, its variables resolved as they were at import (${[...used].sort().join(', ')})` : '';
    ctx.notes?.push({ path: [], text: `compose's \`include\` of ${paths.join(', ')}: its resources are written out here${resolved}` });
  });
}

/** Adds the included resources to `target`; one `target` declares too is merged, `target`'s definition winning. */
function importResources(source: Record<string, unknown>, target: Record<string, unknown>, ctx: DocumentContext): void {
  for (const kind of RESOURCES) {
    const from = source[kind];
    if (!isPlainObject(from)) continue;
    let to = target[kind];
    if (!isPlainObject(to)) {
      to = {};
      markOrigin(to, originOf(from));
      setOwn(target, kind, to);
      setEntryOrigin(target, kind, entryOrigin(source, kind));
    }
    const into = to as Record<string, unknown>;
    for (const [name, resource] of Object.entries(from)) {
      if (!Object.hasOwn(into, name)) {
        setOwn(into, name, resource);
        setEntryOrigin(into, name, entryOrigin(from, name));
        continue;
      }
      const existing = into[name];
      if (isPlainObject(resource) && isPlainObject(existing)) {
        const merged = mergeInto(resource, existing, {
          problem: (p) => {
            const at = formatPath([kind, name, ...p.path.slice(2)]);
            ctx.errors.push({ message: `${at}: ${p.message}`, path: at, location: locateOrigin(p.origin) });
          },
        }, [kind, name]);
        const origin = entryOrigin(into, name);
        setOwn(into, name, merged);
        setEntryOrigin(into, name, origin);
      }
    }
  }
}
