// Deterministic mutations of real Boltfiles for fuzzing the loader: the same (seed, case index) always gives the
// same bytes, so a failing case is reproduced by its number alone. Mutations mix what breaks parsers in practice:
// lost and repeated lines, deep nesting in every TOML form, huge values, random bytes, awkward unicode and values
// written to trip regular expressions.

/** mulberry32: small, fast, good enough to pick mutations; never for anything secret. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Depths well past any real Boltfile (under 12) and past the recursion limits of naive walkers (a few thousand). */
const DEPTHS = [3, 50, 101, 500, 2000, 5000, 20_000, 100_000];
/** Lengths of huge values: some under the loader's size cap, some over it (4 MiB). */
const HUGE = [1_000, 100_000, 1_000_000, 3_000_000, 5_000_000];

/** Keys where nesting is plausible: mappings, tables, lists, extension keys, and some that take scalars. */
const NEST_KEYS = [
  'labels', 'environment', 'env', 'build.args', 'x-meta', 'depends_on', 'networks', 'volumes', 'gpu', 'healthcheck',
  'develop', 'ports', 'command', 'image', 'deploy', 'gaming', 'metadata', 'unknown_key',
];

/** Values aimed at the loader's regular expressions and parsers (ports, sizes, durations, names, mounts, env). */
function pathological(r: Random): string {
  const n = pick(r, [1_000, 20_000, 200_000]);
  const forms: (() => string)[] = [
    () => `${'1'.repeat(n)}x`,
    () => `1${' '.repeat(n)}x`,
    () => `${'1-'.repeat(n)}`,
    () => `${'1:'.repeat(n)}x`,
    () => `${'['.repeat(n)}`,
    () => `${'1.'.repeat(n)}s`,
    () => `${'1s'.repeat(n)}x`,
    () => `${'a'.repeat(n)}=`,
    () => `${'\\t'.repeat(n)}`,
    () => `${'${'.repeat(Math.min(n, 20_000))}`,
    () => `${'$'.repeat(n)}`,
    () => `${'${A:-'.repeat(Math.min(n, 20_000))}x`,
    () => `${'/a'.repeat(n)}:${'/b'.repeat(n)}:ro`,
    () => `on-failure:${'9'.repeat(n)}`,
    () => `${'-'.repeat(n)}a`,
    () => `${'rw'.repeat(n)}x`,
    () => `${'0'.repeat(n)}.${'0'.repeat(n)}gib`,
    () => `${'é'.repeat(n)}`,
  ];
  return pick(r, forms)();
}

const SCALAR_KEYS = [
  'ports', 'memory_limit', 'mem_limit', 'cpus', 'cpu_limit', 'restart', 'stop_grace_period', 'image', 'command',
  'user', 'working_dir', 'hostname', 'extra_hosts', 'devices', 'volumes', 'dns', 'tmpfs', 'env_file', 'platform',
  'healthcheck.interval', 'healthcheck.test', 'gpu.nvidia.device', 'depends_on', 'networks', 'project', 'name',
];

/** A TOML string literal holding `text` (escaped so the file stays valid TOML whenever the rest is). */
function tomlString(text: string): string {
  return JSON.stringify(text);
}

function deepDotted(r: Random, depth: number): string {
  const seg = pick(r, ['a', 'x', '"q.k"', "'lit'", 'k-1']);
  return `${pick(r, NEST_KEYS)}.${Array.from({ length: depth }, () => seg).join('.')} = ${pick(r, ['1', '"v"', '[]', '{}'])}`;
}

function deepHeader(r: Random, depth: number): string {
  const base = pick(r, ['services.web.labels', 'services.app', 'x-deep', 'volumes.v', 'networks.n.labels', 'metadata']);
  const inner = Array.from({ length: depth }, () => pick(r, ['a', 'b'])).join('.');
  return r() < 0.5 ? `[${base}.${inner}]\nk = 1` : `[[${base}.${inner}]]\nk = 1`;
}

function deepArray(r: Random, depth: number): string {
  return `${pick(r, NEST_KEYS)} = ${'['.repeat(depth)}1${']'.repeat(r() < 0.9 ? depth : int(r, 0, depth))}`;
}

function deepInlineTable(r: Random, depth: number): string {
  const k = pick(r, ['a', 'b.c', '"x"']);
  return `${pick(r, NEST_KEYS)} = ${`{ ${k} = `.repeat(depth)}1${' }'.repeat(r() < 0.9 ? depth : int(r, 0, depth))}`;
}

function deepMixed(r: Random, depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (r() < 0.5) {
      open += '[';
      close = `]${close}`;
    } else {
      open += '{ a = ';
      close = ` }${close}`;
    }
  }
  return `${pick(r, NEST_KEYS)} = ${open}1${close}`;
}

const UNICODE = ['\uFEFF', '\u200D', '\u202E', '\u0301', '😀', '\u2028', '\u2029', 'Ｋ', '\u0000', '\uD800', '\uDFFF', 'ı', 'ß', '\u00A0', '\r', '\t', '\\u0000', '\\uD800'];

type TextOp = (text: string, r: Random) => string;

function lines(text: string): string[] {
  return text.split('\n');
}

function insertLine(text: string, r: Random, line: string): string {
  const ls = lines(text);
  ls.splice(int(r, 0, ls.length), 0, line);
  return ls.join('\n');
}

const TEXT_OPS: Record<string, TextOp> = {
  'delete-lines': (t, r) => {
    const ls = lines(t);
    const at = int(r, 0, ls.length - 1);
    ls.splice(at, int(r, 1, 5));
    return ls.join('\n');
  },
  'duplicate-lines': (t, r) => {
    const ls = lines(t);
    const at = int(r, 0, ls.length - 1);
    const chunk = ls.slice(at, at + int(r, 1, 8));
    ls.splice(int(r, 0, ls.length), 0, ...chunk);
    return ls.join('\n');
  },
  'swap-lines': (t, r) => {
    const ls = lines(t);
    const a = int(r, 0, ls.length - 1);
    const b = int(r, 0, ls.length - 1);
    [ls[a], ls[b]] = [ls[b] as string, ls[a] as string];
    return ls.join('\n');
  },
  'delete-chars': (t, r) => {
    const at = int(r, 0, t.length);
    return t.slice(0, at) + t.slice(at + int(r, 1, 40));
  },
  'duplicate-chars': (t, r) => {
    const at = int(r, 0, t.length);
    const chunk = t.slice(at, at + int(r, 1, 200));
    const to = int(r, 0, t.length);
    return t.slice(0, to) + chunk.repeat(int(r, 1, 50)) + t.slice(to);
  },
  'random-chars': (t, r) => {
    let out = t;
    for (let k = int(r, 1, 20); k > 0; k--) {
      const at = int(r, 0, out.length);
      out = out.slice(0, at) + String.fromCharCode(int(r, 0, 0xffff)) + out.slice(at);
    }
    return out;
  },
  'ascii-noise': (t, r) => {
    let out = t;
    for (let k = int(r, 1, 10); k > 0; k--) {
      const at = int(r, 0, out.length);
      out = out.slice(0, at) + pick(r, ['[', ']', '{', '}', '"', "'", '=', '.', ',', '#', '\n', '"""', "'''", '\\', '$', '${']) + out.slice(at);
    }
    return out;
  },
  unicode: (t, r) => {
    let out = t;
    for (let k = int(r, 1, 10); k > 0; k--) {
      const at = int(r, 0, out.length);
      out = out.slice(0, at) + pick(r, UNICODE) + out.slice(at);
    }
    return out;
  },
  'deep-dotted': (t, r) => insertLine(t, r, deepDotted(r, pick(r, DEPTHS))),
  'deep-header': (t, r) => `${t}\n${deepHeader(r, pick(r, DEPTHS))}\n`,
  'deep-array': (t, r) => insertLine(t, r, deepArray(r, pick(r, DEPTHS))),
  'deep-inline-table': (t, r) => insertLine(t, r, deepInlineTable(r, pick(r, DEPTHS))),
  'deep-mixed': (t, r) => insertLine(t, r, deepMixed(r, pick(r, DEPTHS))),
  'huge-string': (t, r) => insertLine(t, r, `${pick(r, SCALAR_KEYS)} = ${tomlString(pick(r, ['a', 'é', ' ', '$', '1', ':']).repeat(pick(r, HUGE)))}`),
  'huge-key': (t, r) => insertLine(t, r, `${'k'.repeat(pick(r, HUGE))} = 1`),
  'many-keys': (t, r) => {
    const n = pick(r, [1_000, 20_000, 200_000]);
    const form = pick(r, ['k%=1', 'labels.k% = "v"', '[services.s%]\nimage = "i"', '[[x-list]]\na = %', 'depends_on = ["d%"]']);
    return `${t}\n${Array.from({ length: n }, (_, i) => form.replaceAll('%', String(i))).join('\n')}\n`;
  },
  'long-list': (t, r) => {
    const n = pick(r, [1_000, 50_000, 300_000]);
    const elem = pick(r, ['"80"', '"x"', '1', '"a b"', '"K"', '{}']);
    return insertLine(t, r, `${pick(r, ['ports', 'depends_on', 'environment', 'networks', 'volumes', 'command', 'dns'])} = [${Array.from({ length: n }, () => elem).join(',')}]`);
  },
  pathological: (t, r) => {
    const value = tomlString(pathological(r));
    const wrapped = pick(r, [value, `[${value}]`, `{ a = ${value} }`, `{ ${value} = "v" }`]);
    return insertLine(t, r, `${pick(r, SCALAR_KEYS)} = ${wrapped}`);
  },
  'retype-value': (t, r) => {
    const ls = lines(t);
    const candidates = ls.map((l, i) => (l.includes('=') ? i : -1)).filter((i) => i >= 0);
    if (!candidates.length) return t;
    const i = pick(r, candidates);
    const l = ls[i] as string;
    ls[i] = `${l.slice(0, l.indexOf('=') + 1)} ${pick(r, ['1', '-1', '1.5', 'true', '[]', '{}', '""', '1979-05-27T07:32:00Z', 'nan', 'inf', '[1, "a"]', '{ a = 1 }', '99999999999999999999'])}`;
    return ls.join('\n');
  },
  // At most ~12 MB: past the size cap, within what a string can hold.
  'repeat-file': (t, r) => t.repeat(Math.max(1, Math.min(int(r, 2, 400), Math.floor(12_000_000 / Math.max(1, t.length))))),
  truncate: (t, r) => t.slice(0, int(r, 0, t.length)),
};

export const OP_NAMES = [...Object.keys(TEXT_OPS), 'invalid-utf8'] as const;

export interface MutatedCase {
  index: number;
  base: string;
  ops: string[];
  bytes: Buffer;
}

/** Case `index` of a run with `seed`: 1 to 3 mutations of one corpus file. */
export function mutateCase(seed: number, index: number, corpus: readonly { name: string; text: string }[]): MutatedCase {
  const r = rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const base = corpus[index % corpus.length] as { name: string; text: string };
  let text = base.text;
  const ops: string[] = [];
  let invalidUtf8 = false;
  for (let k = int(r, 1, 3); k > 0; k--) {
    const op = pick(r, OP_NAMES);
    ops.push(op);
    if (op === 'invalid-utf8') invalidUtf8 = true;
    else text = (TEXT_OPS[op] as TextOp)(text, r);
  }
  let bytes = Buffer.from(text, 'utf8');
  if (invalidUtf8) {
    // Raw bytes no UTF-8 encoder would write: lone continuation bytes, overlong forms, NULs.
    const extra = Buffer.from(Array.from({ length: int(r, 1, 64) }, () => pick(r, [0x00, 0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff, 0xed, 0xa0, int(r, 0, 255)])));
    const at = int(r, 0, bytes.length);
    bytes = Buffer.concat([bytes.subarray(0, at), extra, bytes.subarray(at)]);
  }
  return { index, base: base.name, ops, bytes };
}
