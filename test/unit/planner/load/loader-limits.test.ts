import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/model/errors.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { countValues, MAX_CONFIG_BYTES, MAX_NESTING, MAX_VALUES, tooDeepPath } from '../../../../src/planner/load/limits.js';
import { readConfigFile } from '../../../../src/planner/load/safe-read.js';
import { scanTomlLocations } from '../../../../src/planner/load/toml-locations.js';
import { loadError, loadToml, tempProjectDir } from '../../../fixtures/load-toml.js';

/** Loads `-f file` from `dir` and returns the ConfigError's text (fails the test on anything else). */
function loadFileError(file: string, dir = tempProjectDir(), envFiles: string[] = []): string {
  try {
    loadProject({ files: [file], cwd: dir, envFiles, env: {} });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

describe('reading config files safely', () => {
  it('reads a regular file, and one that says it is empty but is not (/proc)', () => {
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'a.toml'), 'x = 1\n');
    expect(readConfigFile(join(dir, 'a.toml'))).toEqual({ ok: true, text: 'x = 1\n' });
    const proc = readConfigFile('/proc/self/status');
    expect(proc.ok && proc.text).toContain('Name:');
  });

  it('refuses special files without blocking or reading them', () => {
    const dir = tempProjectDir();
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    mkdirSync(join(dir, 'folder'));
    symlinkSync('/dev/zero', join(dir, 'zero-link'));
    const t0 = performance.now();
    expect(readConfigFile(fifo)).toMatchObject({ ok: false, message: 'is not a regular file (a named pipe)' });
    expect(readConfigFile('/dev/zero')).toMatchObject({ ok: false, message: 'is not a regular file (a character device)' });
    expect(readConfigFile(join(dir, 'zero-link'))).toMatchObject({ ok: false, message: 'is not a regular file (a character device)' });
    expect(readConfigFile(join(dir, 'folder'))).toMatchObject({ ok: false, message: 'is a directory, not a file' });
    expect(readConfigFile(join(dir, 'nope'))).toMatchObject({ ok: false, reason: 'missing' });
    // The one device that is read: empty, never blocking (`--env-file /dev/null`).
    expect(readConfigFile('/dev/null')).toEqual({ ok: true, text: '' });
    // Blocking on the fifo would hang for good; the bound is wide for a busy machine.
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('refuses a socket', async () => {
    const sock = join(tempProjectDir(), 's.sock');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((done) => server.listen(sock, done));
    expect(readConfigFile(sock)).toMatchObject({ ok: false, message: 'is not a regular file (a socket)' });
  });

  it('reads up to the cap and refuses one byte more, naming the cap', () => {
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'max'), Buffer.alloc(MAX_CONFIG_BYTES, 0x61));
    writeFileSync(join(dir, 'over'), Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x61));
    const max = readConfigFile(join(dir, 'max'));
    expect(max.ok && max.text.length).toBe(MAX_CONFIG_BYTES);
    expect(readConfigFile(join(dir, 'over'))).toMatchObject({ ok: false, message: 'is larger than 4 MiB, the most surge reads from such a file' });
  });

  it('gives a located user error for -f /dev/zero, a FIFO, a folder, a huge file, and for such env files', () => {
    const dir = tempProjectDir();
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    writeFileSync(join(dir, 'huge.toml'), `x = "${'a'.repeat(MAX_CONFIG_BYTES)}"\n`);
    writeFileSync(join(dir, 'Boltfile.toml'), '[services.web]\nimage = "x"\n');
    expect(loadFileError('/dev/zero', dir)).toBe('/dev/zero: is not a regular file (a character device)');
    expect(loadFileError(fifo, dir)).toBe('fifo: is not a regular file (a named pipe)');
    expect(loadFileError(dir, dir)).toMatch(/: is a directory, not a file$/);
    expect(loadFileError(join(dir, 'huge.toml'), dir)).toBe('huge.toml: is larger than 4 MiB, the most surge reads from such a file');
    expect(loadFileError(join(dir, 'Boltfile.toml'), dir, ['/dev/zero'])).toBe('/dev/zero: is not a regular file (a character device)');
    expect(loadFileError(join(dir, 'Boltfile.toml'), dir, [fifo])).toBe('fifo: is not a regular file (a named pipe)');
  });

  it('refuses a .env or env_file that is not a regular file (a folder named .env is skipped, as compose does)', () => {
    expect(loadError('[services.web]\nimage = "x"\n', { files: { '.env/x': '' } })).toBeNull();
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'Boltfile.toml'), '[services.web]\nimage = "x"\n');
    expect(spawnSync('mkfifo', [join(dir, '.env')]).status).toBe(0);
    expect(loadFileError(join(dir, 'Boltfile.toml'), dir)).toBe('.env: is not a regular file (a named pipe)');
    expect(loadError('[services.web]\nimage = "x"\nenv_file = "/dev/zero"\n')).toBe(
      'Boltfile.toml:3:1: services.web.env_file: env_file "/dev/zero" is not a regular file (a character device) (/dev/zero)',
    );
  });
});

describe('nesting cap', () => {
  const deep = 2000;
  const cases: [string, string, string][] = [
    ['a dotted key under labels', `[services.web]\nimage = "x"\nlabels.${Array(deep).fill('a').join('.')} = "v"\n`, 'Boltfile.toml:3:'],
    ['a table header', `[services.web]\nimage = "x"\n[x-deep.${Array(deep).fill('a').join('.')}]\nk = 1\n`, 'Boltfile.toml:3:'],
    ['an array of tables', `[[x-deep.${Array(deep).fill('a').join('.')}]]\nk = 1\n`, 'Boltfile.toml:1:'],
    ['arrays', `x-list = ${'['.repeat(deep)}${']'.repeat(deep)}\n`, 'Boltfile.toml:1:'],
    ['inline tables', `x-t = ${'{ a = '.repeat(deep)}1${' }'.repeat(deep)}\n`, 'Boltfile.toml:1:'],
    ['an unclosed array', `[services.web]\nimage = "x"\ncommand = ${'['.repeat(100_000)}\n`, 'Boltfile.toml:3:'],
    ['mixed, in the environment', `[services.web.environment]\nK = ${'[{ a = '.repeat(deep)}1${' }]'.repeat(deep)}\n`, 'Boltfile.toml:2:'],
  ];
  it.each(cases)('refuses %s, located, in bounded time', (_name, toml, where) => {
    const t0 = performance.now();
    const message = loadError(toml);
    expect(message).toContain(`nesting deeper than ${MAX_NESTING} levels`);
    expect(message?.startsWith(where)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('accepts nesting up to the cap, and counts arrays of tables as a level', () => {
    const keys = Array(MAX_NESTING - 1).fill('a').join('.');
    expect(loadError(`[services.web]\nimage = "x"\n[x-ok]\n${keys} = 1\n`)).toBeNull();
    expect(loadError(`[services.web]\nimage = "x"\n[x-ok]\n${keys}.b = 1\n`)).toContain('nesting deeper');
    expect(scanTomlLocations(`[[${Array(MAX_NESTING).fill('a').join('.')}]]\n`).tooDeep).toEqual({ line: 1, column: 3 + 2 * (MAX_NESTING - 1) });
  });

  const yaml: [string, string][] = [
    ['block mappings', `services:\n  web:\n    image: x\nx-deep:\n${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(2 + i)}k:\n`).join('')}${' '.repeat(1510)}v: 1\n`],
    ['compact sequences', `services:\n  web:\n    image: x\nx-deep:\n  ${'- '.repeat(50_000)}x\n`],
    ['flow collections', `services:\n  web:\n    image: x\nx-deep: ${'['.repeat(300)}${']'.repeat(300)}\n`],
    ['flow mappings in the environment', `services:\n  web:\n    image: x\n    environment:\n      K: ${'{a: '.repeat(100)}1${'}'.repeat(100)}\n`],
  ];
  it.each(yaml)('refuses YAML %s, located, in bounded time', (_name, text) => {
    const dir = tempProjectDir();
    writeFileSync(join(dir, 'compose.yaml'), text);
    const t0 = performance.now();
    const message = loadFileError(join(dir, 'compose.yaml'), dir);
    expect(message).toMatch(/^compose\.yaml:\d+:\d+: .*nesting deeper than 64 levels/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('refuses a document given as an object that is nested too deep, before copying it', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 100_000; i++) deep = { k: deep };
    expect(() => loadProject({ document: { services: { web: { image: 'x' } }, 'x-deep': deep }, cwd: tempProjectDir(), files: [], envFiles: [], env: {} })).toThrow(
      /nesting deeper than 64 levels/,
    );
  });

  it('tooDeepPath walks any tree without recursion', () => {
    let tree: unknown = 1;
    for (let i = 0; i < 100_000; i++) tree = i % 2 ? [tree] : { k: tree };
    expect(tooDeepPath(tree)?.length).toBe(MAX_NESTING + 1);
    expect(tooDeepPath({ a: [{ b: {} }] })).toBeNull();
  });
});

describe('keys that are JavaScript names', () => {
  it('refuses __proto__ and constructor keys, located, instead of losing them', () => {
    expect(loadError('[services.__proto__]\nimage = "x"\n')).toBe('Boltfile.toml:1:2: the keys `__proto__` and `constructor` are not supported');
    expect(loadError('[services.web]\nimage = "x"\nenvironment = { constructor = "c" }\n')).toMatch(/^Boltfile\.toml:3:\d+: the keys/);
  });

  it('interpolation finds variables, never Object.prototype', () => {
    const { project } = loadToml('[services.web]\nimage = "x"\nenvironment = { A = "${toString}", B = "${constructor:-none}" }\n', { files: { '.env': 'X=1\n' } });
    expect(project.services.web?.environment).toEqual({ A: '', B: 'none' });
  });
});

describe('size cap on values', () => {
  it('refuses a document of more than 100,000 values, located at its largest list, before the schema check', () => {
    const list = Array.from({ length: MAX_VALUES + 1 }, () => '{}').join(',');
    const t0 = performance.now();
    expect(loadError(`[services.web]\nimage = "x"\nports = [${list}]\n`)).toBe(
      'Boltfile.toml:3:1: more than 100,000 values (keys and list entries; the largest list or table, services.web.ports, holds 100,001): surge reads documents of at most 100,000',
    );
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(countValues({ a: [1, 2, { b: 3 }], c: {} })).toBe(6);
  });

  it('still loads a large real-sized project (5,000 services)', () => {
    const toml = Array.from({ length: 5000 }, (_, i) => `[services.s${i}]\nimage = "busybox"\ncommand = ["sleep", "1"]\nenvironment = { N = "${i}" }\n`).join('');
    expect(Object.keys(loadToml(toml).project.services)).toHaveLength(5000);
  });
});

describe('size cap on merged files', () => {
  it('refuses files that together hold more than 100,000 values', () => {
    const half = Array.from({ length: 60_000 }, (_, i) => `"${i + 1}"`).join(',');
    const message = loadError('[services.web]\nimage = "x"\n', {
      files: { 'a.toml': `[services.web]\nimage = "x"\nports = [${half}]\n`, 'b.toml': `[services.web]\ndns = [${half}]\n` },
      load: ['a.toml', 'b.toml'],
    });
    expect(message).toMatch(/^b\.toml:2:1: more than 100,000 values .*services\.web\.dns, holds 60,000/);
  });

  it('refuses a document given as an object whose one include takes it past 100,000 values', () => {
    const dir = tempProjectDir();
    const half = Array.from({ length: 60_000 }, (_, i) => String(i + 1));
    writeFileSync(join(dir, 'more.toml'), `[services.more]\nimage = "x"\ndns = [${half.map((v) => `"${v}"`).join(',')}]\n`);
    const document = { include: ['more.toml'], services: { web: { image: 'x', dns: half } } };
    expect(() => loadProject({ document, cwd: dir, files: [], envFiles: [], env: {} })).toThrow(/more than 100,000 values/);
  });

  it('refuses one file whose `extends` copies it past 100,000 values (its own count was under)', () => {
    const half = Array.from({ length: 60_000 }, (_, i) => `"${i + 1}"`).join(',');
    const message = loadError(`[services.web]\nimage = "x"\ndns = [${half}]\n[services.copy]\nextends = "web"\n`);
    expect(message).toMatch(/more than 100,000 values .*holds 60,000/);
  });
});
