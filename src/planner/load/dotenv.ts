// .env files as Docker Compose reads them: comments, `export`, quoting, and ${VAR} from earlier entries.
import { interpolate, type Lookup } from './interpolate.js';

export type { Lookup } from './interpolate.js';

export interface DotenvEntry {
  key: string;
  value: string;
  line: number;
}

export type DotenvResult = { ok: true; entries: DotenvEntry[] } | { ok: false; line: number; column: number; message: string };

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// `\$` is a literal dollar: it becomes interpolation's own escape `$$`, so `"\$HOME"` is never expanded.
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$$' };

export function parseDotenv(source: string, lookup: Lookup = () => undefined): DotenvResult {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const entries: DotenvEntry[] = [];
  const seen = new Map<string, string>();
  const resolve: Lookup = (k) => seen.get(k) ?? lookup(k);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const lineNo = n + 1;
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = raw.length - trimmed.length;
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    const bodyCol = indent + (trimmed.length - body.length) + 1;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trimEnd();
    if (!KEY.test(key)) return { ok: false, line: lineNo, column: bodyCol, message: `invalid variable name "${key}"` };
    if (eq < 0) {
      const v = lookup(key);
      if (v !== undefined) {
        seen.set(key, v);
        entries.push({ key, value: v, line: lineNo });
      }
      continue;
    }
    let rest = body.slice(eq + 1).trimStart();
    let value: string;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) return { ok: false, line: lineNo, column: bodyCol + eq + 1, message: `unterminated single quote in ${key}` };
      value = rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      let text = '';
      let i = 1;
      let closed = false;
      for (;;) {
        if (i >= rest.length) {
          if (n + 1 >= lines.length) break;
          n++;
          text += '\n';
          rest = lines[n] as string;
          i = 0;
          continue;
        }
        const c = rest[i] as string;
        if (c === '\\' && i + 1 < rest.length) {
          text += ESCAPES[rest[i + 1] as string] ?? `\\${rest[i + 1]}`;
          i += 2;
        } else if (c === '"') {
          closed = true;
          break;
        } else {
          text += c;
          i++;
        }
      }
      if (!closed) return { ok: false, line: lineNo, column: bodyCol + eq + 1, message: `unterminated double quote in ${key}` };
      const r = interpolate(text, resolve);
      if (!r.ok) return { ok: false, line: lineNo, column: bodyCol + eq + 1, message: r.message };
      value = r.value;
    } else {
      const hash = rest.search(/\s#/);
      const text = (hash < 0 ? rest : rest.slice(0, hash)).trim();
      const r = interpolate(text, resolve);
      if (!r.ok) return { ok: false, line: lineNo, column: bodyCol + eq + 1, message: r.message };
      value = r.value;
    }
    seen.set(key, value);
    entries.push({ key, value, line: lineNo });
  }
  return { ok: true, entries };
}
