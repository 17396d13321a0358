// Interpolated strings in typed fields become the number or boolean the field takes, as compose-go's loader converts
// them (loader/interpolate.go, interpolation/interpolation_test.go TestInterpolateWithCast).
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../../src/model/errors.js';
import { convert } from '../../../../src/planner/load/typed-values.js';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

describe('convert: strconv.Atoi, strconv.ParseFloat and toBoolean', () => {
  it.each([
    ['3', 3],
    ['+3', 3],
    ['-1', -1],
    ['007', 7],
  ])('integer %j → %j', (text, value) => expect(convert(text, 'integer')).toEqual({ ok: true, value }));

  it.each(['1.5', '1e3', ' 3', '3 ', '0x10', '1_000', 'three', '3a', '--3'])('integer %j is refused', (text) => {
    expect(convert(text, 'integer')).toEqual({ ok: false, message: 'expected an integer after interpolation (digits, e.g. 3)' });
  });

  it.each([
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['-2.5E-1', -0.25],
    ['+2', 2],
  ])('number %j → %j', (text, value) => expect(convert(text, 'number')).toEqual({ ok: true, value }));

  // compose's ParseFloat also reads "inf", "NaN" and hex floats: no field of surge's takes them.
  it.each(['inf', 'NaN', '0x1p-2', '1.5.5', 'e3', '.', '1,5'])('number %j is refused', (text) => {
    expect(convert(text, 'number')).toEqual({ ok: false, message: 'expected a number after interpolation (e.g. 1.5)' });
  });

  it.each([
    ['true', true, false],
    ['TRUE', true, false],
    ['True', true, false],
    ['false', false, false],
    ['FALSE', false, false],
    ['y', true, true],
    ['Yes', true, true],
    ['ON', true, true],
    ['n', false, true],
    ['NO', false, true],
    ['off', false, true],
  ])('boolean %j → %j', (text, value, yaml11) => {
    expect(convert(text, 'boolean')).toEqual(yaml11 ? { ok: true, value, yaml11: true } : { ok: true, value });
  });

  it.each(['1', '0', 't', 'f', 'enabled', ' true'])('boolean %j is refused', (text) => {
    expect(convert(text, 'boolean')).toEqual({ ok: false, message: 'expected a boolean after interpolation (true or false)' });
  });

  it.each(['integer', 'number', 'boolean'] as const)('an empty %s says so', (kind) => {
    expect(convert('', kind)).toMatchObject({ ok: false, message: expect.stringMatching(/after interpolation, got an empty string$/) });
  });

  it('an integer beyond what surge can hold is out of range', () => {
    expect(convert('9'.repeat(30), 'integer')).toEqual({ ok: false, message: 'expected an integer after interpolation: out of range' });
  });

  it('pathological inputs are refused in well under a second', () => {
    const start = performance.now();
    for (const kind of ['integer', 'number'] as const) {
      expect(convert(`${'1'.repeat(1_000_000)}x`, kind).ok).toBe(false);
      expect(convert(`${'1'.repeat(500_000)}.${'1'.repeat(500_000)}e`, kind).ok).toBe(false);
      expect(convert(`+${'.1'.repeat(500_000)}`, kind).ok).toBe(false);
    }
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('typed fields in a Boltfile', () => {
  it('TestInterpolateWithCast: "$count" → 5 for replicas, "$REQUIRED" → true for depends_on.*.required', () => {
    const toml = '[services.foo]\nimage = "x"\nreplicas = "$count"\ndepends_on = { db = { required = "$REQUIRED" } }\n[services.db]\nimage = "x"';
    const { project } = loadToml(toml, { env: { count: '5', REQUIRED: 'true' } });
    expect(project.services.foo?.replicas).toBe(5);
    expect(project.services.foo?.depends_on.db?.required).toBe(true);
  });

  it('numbers and booleans throughout the schema', () => {
    const toml = [
      '[services.web]',
      'image = "x"',
      'privileged = "${P}"',
      'read_only = "${F}"',
      'cpus = "${C}"',
      'ports = [{ target = "${T}", published = "${T}" }, "${T}:81"]',
      'volumes = [{ type = "volume", source = "data", target = "/d", read_only = "${P}" }]',
      'gpu = { nvidia = { count = "${N}", cuda = "${P}" } }',
      '[services.web.healthcheck]',
      'test = ["CMD", "true"]',
      'retries = "${N}"',
      'disable = "${F}"',
      '[volumes.data]',
      'external = "${F}"',
    ].join('\n');
    const { project } = loadToml(toml, { env: { P: 'true', F: 'false', C: '1.5', T: '8080', N: '2' } });
    const web = project.services.web;
    expect(web?.privileged).toBe(true);
    expect(web?.read_only).toBe(false);
    expect(web?.cpu_limit).toBe(1.5);
    expect(web?.ports.map((p) => `${p.published}:${p.target}`)).toEqual(['8080:8080', '8080:81']);
    expect(web?.volumes[0]?.read_only).toBe(true);
    expect(web?.healthcheck?.retries).toBe(2);
    expect(project.volumes.data?.external).toBe(false);
  });

  it('a literal "all" stays the literal a union takes; digits become the integer', () => {
    const toml = (count: string): string => `[services.web]\nimage = "x"\ngpu = { nvidia = { count = "${count}" } }`;
    // (count loads, and is not used by surge's model: it asks for every GPU either way)
    expect(loadToml(toml('${N}'), { env: { N: 'all' } }).project.services.web?.gpu).toMatchObject({ vendor: 'nvidia' });
    expect(loadToml(toml('${N}'), { env: { N: '1' } }).project.services.web?.gpu).toMatchObject({ vendor: 'nvidia' });
    expect(loadError(toml('${N}'), { env: { N: 'some' } })).toBe('Boltfile.toml:3:28: services.web.gpu.nvidia.count: expected an integer after interpolation (digits, e.g. 3)');
  });

  it('a YAML 1.1 spelling converts with a located warning', () => {
    const { project, warnings } = loadToml('[services.web]\nimage = "x"\nprivileged = "${P}"', { env: { P: 'yes' } });
    expect(project.services.web?.privileged).toBe(true);
    expect(warnings.map(formatDiagnostic)).toEqual([
      'Boltfile.toml:3:14: warning: services.web.privileged: after interpolation, a YAML 1.1 boolean spelling (y, yes, on, n, no, off): write true or false',
    ]);
  });

  it.each([
    ['replicas = "${N}"', { N: '1.5' }, 'Boltfile.toml:3:12: services.web.replicas: expected an integer after interpolation (digits, e.g. 3)'],
    ['replicas = "${N}"', {}, 'Boltfile.toml:3:12: services.web.replicas: expected an integer after interpolation, got an empty string'],
    ['privileged = "${DB_PASSWORD}"', { DB_PASSWORD: 'hunter2' }, 'Boltfile.toml:3:14: services.web.privileged: expected a boolean after interpolation (true or false)'],
    ['healthcheck = { retries = "x${N}" }', { N: '1' }, 'Boltfile.toml:3:27: services.web.healthcheck.retries: expected an integer after interpolation (digits, e.g. 3)'],
    // the schema still refuses a negative count: zod's word, at the same place
    ['replicas = "${N}"', { N: '-1' }, 'Boltfile.toml:3:12: services.web.replicas: Too small: expected number to be >=0'],
    // one error when interpolation itself fails, not a second one for the type
    ['replicas = "${N:?set N}"', {}, 'Boltfile.toml:3:12: services.web.replicas: required variable N is missing a value: set N'],
  ])('%s with %j: %s', (line, env, message) => {
    expect(loadError(`[services.web]\nimage = "x"\n${line}`, { env })).toBe(message);
  });

  it('a literal string in a typed field is the schema\'s error, as before', () => {
    expect(loadError('[services.web]\nimage = "x"\nreplicas = "3"')).toBe('Boltfile.toml:3:12: services.web.replicas: expected number, got string "3"');
  });

  it('an override file\'s interpolated value is converted and located in that file', () => {
    const { project } = loadToml('[services.web]\nimage = "x"\nreplicas = 1', { files: { 'o.toml': '[services.web]\nreplicas = "${N}"' }, load: ['Boltfile.toml', 'o.toml'], env: { N: '4' } });
    expect(project.services.web?.replicas).toBe(4);
    expect(loadError('[services.web]\nimage = "x"\nreplicas = 1', { files: { 'o.toml': '[services.web]\nreplicas = "${N}"' }, load: ['Boltfile.toml', 'o.toml'], env: { N: 'four' } })).toBe(
      'o.toml:2:12: services.web.replicas: expected an integer after interpolation (digits, e.g. 3)',
    );
  });
});
