import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/model/errors.js';
import { parseYaml } from '../../../../src/planner/load/yaml-source.js';
import { resolvePlainScalar } from '../../../../src/planner/load/yaml-scalars.js';

function error(text: string): string {
  try {
    parseYaml(text, 'compose.yaml');
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe('plain scalars as go-yaml (compose-go) resolves them', () => {
  it.each([
    ['true', true], ['True', true], ['FALSE', false],
    // YAML 1.1 booleans are strings in YAML 1.2, and to compose-go
    ['yes', 'yes'], ['no', 'no'], ['on', 'on'], ['off', 'off'], ['y', 'y'], ['N', 'N'],
    ['', null], ['~', null], ['null', null], ['NULL', null],
    ['42', 42], ['-7', -7], ['+3', 3], ['0', 0], ['1_000', 1000],
    // Go's base-0 integers: a leading zero is octal
    ['0440', 288], ['0o17', 15], ['0x1F', 31], ['0b101', 5], ['08', 8],
    ['1.5', 1.5], ['1e3', 1000], ['.5', 0.5], ['-0', -0],
    ['8080:80', '8080:80'], ['1:30', '1:30'], ['2024-01-02', '2024-01-02'], ['1.2.3', '1.2.3'], ['-', '-'], ['.git', '.git'],
  ])('%j → %j', (text, value) => {
    expect(resolvePlainScalar(text)).toStrictEqual(value);
  });
});

describe('parseYaml', () => {
  it('reads quoted and block scalars as strings, plain ones as go-yaml does', () => {
    const [doc] = parseYaml('a: "yes"\nb: yes\nc: 0440\nd: "0440"\ne: |\n  x\nf:\n', 'c.yaml');
    expect(doc?.data).toStrictEqual({ a: 'yes', b: 'yes', c: 288, d: '0440', e: 'x\n', f: null });
  });

  it('locates keys and values, with aliased content located in the anchor', () => {
    const text = ['x-base: &base', '  image: nginx', '  environment: &env', '    A: "1"', 'services:', '  web:', '    <<: *base', '    hostname: web', '    labels: *env', ''].join('\n');
    const [doc] = parseYaml(text, 'c.yaml');
    expect(doc?.data.services).toStrictEqual({ web: { image: 'nginx', environment: { A: '1' }, hostname: 'web', labels: { A: '1' } } });
    const loc = doc!.locations;
    expect(loc.locate(['services', 'web', 'hostname'])).toEqual({ position: { line: 8, column: 5 }, exact: true });
    expect(loc.locate(['services', 'web', 'image'])).toEqual({ position: { line: 2, column: 3 }, exact: true });
    expect(loc.locate(['services', 'web', 'environment', 'A'])).toEqual({ position: { line: 4, column: 5 }, exact: true });
    expect(loc.locateValue(['services', 'web', 'labels'])).toEqual({ line: 9, column: 13 });
    expect(loc.locate(['services', 'web', 'labels', 'A'])).toEqual({ position: { line: 4, column: 5 }, exact: true });
    expect(loc.locate(['services', 'web', 'nope'])).toEqual({ position: { line: 6, column: 3 }, exact: false });
  });

  it('merge keys: own keys win, then the first merged mapping', () => {
    const [doc] = parseYaml('a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  y: 3\n', 'c.yaml');
    expect(doc?.data.c).toStrictEqual({ x: 1, y: 3, z: 2 });
  });

  it('records !reset and !override by path, and drops what !reset tags', () => {
    const [doc] = parseYaml('services:\n  web:\n    command: !reset\n    ports: !override ["80:80"]\n    dns: [a, !reset b, c]\n', 'c.yaml');
    expect(doc?.data).toStrictEqual({ services: { web: { ports: ['80:80'], dns: ['a', 'c'] } } });
    expect(doc?.resets).toEqual([['services', 'web', 'command'], ['services', 'web', 'dns', 1]]);
    expect(doc?.overrides).toEqual([['services', 'web', 'ports']]);
  });

  it('keeps every document of a stream', () => {
    expect(parseYaml('a: 1\n---\nb: 2\n', 'c.yaml').map((d) => d.data)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it.each([
    ['services:\n  web:\n    image: x\n   bad: 1\n', 'compose.yaml:4:1: invalid YAML: All mapping items must start at the same column'],
    ['a: 1\na: 2\n', 'compose.yaml:2:1: invalid YAML: Map keys must be unique'],
    ['services:\n  web:\n    environment:\n      1: x\n', 'compose.yaml:4:7: services.web.environment: non-string key "1": quote it ("1")'],
    ['- a\n- b\n', 'compose.yaml:1:1: the top level of a compose file must be a mapping'],
    ['a: &a\n  <<: *a\n', 'compose.yaml:2:7: a: alias *a refers to itself'],
    ['a: *nope\n', 'compose.yaml:1:4: a: unknown alias *nope'],
    ['a:\n  <<: 5\n', 'compose.yaml:2:7: a: a `<<` merge key takes a mapping or a list of mappings'],
  ])('%j is a located error', (text, message) => {
    expect(error(text)).toEqual(message);
  });

  it('refuses aliases that expand into too many nodes', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    expect(error(lines.join('\n'))).toMatch(/too many nodes/);
  });
});

describe('parseYaml limits', () => {
  it('refuses flow collections nested absurdly deep before the parser sees them', () => {
    expect(error(`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}`)).toBe('compose.yaml:1:504: invalid YAML: collections nested more than 500 deep');
    expect(parseYaml(`a: "${'['.repeat(600)}"\nb: [[1]]  # ${'{'.repeat(600)}\n`, 'c.yaml')[0]?.data).toEqual({ a: '['.repeat(600), b: [[1]] });
  });
});
