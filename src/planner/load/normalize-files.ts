// What services read from files and file objects (env_file is env-files.ts's): label_file, the top-level [secrets.NAME] / [configs.NAME], and a service's `secrets` / `configs` references with
// where compose mounts them on a single engine (secrets under /run/secrets/, configs at /<target>).
import type { FileMount, FileSource } from '../../model/model.js';
import { Sensitive } from '../../model/sensitive.js';
import type { RawBoltfile, RawConfig, RawSecret, RawService } from './boltfile-schema.js';
import { parseRawEnv } from './dotenv.js';
import { parseFileMode } from './file-mode.js';
import { resolveHostPath } from './mounts.js';
import { didYouMean, keyValues, type NormalizeContext } from './normalize-forms.js';
import { readConfigFile } from './safe-read.js';
import type { Path } from './schema-walk.js';

export type FileKind = 'secret' | 'config';

/** Labels from label_file (KEY=VALUE lines, compose's label_file), before the service's own `labels`. */
export function labelFiles(raw: RawService, path: Path, ctx: NormalizeContext): Record<string, string> {
  const out: Record<string, string> = {};
  const files = raw.label_file === undefined ? [] : Array.isArray(raw.label_file) ? raw.label_file : [raw.label_file];
  for (const [i, file] of files.entries()) {
    const at: Path = Array.isArray(raw.label_file) ? [...path, 'label_file', i] : [...path, 'label_file'];
    const abs = resolveHostPath(file, ctx.workingDir);
    ctx.input?.(abs);
    const read = readConfigFile(abs);
    if (!read.ok) {
      ctx.error(at, read.reason === 'missing' ? `label_file "${file}" not found (looked at ${abs})` : `label_file "${file}" ${read.message} (${abs})`);
      continue;
    }
    const text = read.text;
    const parsed = parseRawEnv(text);
    if (!parsed.ok) ctx.error(at, `${abs}:${parsed.line}:${parsed.column}: ${parsed.message}`);
    else for (const e of parsed.entries) out[e.key] = e.value;
  }
  return out;
}

/** A top-level secret or config: exactly one source of content. The content itself never reaches a message. */
export function fileSource(kind: FileKind, name: string, raw: RawSecret | RawConfig, ctx: NormalizeContext): FileSource {
  const path: Path = [`${kind}s`, name];
  const content = 'content' in raw ? raw.content : undefined;
  const external = raw.external === undefined || raw.external === false ? null : raw.external === true ? {} : raw.external;
  const sources = [raw.file !== undefined, raw.environment !== undefined, content !== undefined, external !== null].filter(Boolean).length;
  const choices = kind === 'secret' ? '`file`, `environment` or `external`' : '`file`, `environment`, `content` or `external`';
  if (sources !== 1) ctx.error(path, `a ${kind} needs exactly one of ${choices}`);
  let value: Sensitive | null = null;
  if (raw.environment !== undefined) {
    const v = ctx.lookup(raw.environment);
    if (v === undefined) ctx.warn([...path, 'environment'], `variable ${raw.environment} is not set: a container using ${kind} "${name}" cannot be created`);
    else value = new Sensitive(v);
  }
  if (content !== undefined) value = new Sensitive(content);
  for (const key of ['driver', 'driver_opts', 'template_driver'] as const) {
    if (raw[key] !== undefined && ctx.target !== 'swarm') ctx.warn([...path, key], `applies on the Swarm target only; a single engine reads the ${kind} itself`);
  }
  if (external && ctx.target !== 'swarm') ctx.warn([...path, 'external'], `an external ${kind} exists only on a Swarm: on a single engine, a service using it cannot be created`);
  return {
    name,
    file: raw.file === undefined ? null : resolveHostPath(raw.file, ctx.workingDir),
    environment: raw.environment ?? null,
    content: value,
    external: external !== null,
    external_name: external ? (external.name ?? raw.name ?? name) : (raw.name ?? null),
    labels: keyValues(raw.labels, [...path, 'labels'], ctx, 'label', false),
  };
}

/**
 * A service's `secrets`/`configs`: where each lands. A relative secret target goes under /run/secrets/, a relative
 * config target under /, as compose places them on a single engine.
 */
export function fileMounts(kind: FileKind, raw: RawService, path: Path, doc: RawBoltfile, sources: Record<string, FileSource>, ctx: NormalizeContext): FileMount[] {
  const list = kind === 'secret' ? raw.secrets : raw.configs;
  if (list === undefined) return [];
  const declared = (kind === 'secret' ? doc.secrets : doc.configs) ?? {};
  const key = `${kind}s`;
  const base = kind === 'secret' ? '/run/secrets/' : '/';
  const out: FileMount[] = [];
  for (const [i, entry] of (list ?? []).entries()) {
    const at: Path = [...path, key, i];
    const ref = typeof entry === 'string' ? { source: entry } : entry;
    const source = declared[ref.source];
    if (!source) {
      ctx.error(typeof entry === 'string' ? at : [...at, 'source'], () => `${kind} "${ref.source}" is not declared${didYouMean(ref.source, Object.keys(declared)) || `; add [${key}.${ref.source}]`}`);
      continue;
    }
    const target = ref.target === undefined ? `${base}${ref.source}` : ref.target.startsWith('/') ? ref.target : `${base}${ref.target}`;
    let mode: number | null = null;
    if (typeof entry !== 'string' && entry.mode !== undefined) {
      const m = parseFileMode(entry.mode);
      if (m.ok) mode = m.value;
      else ctx.error([...at, 'mode'], m.message);
    }
    const uid = typeof entry === 'string' ? null : (entry.uid ?? null);
    const gid = typeof entry === 'string' ? null : (entry.gid ?? null);
    if (source.file !== undefined && (uid !== null || gid !== null || mode !== null) && ctx.target !== 'swarm') {
      ctx.warn(at, `a file-based ${kind} is bind-mounted on a single engine: it keeps the file's own owner and mode (uid, gid and mode apply to environment or content ${kind}s, and on Swarm)`);
    }
    const m: FileMount = { source: ref.source, target, uid, gid, mode, file: sources[ref.source]?.file ?? null };
    const content = sources[ref.source]?.content;
    if (content) m.content = content;
    out.push(m);
  }
  return out;
}
