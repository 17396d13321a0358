// extra_hosts, every form compose accepts (compose-go's HostsList): ["host:ip"], ["host=ip"], several addresses in
// one entry ("host=ip1,ip2"), IPv6 with or without brackets, and the table { host = "ip" } or { host = ["ip1", "ip2"] }.
// The result is the engine's form, one "host:ip" per address (brackets removed), in the order written.
import type { Parsed } from '../../model/units.js';

export type RawExtraHosts = string[] | Record<string, string | string[]>;

function entries(host: string, ips: string[], raw: string): Parsed<string[]> {
  // The engine splits "host:ip" at the first colon: a host holding ":" or "=" would be read as something else.
  if (host === '' || /[:=]/.test(host)) return { ok: false, message: `bad host name "${host}" in extra_hosts entry "${raw}"` };
  const out: string[] = [];
  for (const ip of ips) {
    const bare = ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
    if (bare === '') return { ok: false, message: `extra_hosts entry "${raw}" has no address (write "host=ip")` };
    out.push(`${host}:${bare}`);
  }
  return { ok: true, value: out };
}

/** Each entry's "host:ip" strings, or the message for the first entry that is not valid, with its index or key. */
export function parseExtraHosts(raw: RawExtraHosts): { ok: true; value: string[] } | { ok: false; at: string | number; message: string } {
  const out: string[] = [];
  if (Array.isArray(raw)) {
    for (const [i, entry] of raw.entries()) {
      // "=" first: it is the separator that leaves an IPv6 address readable ("host=::1"), as in compose.
      const sep = entry.includes('=') ? '=' : ':';
      const cut = entry.indexOf(sep);
      if (cut < 0) return { ok: false, at: i, message: `invalid extra_hosts entry "${entry}": missing the address (write "host:ip" or "host=ip")` };
      const r = entries(entry.slice(0, cut), entry.slice(cut + 1).split(','), entry);
      if (!r.ok) return { ok: false, at: i, message: r.message };
      out.push(...r.value);
    }
    return { ok: true, value: out };
  }
  for (const [host, ips] of Object.entries(raw)) {
    const list = Array.isArray(ips) ? ips : [ips];
    const r = entries(host, list, `${host} = ${JSON.stringify(ips)}`);
    if (!r.ok) return { ok: false, at: host, message: r.message };
    out.push(...r.value);
  }
  return { ok: true, value: out };
}
