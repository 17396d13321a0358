// Volume entries: "named:/path", "./rel:/path:ro", "/abs:/path", "~/x:/path", "/path" (anonymous), the long
// table form with compose's per-type options (bind propagation/create_host_path/selinux, volume nocopy/subpath, tmpfs
// size/mode, image subpath), and the `[services.X.volumes] source = "target[:mode]"` table some Boltfiles use.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { Mount } from '../../model/model.js';
import type { RawVolumeEntry } from './boltfile-schema.js';
import { parseByteSize, type Parsed } from '../../model/units.js';
import { parseFileMode } from './file-mode.js';

function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

export function resolveHostPath(source: string, workingDir: string): string {
  if (source === '~' || source.startsWith('~/')) return resolve(homedir(), source.slice(2));
  return isAbsolute(source) ? resolve(source) : resolve(workingDir, source);
}

const MODES = new Set(['ro', 'rw', 'z', 'Z', 'cached', 'delegated', 'consistent', 'nocopy', 'shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']);

function parseMode(mode: string, raw: string): Parsed<boolean> {
  let readOnly = false;
  for (const m of mode.split(',')) {
    if (!MODES.has(m)) return { ok: false, message: `invalid volume mode "${m}" in "${raw}" (ro or rw)` };
    if (m === 'ro') readOnly = true;
  }
  return { ok: true, value: readOnly };
}

function fromParts(source: string | null, target: string, mode: string | null, raw: string, workingDir: string): Parsed<Mount> {
  if (!target.startsWith('/')) return { ok: false, message: `invalid volume "${raw}": the container path must be absolute` };
  const ro = mode === null ? ({ ok: true, value: false } as const) : parseMode(mode, raw);
  if (!ro.ok) return ro;
  if (source === null) return { ok: true, value: { type: 'volume', source: null, target, read_only: ro.value } };
  if (isHostPath(source)) {
    return { ok: true, value: { type: 'bind', source: resolveHostPath(source, workingDir), target, read_only: ro.value } };
  }
  return { ok: true, value: { type: 'volume', source, target, read_only: ro.value } };
}

type LongVolume = Exclude<RawVolumeEntry, string>;

/** The long form's per-type options, set only where written (so a mount without them keeps its config hash). */
function longOptions(raw: LongVolume, m: Mount): Parsed<Mount> {
  if (raw.bind) {
    const b: NonNullable<Mount['bind']> = {};
    if (raw.bind.propagation !== undefined) b.propagation = raw.bind.propagation;
    if (raw.bind.create_host_path !== undefined) b.create_host_path = raw.bind.create_host_path;
    if (raw.bind.selinux !== undefined) b.selinux = raw.bind.selinux;
    if (raw.bind.recursive !== undefined) b.recursive = raw.bind.recursive;
    if (Object.keys(b).length) m.bind = b;
  }
  if (raw.volume && (raw.volume.nocopy !== undefined || raw.volume.subpath !== undefined)) {
    m.volume = {};
    if (raw.volume.nocopy !== undefined) m.volume.nocopy = raw.volume.nocopy;
    if (raw.volume.subpath !== undefined) m.volume.subpath = raw.volume.subpath;
  }
  if (raw.tmpfs) {
    const t: NonNullable<Mount['tmpfs']> = {};
    if (raw.tmpfs.size !== undefined) {
      const size = parseByteSize(raw.tmpfs.size);
      if (!size.ok) return size;
      t.size_bytes = size.value;
    }
    if (raw.tmpfs.mode !== undefined) {
      const mode = parseFileMode(raw.tmpfs.mode);
      if (!mode.ok) return mode;
      t.mode = mode.value;
    }
    if (Object.keys(t).length) m.tmpfs = t;
  }
  if (raw.image?.subpath !== undefined) m.image = { subpath: raw.image.subpath };
  if (raw.consistency !== undefined) m.consistency = raw.consistency;
  return { ok: true, value: m };
}

export function parseMount(raw: RawVolumeEntry, workingDir: string): Parsed<Mount> {
  if (typeof raw === 'object') {
    if (raw.type === 'cluster') return { ok: false, message: 'a "cluster" volume is a Swarm CSI volume; a single engine cannot mount it' };
    const type = raw.type ?? (raw.source === undefined ? 'volume' : isHostPath(raw.source) ? 'bind' : 'volume');
    if (!raw.target.startsWith('/') && type !== 'npipe') return { ok: false, message: `invalid volume target "${raw.target}": the container path must be absolute` };
    if (type === 'tmpfs') return longOptions(raw, { type, source: null, target: raw.target, read_only: raw.read_only ?? false });
    if ((type === 'bind' || type === 'image' || type === 'npipe') && !raw.source) return { ok: false, message: `a ${type} mount needs a source` };
    const source = raw.source === undefined ? null : type === 'bind' ? resolveHostPath(raw.source, workingDir) : raw.source;
    return longOptions(raw, { type, source, target: raw.target, read_only: raw.read_only ?? false });
  }
  const parts = raw.split(':');
  if (parts.length === 1) return fromParts(null, parts[0] as string, null, raw, workingDir);
  if (parts.length === 2) return fromParts(parts[0] as string, parts[1] as string, null, raw, workingDir);
  if (parts.length === 3) return fromParts(parts[0] as string, parts[1] as string, parts[2] as string, raw, workingDir);
  return { ok: false, message: `invalid volume "${raw}" (use "name:/path", "./dir:/path:ro" or "/path")` };
}

/** `source = "target[:mode]"` table entries. */
export function parseMountTableEntry(source: string, spec: string, workingDir: string): Parsed<Mount> {
  const colon = spec.indexOf(':');
  const target = colon < 0 ? spec : spec.slice(0, colon);
  const mode = colon < 0 ? null : spec.slice(colon + 1);
  return fromParts(source, target, mode, `${source} = "${spec}"`, workingDir);
}
