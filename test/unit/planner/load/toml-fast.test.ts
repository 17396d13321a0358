// The fast TOML reader's subset (src/planner/load/toml-fast.ts): what it reads must be exactly what the full path
// (check scan + smol-toml) reads; everything else, valid TOML or not, must give null so the full path decides.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../../../src/planner/load/limits.js';
import { parseTomlFast } from '../../../../src/planner/load/toml-fast.js';
import { scanTomlLocations } from '../../../../src/planner/load/toml-locations.js';
import { loadError } from '../../../fixtures/load-toml.js';
import { checkFastPath } from '../../../fixtures/toml-fast-oracle.js';

const fast = (text: string): Record<string, unknown> | null => parseTomlFast(text, MAX_NESTING);

/** Whether smol-toml (as the loader calls it) accepts `text`: says which bail-outs are of valid TOML. */
function smolAccepts(text: string): boolean {
  try {
    parse(text, { maxDepth: MAX_NESTING, unsafeKeyBehaviour: 'throw' });
    return true;
  } catch {
    return false;
  }
}

const ACCEPTED: [string, string][] = [
  ['a key/value', 'a = 1\n'],
  ['no final line end', 'a = 1'],
  ['CRLF line ends', 'a = 1\r\nb = "x"\r\n[t]\r\nc = [\r\n  1,\r\n]\r\n'],
  ['comments everywhere a line may end', '# top\n\na = 1 # after\n[t] # header\n# last'],
  ['tabs as spaces', 'a\t=\t1\t\n[\tt\t]\nb = [\t1,\t2\t]\n'],
  ['quoted keys', '"quoted key" = 1\n\'lit.key\' = 2\n"" = 3\n"esc\\"aped" = 4\n'],
  ['dotted keys in one table', 'a . b . c = 1\na.d = 2\na."e f" = 3\n'],
  ['a header then its sub-table', '[services.web]\nimage = "x"\n[services.web.healthcheck]\ntest = "true"\n'],
  ['sibling headers through one implicit table', '[a.b]\nx = 1\n[a.c]\nx = 2\n'],
  ['a defined table entered by a later header', '[a]\nx = 1\n[a.b]\ny = 2\n'],
  ['arrays of tables', '[[x]]\na = 1\n[[x]]\na = 2\n'],
  ['a sub-table of the last element', '[[x]]\n[x.y]\nz = 1\n[[x]]\n[x.y]\nz = 2\n'],
  ['nested arrays of tables', '[[x]]\n[[x.y]]\nn = 1\n[[x.y]]\nn = 2\n[[x]]\n[[x.y]]\nn = 3\n'],
  ['dotted keys in an array element', '[[x]]\na.b = 1\na.c = 2\n[[x]]\na.b = 3\n'],
  ['basic strings and TOML 1.0 escapes', 's = "tab\\t nl\\n q\\" bs\\\\ b\\b f\\f r\\r \\u00e9 \\U0001F600 raw\ttab é 😀"\ne = ""\n'],
  ['literal strings', "s = 'C:\\path\\n \"quoted\"'\ne = ''\n"],
  ['integers', 'a = 0\nb = -1\nc = 123456789012345\nd = -999999999999999\n'],
  ['floats', 'a = 1.5\nb = -0.25\nc = 1e3\nd = 2E-2\ne = 6.02e+23\nf = 0.0\ng = -0.0\nh = 0e5\n'],
  ['booleans', 'a = true\nb = false\n'],
  ['mixed and nested arrays', 'a = [1, "a", [2, [3, []]], { x = 1 }, true, 1.5]\n'],
  ['arrays across lines, with comments and a trailing comma', 'a = [ # first\n  "x", # one\n\n  # alone\n  "y",\n]\nb = [\n]\n'],
  ['inline tables', 'a = { b = 1, c.d = 2, c.e = "x", f = { g = [1, 2] }, h = {} }\ne = {}\nf = { }\n'],
  ['an array of inline tables across lines', 'a = [\n  { x = 1 },\n  { x = 2 },\n]\n'],
  [
    'the bench shape',
    'project = "p"\n\n[services."chain1-2"]\nimage = "surge-test/busybox:1"\ncommand = ["sh", "-c", "trap \'exit 0\' TERM; wait $$!"]\ndepends_on = { "chain1-1" = { condition = "service_started" } }\nenvironment = { A = "1", B = "x y" }\n',
  ],
];

describe('the fast TOML reader: what it reads', () => {
  it.each(ACCEPTED)('%s: read, and as the full path reads it', (_what, text) => {
    expect(checkFastPath(text)).toEqual({ accepted: true, problem: null });
  });

  it('makes plain-object tables (smol-toml makes them without a prototype), and typed values', () => {
    const doc = fast('a = 1\nb = 1.5\nc = "s"\nd = [true]\n[t.u]\n[[x]]\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(doc.t)).toBe(Object.prototype);
    expect(Object.getPrototypeOf((doc.t as Record<string, unknown>).u)).toBe(Object.prototype);
    expect(Object.getPrototypeOf((doc.x as unknown[])[0])).toBe(Object.prototype);
    // Keys Object.prototype has are not mistaken for keys the document has: such a text goes the full path.
    expect(fast('toString = 1\n')).toBeNull();
    expect(fast('[hasOwnProperty]\n')).toBeNull();
    expect([doc.a, doc.b, doc.c, doc.d]).toEqual([1, 1.5, 's', [true]]);
    expect(Object.is(fast('a = -0.0')?.a, -0)).toBe(true);
  });

  it('counts depth as the check scan does, and stops past the cap', () => {
    const dotted = (n: number): string => `${Array.from({ length: n }, () => 'a').join('.')} = 1\n`;
    expect(checkFastPath(dotted(MAX_NESTING))).toEqual({ accepted: true, problem: null });
    expect(fast(dotted(MAX_NESTING + 1))).toBeNull();
    expect(scanTomlLocations(dotted(MAX_NESTING + 1)).tooDeep).not.toBeNull();
    // an array of tables' element is a level: [[a]] is 2 deep, its key 3
    expect(checkFastPath('[[a]]\nb = 1\n', 3)).toEqual({ accepted: true, problem: null });
    expect(parseTomlFast('[[a]]\nb = 1\n', 2)).toBeNull();
    expect(scanTomlLocations('[[a]]\nb = 1\n', 2).tooDeep).not.toBeNull();
    // [x.y] after [[x]]: x, its element, y
    expect(parseTomlFast('[[x]]\n[x.y]\n', 2)).toBeNull();
    expect(checkFastPath('[[x]]\n[x.y]\n', 3)).toEqual({ accepted: true, problem: null });
    // each array and inline table is a level
    expect(checkFastPath('a = [[1]]\nb = { c = { d = 1 } }\n', 3)).toEqual({ accepted: true, problem: null });
    expect(parseTomlFast('a = [[1]]\n', 2)).toBeNull();
    expect(parseTomlFast('b = { c = { d = 1 } }\n', 2)).toBeNull();
    expect(scanTomlLocations('b = { c = { d = 1 } }\n', 2).tooDeep).not.toBeNull();
  });

  it('leaves positions to the lazy scan: a document it read still gets located errors', () => {
    const text = '[services.web]\nimage = "x"\nports = [{ nope = 1 }]\n';
    expect(checkFastPath(text).accepted).toBe(true);
    expect(loadError(text)).toMatch(/Boltfile\.toml:3:\d+: /);
  });
});

/** [why it gives up, text, whether smol-toml reads it (valid TOML the fast path leaves to the full path)] */
const BAIL: [string, string, boolean][] = [
  ['a BOM', '\uFEFFa = 1\n', true],
  ['a multi-line basic string', 'a = """x"""\n', true],
  ['a multi-line literal string', "a = '''x'''\n", true],
  ['the \\e escape (TOML 1.1)', 'a = "\\e"\n', true],
  ['the \\x escape (TOML 1.1)', 'a = "\\x41"\n', true],
  ['an unknown escape', 'a = "\\q"\n', false],
  ['a surrogate escape', 'a = "\\uD800"\n', false],
  ['an escape past Unicode', 'a = "\\U00110000"\n', false],
  ['a control character in a string', 'a = "x\u0001y"\n', false],
  ['DEL in a literal string', "a = 'x\u007fy'\n", false],
  ['a control character in a comment', '# x\u0001\na = 1\n', false],
  ['a lone CR', 'a = 1\rb = 2\n', false],
  ['a CR in a comment', 'a = 1 # x\ry\n', false],
  ['a date', 'a = 1979-05-27\n', true],
  ['a date-time', 'a = 1979-05-27T07:32:00Z\n', true],
  ['a time', 'a = 07:32:00\n', true],
  ['a hex integer', 'a = 0x1f\n', true],
  ['an octal integer', 'a = 0o17\n', true],
  ['a binary integer', 'a = 0b1\n', true],
  ['inf', 'a = inf\n', true],
  ['-inf', 'a = -inf\n', true],
  ['nan', 'a = nan\n', true],
  ['a plus sign', 'a = +1\n', true],
  ['an underscore', 'a = 1_000\n', true],
  ['-0', 'a = -0\n', true],
  ['a leading zero', 'a = 007\n', false],
  ['16 digits', 'a = 1234567890123456\n', true],
  ['a float without fraction digits', 'a = 1.\n', false],
  ['a float without integer digits', 'a = .5\n', false],
  ['an exponent without digits', 'a = 1e\n', false],
  ['a newline in an inline table', 'a = { b = 1,\n c = 2 }\n', true],
  ['a comment in an inline table', 'a = { b = 1, # c\n c = 2 }\n', true],
  ['a trailing comma in an inline table', 'a = { b = 1, }\n', true],
  ['an array across lines in an inline table', 'a = { b = [\n1] }\n', true],
  ['a key defined twice', 'a = 1\na = 2\n', false],
  ['a value over a dotted table', 'a.b = 1\na = 2\n', false],
  ['a dotted key through a value', 'a = 1\na.b = 2\n', false],
  ['a dotted key into an inline table', 'a = { x = 1 }\na.y = 2\n', false],
  ['a dotted key into an array', 'a = [1]\na.b = 2\n', false],
  ['a table defined twice', '[t]\n[t]\n', false],
  ['a header over a value', '[t]\nx = 1\n[t.x]\n', false],
  ['a header naming a dotted-key table', '[t]\nx.y = 1\n[t.x]\n', false],
  ['a header into a dotted-key table', '[t]\nx.y = 1\n[t.x.z]\n', true],
  ['a header naming an existing implicit table', '[a.b]\n[a]\n', true],
  ['a header naming a root dotted-key table', 'a.b = 1\n[a]\n', false],
  ['a header into a root dotted-key table', 'a.b = 1\n[a.c]\n', true],
  ['a header into an inline table', 'a = { b = 1 }\n[a.c]\n', false],
  ['a header naming an inline table', 'a = { b = 1 }\n[a]\n', false],
  ['an array of tables over a static array', 'a = []\n[[a]]\n', false],
  ['a header into a static array', 'a = [{ b = 1 }]\n[a.c]\n', false],
  ['a table over an array of tables', '[[a]]\n[a]\n', false],
  ['an array of tables over a table', '[a]\n[[a]]\n', false],
  ['an array of tables over an implicit table', '[a.b]\n[[a]]\n', false],
  ['a duplicate key in an inline table', 'x = { a = 1, a = 2 }\n', false],
  ['a value over a dotted table in an inline table', 'x = { a.b = 1, a = 2 }\n', false],
  ['a dotted key into an inline table in an inline table', 'x = { a = {}, a.b = 1 }\n', false],
  ['__proto__', '__proto__ = 1\n', false],
  ['constructor', 'constructor = 1\n', false],
  ['__proto__ in a header', '[__proto__]\n', false],
  ['a quoted __proto__ in a dotted key', 'a."__proto__" = 1\n', false],
  ['constructor in an inline table', 'x = { constructor = 1 }\n', false],
  ['no value', 'a = \n', false],
  ['no equals sign', 'a\n', false],
  ['no key', '= 1\n', false],
  ['an unclosed header', '[a\n', false],
  ['a header closed twice', '[a]]\n', false],
  ['an array header closed once', '[[a]\n', false],
  ['an array header closed apart', '[[a] ]\n', false],
  ['an empty header', '[]\n', false],
  ['two values', 'a = 1 2\n', false],
  ['two values in an array', 'a = [1 2]\n', false],
  ['an empty array element', 'a = [1,,2]\n', false],
  ['a lone comma in an array', 'a = [,]\n', false],
  ['an unclosed basic string', 'a = "x\n', false],
  ['an unclosed literal string', "a = 'x\n", false],
  ['a space in a bare key', 'a b = 1\n', false],
  ['a word after a boolean', 'a = truex\n', false],
  ['a trailing dot in a key', 'a. = 1\n', false],
  ['a second dot in a float', 'a = 1.5.3\n', false],
  ['an unclosed array', 'a = [1, 2\n', false],
  ['an unclosed inline table', 'a = { b = 1\n', false],
];

describe('the fast TOML reader: what it leaves to the full path', () => {
  it.each(BAIL)('%s', (_why, text, valid) => {
    expect(fast(text)).toBeNull();
    expect(smolAccepts(text)).toBe(valid);
  });

  it('gives up past a smaller cap too', () => {
    expect(parseTomlFast('a.b.c = 1\n', 2)).toBeNull();
    expect(parseTomlFast('a.b.c = 1\n', 3)).not.toBeNull();
  });
});
