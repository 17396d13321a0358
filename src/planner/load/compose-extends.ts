// Service-level `extends`, as compose-go applies it (loader/extends.go): `extends: base` or
// `extends: { service: base, file: other.yaml }`, followed recursively (the base may extend another, in its own
// file), a cycle refused, and the service merged over a copy of its base with the merge rules of -f files
// (merge-files.ts). A base read from another file has its relative paths rewritten for this document's folder.
import { dirname, resolve } from 'node:path';
import type { DocumentContext, Layer } from './document-context.js';
import { mergeInto } from './merge-files.js';
import { cloneWithOrigins, locateOrigin, markOrigin, originOf, pinOrigins, provenanceLocations } from './provenance.js';
import { display } from './read-source.js';
import { rebaseService } from './rebase-paths.js';
import { closestMatch } from './suggest.js';
import { formatPath, isPlainObject } from './tree.js';

type Services = Record<string, unknown>;

export type ReadServices = (file: string, ctx: DocumentContext) => Services | null;

interface Scope {
  /** the file these services are in (absolute) */
  file: string;
  /** the folder their relative paths are relative to */
  dir: string;
  services: Services;
}

interface Step {
  file: string;
  service: string;
  data: Record<string, unknown>;
}

function guess(name: string, services: Services): string {
  const g = closestMatch(name, Object.keys(services));
  return g ? `; did you mean \`${g}\`?` : '';
}

const FAILED = Symbol('extends failed');

export function applyExtends(layer: Layer, ctx: DocumentContext, readServices: ReadServices): void {
  const services = layer.data.services;
  if (!isPlainObject(services) || !Object.values(services).some((s) => isPlainObject(s) && s.extends !== undefined)) return;
  ctx.marks.extended++;
  pinOrigins(layer.data);
  const loaded = new Map<string, Services | null>();
  /** services of a cycle already reported (it is reported once, from where it starts) */
  const inCycle = new Set<string>();
  const stepKey = (file: string, service: string): string => `${file}\0${service}`;

  /** A problem with `name`'s extends, located in the file that service is in. */
  const fail = (service: Record<string, unknown>, name: string, key: string[], message: string): typeof FAILED => {
    const path = formatPath(['services', name, 'extends', ...key]);
    const location = provenanceLocations(service).locateValue(['extends', ...key]) ?? provenanceLocations(service).locate(['extends', ...key])?.position;
    ctx.errors.push({ message: `${path}: ${message}`, path, location: location ? { file: location.file ?? layer.display, line: location.line, column: location.column } : null });
    return FAILED;
  };

  /** `name` with its extends resolved (the result also replaces it in `scope.services`). */
  const resolveService = (name: string, scope: Scope, chain: Step[]): unknown => {
    const service = scope.services[name];
    if (!isPlainObject(service) || service.extends === undefined) return service;
    if (inCycle.has(stepKey(scope.file, name))) return FAILED;
    const ext = service.extends;
    let ref: string;
    let file: string | null = null;
    if (typeof ext === 'string') ref = ext;
    else if (isPlainObject(ext) && typeof ext.service === 'string') {
      ref = ext.service;
      if (typeof ext.file === 'string') file = resolve(scope.dir, ext.file);
      else if (ext.file !== undefined) return fail(service, name, ['file'], 'must be a string');
      for (const k of Object.keys(ext)) if (k !== 'service' && k !== 'file') return fail(service, name, [k], `unknown key \`${k}\` (extends takes \`service\` and \`file\`)`);
    } else if (isPlainObject(ext)) return fail(service, name, [], '`service` is required');
    else return fail(service, name, [], 'must be a service name or { service, file }');

    let base: Scope = scope;
    if (file) {
      if (!loaded.has(file)) {
        const other = readServices(file, ctx);
        if (other) pinOrigins(other);
        loaded.set(file, other);
      }
      const other = loaded.get(file);
      if (!other) return fail(service, name, ['file'], `cannot extend service "${name}": ${display(file, ctx.cwd)} has no services`);
      base = { file, dir: dirname(file), services: other };
    }
    if (!Object.hasOwn(base.services, ref)) {
      return fail(service, name, file ? ['service'] : [], `cannot extend service "${name}": no service "${ref}" in ${display(base.file, ctx.cwd)}${guess(ref, base.services)}`);
    }
    const here: Step = { file: scope.file, service: name, data: service };
    const path = [...chain, here];
    const loop = path.findIndex((s) => s.file === base.file && s.service === ref);
    if (loop >= 0) {
      const steps = path.slice(loop);
      for (const s of steps) inCycle.add(stepKey(s.file, s.service));
      const crossesFiles = new Set(steps.map((s) => s.file)).size > 1;
      const names = [...steps, steps[0] as Step].map((s) => (crossesFiles ? `${s.service} (${display(s.file, ctx.cwd)})` : s.service));
      const start = steps[0] as Step;
      return fail(start.data, start.service, [], `extends cycle: ${names.join(' -> ')}`);
    }
    const resolvedBase = resolveService(ref, base, path);
    if (resolvedBase === FAILED) return FAILED;
    const { extends: _extends, ...own } = service;
    markOrigin(own, originOf(service));
    if (!isPlainObject(resolvedBase)) {
      scope.services[name] = own;
      return own;
    }
    const copy = cloneWithOrigins(resolvedBase);
    if (base.dir !== scope.dir) rebaseService(copy, base.dir, scope.dir);
    const merged = mergeInto(copy, own, {
      problem: (p) => {
        const at = formatPath(['services', name, ...p.path.slice(2)]);
        ctx.errors.push({ message: `${at}: ${p.message}`, path: at, location: locateOrigin(p.origin) });
      },
    }, ['services', name]);
    scope.services[name] = merged;
    if (scope.file === layer.file) {
      ctx.notes?.push({ path: ['services', name], text: `compose's \`extends: ${ref}\`${file ? ` (${display(file, ctx.cwd)})` : ''}: what it inherits is written out here` });
    }
    return merged;
  };

  const scope: Scope = { file: layer.file, dir: ctx.pathsDir, services };
  for (const name of Object.keys(services)) resolveService(name, scope, []);
}
