// One file (-f, an included file, a file a service extends) → its documents in the Boltfile's raw shape, ready to
// merge: read (TOML or YAML), interpolated, typed values cast, compose forms rewritten (compose-shape.ts), then
// `include` and `extends` applied, as compose-go orders it (loader.go: interpolate, include, extends, merge).
// Problems are collected, located, in the context; the caller throws them together.
import { dirname } from 'node:path';
import type { Diagnostic, SourceLocation } from '../../model/errors.js';
import { applyExtends } from './compose-extends.js';
import { applyInclude } from './compose-include.js';
import { shapeComposeDocument } from './compose-shape.js';
import type { DocumentContext, Layer } from './document-context.js';
import { interpolateTree } from './interpolate.js';
import { markOverride, mergeInto, RESET } from './merge-files.js';
import { markOrigin, markTree, provenanceLocations, type SourceRef } from './provenance.js';
import { objectSource, readSources, type Source } from './read-source.js';
import type { Path } from './schema-walk.js';
import { isSensitivePath, sensitiveInterpolationMessage } from './sensitive-paths.js';
import { formatPath, isPlainObject, valueAt } from './tree.js';
import { boltfileSchema } from './boltfile-schema.js';
import { castInterpolated } from './typed-values.js';
import { setOwn } from './yaml-source.js';

export type { DocumentContext, Layer } from './document-context.js';

function at(locations: SourceRef, path: Path, key = false): SourceLocation | null {
  const pos = (key ? null : locations.locations.locateValue(path)) ?? locations.locations.locate(path)?.position;
  return pos ? { file: pos.file ?? locations.display, line: pos.line, column: pos.column } : null;
}

/** A located diagnostic at `path` of a loaded document (positions follow merged and rewritten values). */
export function diagnosticAt(root: Record<string, unknown>, path: Path, message: string, warning = false): Diagnostic {
  const p = formatPath(path);
  const text = p ? `${p}: ${message}` : message;
  return { message: warning ? `warning: ${text}` : text, path: p || null, location: at({ display: '', locations: provenanceLocations(root) }, path) };
}

/**
 * The source's data interpolated (unless the context says not to), and the paths of the strings that held a `$`
 * (what a Boltfile's typed fields may take from a variable).
 */
function interpolated(source: Source, ref: SourceRef, ctx: DocumentContext): { data: Record<string, unknown>; dollars: Path[] } {
  const dollars: Path[] = [];
  if (!ctx.interpolate) return { data: structuredClone(source.data), dollars };
  const data = interpolateTree(
    source.data,
    ctx.lookup,
    (path, message) => {
      const p = formatPath(path);
      const text = isSensitivePath(path, valueAt(source.data, path)) ? sensitiveInterpolationMessage(message) : message;
      ctx.errors.push({ message: `${p}: ${text}`, path: p, location: at(ref, path) });
    },
    (path, name) => {
      // Like compose, an unset variable becomes "" with a warning, once per variable: a typo must not pass silently.
      // Inside a sensitive value a `$` may be part of the secret, and the "name" after it too: the warning names the
      // key instead, once per key.
      const p = formatPath(path);
      const secret = isSensitivePath(path, valueAt(source.data, path));
      const once = secret ? `\0${p}` : name;
      if (ctx.unsetWarned.has(once)) return;
      ctx.unsetWarned.add(once);
      const text = secret
        ? 'a `$` in this sensitive value starts a variable that is not set; using an empty string for it (write `$$` for a literal `$`)'
        : `variable ${name} is not set; using an empty string`;
      ctx.warnings.push({ message: `warning: ${p}: ${text}`, path: p, location: at(ref, path) });
    },
    (path) => dollars.push(path),
    source.ownPlainTree === true,
  ) as Record<string, unknown>;
  return { data, dollars };
}

/** Every string's path in `data`: a compose file's strings at typed paths are all cast, as compose does. */
function stringPaths(data: unknown): Path[] {
  const out: Path[] = [];
  const path: Path = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push([...path]);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (isPlainObject(v)) {
      for (const k of Object.keys(v)) {
        path.push(k);
        walk(v[k]);
        path.pop();
      }
    }
  };
  walk(data);
  return out;
}

/** `!reset` paths get the RESET mark the merge removes values with; `!override` containers are marked. */
export function applyMarkers(data: Record<string, unknown>, resets: Path[], overrides: Path[]): void {
  for (const path of resets) {
    const parent = valueAt(data, path.slice(0, -1));
    const key = path.at(-1);
    if (isPlainObject(parent) && typeof key === 'string') setOwn(parent, key, RESET);
  }
  for (const path of overrides) markOverride(valueAt(data, path));
}

/** A file's documents, read, interpolated and in raw shape; no `include` or `extends` applied yet. */
export function readDocuments(file: string, ctx: DocumentContext): Layer[] {
  ctx.inputs.add(file);
  return readSources(file, ctx.cwd).map((source) => ({ file, display: source.display, data: prepareSource(source, ctx) }));
}

/** A document given as an object (`loadProject({ document })`): processed exactly as a Boltfile's. */
export function objectLayers(document: Record<string, unknown>, ctx: DocumentContext): Layer[] {
  const source = objectSource(document);
  const layer: Layer = { file: source.file, display: source.display, data: prepareSource(source, ctx) };
  applyInclude(layer, ctx, loadLayers);
  applyExtends(layer, ctx, readServices);
  return [layer];
}

/** One source interpolated, its typed values cast, compose forms rewritten, positions marked. */
function prepareSource(source: Source, ctx: DocumentContext): Record<string, unknown> {
  const ref: SourceRef = { display: source.display, locations: source.locations };
  const errorsBefore = ctx.errors.length;
  const { data, dollars } = interpolated(source, ref, ctx);
  const yaml = source.format === 'yaml';
  const report = {
    error: (path: Path, message: string) => ctx.errors.push({ message: `${formatPath(path)}: ${message}`, path: formatPath(path), location: at(ref, path) }),
    warn: (path: Path, message: string) => ctx.warnings.push({ message: `warning: ${formatPath(path)}: ${message}`, path: formatPath(path), location: at(ref, path) }),
  };
  // A compose file's strings at typed paths are all cast, as compose does; a Boltfile's only where a variable was
  // (`privileged = "yes"` stays the error TOML users expect). Not after interpolation failed: that is the error.
  if (ctx.errors.length === errorsBefore) {
    if (yaml) castInterpolated(boltfileSchema, data, stringPaths(data), report, { interpolatedOnly: false });
    else if (dollars.length) castInterpolated(boltfileSchema, data, dollars, report);
  }
  if (yaml) {
    markTree(data, ref);
    applyMarkers(data, source.resets, source.overrides);
    ctx.marks.resets += source.resets.length;
    shapeComposeDocument(data, {
      // About a key (`version` is obsolete): located at the key.
      warn: (path, message) => ctx.warnings.push({ message: `warning: ${formatPath(path)}: ${message}`, path: formatPath(path), location: at(ref, path, true) }),
      note: (n) => ctx.notes?.push(n),
    });
  } else {
    markOrigin(data, { source: ref, path: [] });
  }
  return data;
}

/** The services of a file a service extends (its documents merged; its own `include` is not applied, as in compose). */
export function readServices(file: string, ctx: DocumentContext): Record<string, unknown> | null {
  const { notes: _notes, ...outer } = ctx;
  const layers = readDocuments(file, { ...outer, pathsDir: dirname(file) });
  const merged = layers.reduce<Record<string, unknown>>((acc, l) => mergeInto(acc, l.data), {});
  return isPlainObject(merged.services) ? merged.services : null;
}

/** A file's documents with `include` and `extends` applied. */
export function loadLayers(file: string, ctx: DocumentContext): Layer[] {
  const layers = readDocuments(file, ctx);
  for (const layer of layers) {
    applyInclude(layer, ctx, loadLayers);
    applyExtends(layer, ctx, readServices);
  }
  return layers;
}
