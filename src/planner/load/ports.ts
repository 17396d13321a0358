// Port mappings: "80", "8080:80", "127.0.0.1:8080:80", "127.0.0.1::80", "[::1]:8080:80", ranges
// ("8000-8002:9000-9002"), "/tcp" or "/udp", integers, and compose's long table form.
import type { PortMapping } from '../../model/model.js';
import type { Parsed } from '../../model/units.js';
import type { RawPort } from './boltfile-schema.js';

const RANGE = /^(\d+)(?:-(\d+))?$/;

function checkRange(text: string, what: string): Parsed<{ from: number; to: number }> {
  const m = RANGE.exec(text);
  if (!m) return { ok: false, message: `invalid ${what} "${text}"` };
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from) return { ok: false, message: `invalid ${what} "${text}" (ports are 1-65535)` };
  return { ok: true, value: { from, to } };
}

export function parsePort(raw: RawPort): Parsed<PortMapping> {
  if (typeof raw === 'number') {
    return raw >= 1 && raw <= 65535 && Number.isInteger(raw)
      ? { ok: true, value: { target: String(raw), published: null, host_ip: null, protocol: 'tcp' } }
      : { ok: false, message: `invalid port ${raw} (ports are 1-65535)` };
  }
  if (typeof raw === 'object') {
    const target = checkRange(String(raw.target), 'container port');
    if (!target.ok) return target;
    if (raw.published !== undefined) {
      const pub = checkRange(String(raw.published), 'published port');
      if (!pub.ok) return pub;
    }
    return {
      ok: true,
      value: {
        target: String(raw.target),
        published: raw.published === undefined ? null : String(raw.published),
        host_ip: raw.host_ip ?? null,
        protocol: raw.protocol ?? 'tcp',
      },
    };
  }
  let text = raw.trim();
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = text.lastIndexOf('/');
  if (slash >= 0) {
    const proto = text.slice(slash + 1).toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') return { ok: false, message: `invalid protocol "${proto}" in port "${raw}" (tcp or udp)` };
    protocol = proto;
    text = text.slice(0, slash);
  }
  let hostIp: string | null = null;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text[end + 1] !== ':') return { ok: false, message: `invalid port "${raw}"` };
    hostIp = text.slice(1, end);
    text = text.slice(end + 2);
  }
  const parts = text.split(':');
  let published: string | null = null;
  let target: string;
  if (hostIp === null && parts.length === 3) {
    hostIp = parts[0] as string;
    published = parts[1] === '' ? null : (parts[1] as string);
    target = parts[2] as string;
  } else if (parts.length === 2) {
    published = parts[0] === '' ? null : (parts[0] as string);
    target = parts[1] as string;
  } else if (parts.length === 1) {
    target = parts[0] as string;
  } else {
    return { ok: false, message: `invalid port "${raw}" (use "C", "H:C" or "IP:H:C", optionally with /tcp or /udp)` };
  }
  const t = checkRange(target, 'container port');
  if (!t.ok) return { ok: false, message: `${t.message} in "${raw}"` };
  if (published !== null) {
    const p = checkRange(published, 'published port');
    if (!p.ok) return { ok: false, message: `${p.message} in "${raw}"` };
    const pCount = p.value.to - p.value.from;
    const tCount = t.value.to - t.value.from;
    if (pCount !== tCount && pCount !== 0) {
      return { ok: false, message: `port range "${raw}": the published and container ranges differ in size` };
    }
  }
  if (hostIp !== null && hostIp === '') hostIp = null;
  return { ok: true, value: { target, published, host_ip: hostIp, protocol } };
}

/** "0.0.0.0:8080->80/tcp", as `ps` shows desired ports. */
export function formatPort(p: PortMapping): string {
  // A random host port bound to one address keeps that address: "127.0.0.1::80" is not "80".
  const host = p.published === null ? (p.host_ip ? `${p.host_ip}::` : '') : `${p.host_ip ?? '0.0.0.0'}:${p.published}->`;
  return `${host}${p.target}/${p.protocol}`;
}
