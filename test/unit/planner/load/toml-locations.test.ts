import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { scanTomlLocations, type PathSegment } from '../../../../src/planner/load/toml-locations.js';

const REAL = `project = "ghostforge"
[services.proton-runtime]
build = "./containers/proton"
gpu.nvidia = true
env.DISPLAY = ":0"
volumes = [
    "./games:/games:rw",   # comment with "quotes" and [brackets]
    "/tmp/.X11-unix:/tmp/.X11-unix:rw"
]
[services.steam.gaming.gpu.nvbind]
devices = ["gpu:0"]
[[snapshots.named_snapshots]]
name = "a"
[[snapshots.named_snapshots]]
name = "b"
`;

const TRICKY = `# comment [not.a.table]
title = """multi
line with "quotes" and [brackets] # not a comment
"""
lit = '''raw ''x'' \\n'''
"quoted.key" = 1
a . "b.c" . d = { x = 1, y.z = [1, [2, 3], { w = "}" }] }
dates = [1979-05-27T07:32:00Z, 1979-05-27 07:32:00, 07:32:00]
nums = [ +1, -2.5e3, 0x1f, inf, true,
  # comment inside an array
  "trailing", ]

[[fruits]]
name = "apple"
[fruits.physical]
color = "red"
[[fruits.varieties]]
name = "red delicious"
[[fruits]]
name = "banana"
[[fruits.varieties]]
name = "plantain"
`;

function allPaths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...allPaths(v, [...prefix, i])));
  else if (value && typeof value === 'object' && !(value instanceof Date) && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...allPaths(v, [...prefix, k]));
  }
  return out;
}

describe('scanTomlLocations', () => {
  it('finds the real-world positions', () => {
    const loc = scanTomlLocations(REAL);
    expect(loc.locate(['services', 'proton-runtime', 'volumes', 1])).toEqual({ position: { line: 8, column: 5 }, exact: true });
    expect(loc.locate(['snapshots', 'named_snapshots', 1, 'name'])).toEqual({ position: { line: 15, column: 1 }, exact: true });
    expect(loc.locate(['services', 'proton-runtime', 'gpu', 'nvidia'])?.position).toEqual({ line: 4, column: 5 });
    expect(loc.locate(['services', 'proton-runtime', 'env', 'DISPLAY'])?.position).toEqual({ line: 5, column: 5 });
    expect(loc.locateValue(['services', 'proton-runtime', 'env', 'DISPLAY'])).toEqual({ line: 5, column: 15 });
    expect(loc.locate(['services', 'steam', 'gaming', 'gpu', 'nvbind', 'devices', 0])?.position).toEqual({ line: 11, column: 12 });
    expect(loc.locate(['services', 'proton-runtime', 'nope'])).toEqual({ position: { line: 2, column: 11 }, exact: false });
    expect(loc.locate(['missing'])).toBeNull();
  });

  it.each([
    ['real', REAL],
    ['tricky', TRICKY],
  ])('locates every path smol-toml parses (%s)', (_name, source) => {
    const loc = scanTomlLocations(source);
    for (const path of allPaths(parse(source))) {
      expect(loc.locate(path), JSON.stringify(path)).toMatchObject({ exact: true });
    }
  });

  it('handles tricky positions', () => {
    const loc = scanTomlLocations(TRICKY);
    expect(loc.locate(['quoted.key'])?.position).toEqual({ line: 6, column: 1 });
    expect(loc.locate(['a', 'b.c', 'd', 'y', 'z', 1, 0])?.position).toEqual({ line: 7, column: 37 });
    expect(loc.locate(['a', 'b.c', 'd', 'y', 'z', 2, 'w'])?.position).toEqual({ line: 7, column: 46 });
    expect(loc.locate(['nums', 5])?.position).toEqual({ line: 11, column: 3 });
    expect(loc.locate(['fruits', 0, 'physical', 'color'])?.position).toEqual({ line: 16, column: 1 });
    expect(loc.locate(['fruits', 1, 'varieties', 0, 'name'])?.position).toEqual({ line: 22, column: 1 });
    expect(loc.notToml10).toBeNull();
  });

  it('handles CRLF line endings', () => {
    const loc = scanTomlLocations('a = 1\r\n[t]\r\nb = "x"\r\n');
    expect(loc.locate(['t', 'b'])?.position).toEqual({ line: 3, column: 1 });
  });

  it('flags TOML 1.1-only inline tables', () => {
    expect(scanTomlLocations('x = {\n  a = 1\n}\n').notToml10).toEqual({ position: { line: 1, column: 6 }, message: expect.stringContaining('one line') });
    expect(scanTomlLocations('x = { a = 1, }\n').notToml10?.message).toContain('trailing comma');
  });

  it('never throws on malformed input and stays linear', () => {
    for (const bad of ['[a', 'x = "unterminated', 'x = [1, 2', '= 3', '[[', '{}{}', 'a.b. = 1']) expect(() => scanTomlLocations(bad)).not.toThrow();
    const big = Array.from({ length: 5000 }, (_, i) => `[services.s${i}]\nimage = "busybox"\nenv.K = "v"\nports = ["80:80"]\n`).join('');
    const t0 = performance.now();
    const loc = scanTomlLocations(big);
    expect(loc.locate(['services', 's4999', 'ports', 0])?.exact).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
