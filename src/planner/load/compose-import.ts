// `surge import`: a compose project's raw document (its files read, extends and include resolved, compose forms
// in Boltfile forms, `${VAR}` kept as written) → the text of an idiomatic Boltfile that loads to the same model.
// Pure: no file is read here. Comments say where a compose form became something else, and where surge reads a
// service differently (a service with a command and no image runs as a host process).
import type { ShapeNote } from './compose-shape.js';
import { pathKey, writeToml } from './toml-writer.js';
import { isPlainObject } from './tree.js';

export interface ImportSource {
  /** the compose files, as the user named them */
  files: string[];
  /** where compose forms were rewritten (loadRawDocument's notes) */
  notes: ShapeNote[];
}

/** A copy without compose's extension fields (`x-…`), at any level. */
function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-')) out[k] = withoutExtensions(v);
  return out;
}

/** Top-level keys in the order a Boltfile reads best: the project, its services, then its resources. */
function ordered(doc: Record<string, unknown>): Record<string, unknown> {
  const first = ['project', 'driver', 'services', 'networks', 'volumes'];
  const out: Record<string, unknown> = {};
  for (const k of first) if (k in doc) out[k] = doc[k];
  for (const [k, v] of Object.entries(doc)) if (!(k in out)) out[k] = v;
  return out;
}

/** A service's keys with what it runs first (anchors merged in with `<<` would otherwise lead). */
const SERVICE_FIRST = ['driver', 'image', 'build', 'command', 'entrypoint', 'restart', 'depends_on', 'ports', 'volumes'];

function orderedService(service: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SERVICE_FIRST) if (k in service) out[k] = service[k];
  for (const [k, v] of Object.entries(service)) if (!(k in out)) out[k] = v;
  return out;
}

export function boltfileFromCompose(raw: Record<string, unknown>, source: ImportSource): string {
  const doc = ordered(withoutExtensions(raw) as Record<string, unknown>);
  if (isPlainObject(doc.services)) {
    doc.services = Object.fromEntries(Object.entries(doc.services).map(([n, s]) => [n, isPlainObject(s) ? orderedService(s) : s]));
  }
  const comments = new Map<string, string[]>();
  const header = [`Boltfile for surge, imported from ${source.files.join(', ')} by \`surge import\`.`];
  const add = (path: (string | number)[], text: string): void => {
    if (path.length === 0) {
      header.push(text);
      return;
    }
    const key = pathKey(path);
    const list = comments.get(key) ?? [];
    if (!list.includes(text)) list.push(text);
    comments.set(key, list);
  };
  for (const note of source.notes) add(note.path, note.text);

  const services = isPlainObject(doc.services) ? doc.services : {};
  for (const [name, s] of Object.entries(services)) {
    if (!isPlainObject(s)) continue;
    if (s.command !== undefined && s.image === undefined && s.build === undefined && s.driver === undefined) {
      add(['services', name], 'no image or build: surge runs this service as a host process (add an image to run it in a container)');
    }
  }
  return writeToml(doc, { header, comments });
}
