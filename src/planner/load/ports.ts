// Port mappings, every form compose accepts (compose-go's ParsePortConfig over docker's nat.ParsePortSpec): "80",
// "8080:80", "127.0.0.1:8080:80", "127.0.0.1::80", "[::1]:8080:80", "::1:8080:80", ranges ("8000-8002:9000-9002"), a
// host range onto one container port ("8000-8010:80": the engine picks a free one), "/tcp", "/udp" or "/sctp",
// integers, and the long table form (target, published, host_ip, protocol, mode, name, app_protocol).
import { isIP } from 'node:net';
import type { PortMapping } from '../../model/model.js';
import type { Parsed } from '../../model/units.js';
import type { RawPort } from './boltfile-schema.js';

const RANGE = /^(\d+)(?:-(\d+))?$/;
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

interface Range {
  from: number;
  to: number;
}

function checkRange(text: string, what: string): Parsed<Range> {
  const m = RANGE.exec(text);
  if (!m) return { ok: false, message: `invalid ${what} "${text}"` };
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from) return { ok: false, message: `invalid ${what} "${text}" (ports are 1-65535)` };
  return { ok: true, value: { from, to } };
}

/** "80-80" is "80", as compose normalizes it. */
function formatRange(r: Range): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

/** The container and published ranges must be the same size, unless one container port takes a host range. */
function pair(target: Range, published: Range | null, raw: string): Parsed<{ target: string; published: string | null }> {
  if (published) {
    const p = published.to - published.from;
    const t = target.to - target.from;
    if (p !== t && t !== 0) return { ok: false, message: `port range "${raw}": the published and container ranges differ in size` };
  }
  return { ok: true, value: { target: formatRange(target), published: published ? formatRange(published) : null } };
}

function checkHostIp(ip: string, raw: string): Parsed<string> {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIP(bare) === 0) return { ok: false, message: `invalid IP address "${ip}" in port "${raw}" (use "C", "H:C" or "IP:H:C", optionally with /tcp, /udp or /sctp)` };
  return { ok: true, value: bare };
}

function longForm(raw: Exclude<RawPort, string | number>): Parsed<PortMapping> {
  const text = JSON.stringify(raw);
  const target = checkRange(String(raw.target), 'container port');
  if (!target.ok) return target;
  let published: Range | null = null;
  if (raw.published !== undefined && String(raw.published) !== '') {
    const pub = checkRange(String(raw.published), 'published port');
    if (!pub.ok) return pub;
    published = pub.value;
  }
  const ports = pair(target.value, published, text);
  if (!ports.ok) return ports;
  let hostIp: string | null = null;
  if (raw.host_ip) {
    const ip = checkHostIp(raw.host_ip, text);
    if (!ip.ok) return ip;
    hostIp = ip.value;
  }
  const value: PortMapping = { ...ports.value, host_ip: hostIp, protocol: raw.protocol ?? 'tcp' };
  // ingress is what a published port means anyway (compose prints it for every port): only host is a choice.
  if (raw.mode !== undefined && raw.mode !== 'ingress') value.mode = raw.mode;
  if (raw.name !== undefined) value.name = raw.name;
  if (raw.app_protocol !== undefined) value.app_protocol = raw.app_protocol;
  return { ok: true, value };
}

export function parsePort(raw: RawPort): Parsed<PortMapping> {
  if (typeof raw === 'number') {
    return raw >= 1 && raw <= 65535 && Number.isInteger(raw)
      ? { ok: true, value: { target: String(raw), published: null, host_ip: null, protocol: 'tcp' } }
      : { ok: false, message: `invalid port ${raw} (ports are 1-65535)` };
  }
  if (typeof raw === 'object') return longForm(raw);
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'no port specified' };
  // IP:HOST:CONTAINER, where the IP may itself hold colons (IPv6, bracketed or not).
  const parts = text.split(':');
  let container = parts[parts.length - 1] as string;
  const host = parts.length >= 2 ? (parts[parts.length - 2] as string) : '';
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(':') : '';
  let protocol: PortMapping['protocol'] = 'tcp';
  const slash = container.indexOf('/');
  if (slash >= 0) {
    const proto = container.slice(slash + 1).toLowerCase();
    if (proto !== '' && !PROTOCOLS.has(proto)) return { ok: false, message: `invalid protocol "${proto}" in port "${raw}" (tcp, udp or sctp)` };
    if (proto !== '') protocol = proto as PortMapping['protocol'];
    container = container.slice(0, slash);
  }
  let hostIp: string | null = null;
  if (ip !== '') {
    const checked = checkHostIp(ip, raw);
    if (!checked.ok) return checked;
    hostIp = checked.value;
  }
  const t = checkRange(container, 'container port');
  if (!t.ok) return { ok: false, message: `${t.message} in "${raw}"` };
  let published: Range | null = null;
  if (host !== '') {
    const p = checkRange(host, 'published port');
    if (!p.ok) return { ok: false, message: `${p.message} in "${raw}"` };
    published = p.value;
  }
  const ports = pair(t.value, published, raw);
  if (!ports.ok) return ports;
  return { ok: true, value: { ...ports.value, host_ip: hostIp, protocol } };
}

/** "0.0.0.0:8080->80/tcp", as `ps` shows desired ports. */
export function formatPort(p: PortMapping): string {
  // A random host port bound to one address keeps that address: "127.0.0.1::80" is not "80".
  const host = p.published === null ? (p.host_ip ? `${p.host_ip}::` : '') : `${p.host_ip ?? '0.0.0.0'}:${p.published}->`;
  return `${host}${p.target}/${p.protocol}`;
}
