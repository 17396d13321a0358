// The command-line bundle's code cache (src/cli/code-cache.ts) may only ever save time: it must run the file as it is
// now, whatever the cache folder holds, and never fail a command.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFileName, defaultCacheDir, runWithCodeCache } from '../../../src/cli/code-cache.js';

declare global {
  var codeCacheTest: string[] | undefined;
}

let dir: string;
let cacheDir: string;
let bundle: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'surge-code-cache-'));
  cacheDir = join(dir, 'cache', 'surge', 'v8');
  bundle = join(dir, 'surge-TEST.cjs');
  globalThis.codeCacheTest = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete globalThis.codeCacheTest;
});

/** A bundle that records `word`, uses its own require and module, and has a function V8 compiles when called. */
function writeBundle(word: string): void {
  writeFileSync(
    bundle,
    `#!/usr/bin/env node\n'use strict';\nconst { basename } = require('node:path');\nfunction say() { return ${JSON.stringify(word)} + ':' + basename(__filename); }\nglobalThis.codeCacheTest.push(say());\nmodule.exports = { said: true };\n`,
  );
}

/** Runs the bundle; the cache, if one is written, is written before this returns (as at the process's exit). */
function run(folder: string | null = cacheDir): { used: boolean; path: string | null } {
  const writes: (() => void)[] = [];
  const outcome = runWithCodeCache(bundle, folder, (write) => writes.push(write));
  for (const w of writes) w();
  return outcome;
}

describe('the code cache of the command-line bundle', () => {
  it('compiles and writes a cache on the first run, and runs from it on the next', () => {
    writeBundle('one');
    const first = run();
    expect(first.used).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([cacheFileName(bundle, readFileSync(bundle))]);
    const second = run();
    expect(second).toEqual({ used: true, path: first.path });
    expect(globalThis.codeCacheTest).toEqual(['one:surge-TEST.cjs', 'one:surge-TEST.cjs']);
  });

  it('never runs the cached code of a bundle that changed, even to the same length and modification time', () => {
    writeBundle('old');
    run();
    const stamp = new Date('2026-01-01T00:00:00Z');
    utimesSync(bundle, stamp, stamp);
    writeBundle('new');
    utimesSync(bundle, stamp, stamp);
    const after = run();
    expect(after.used).toBe(false);
    expect(globalThis.codeCacheTest).toEqual(['old:surge-TEST.cjs', 'new:surge-TEST.cjs']);
    expect(run().used).toBe(true);
  });

  it('ignores a corrupt cache file and replaces it', () => {
    writeBundle('x');
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, cacheFileName(bundle, readFileSync(bundle))), 'not a V8 code cache');
    expect(run().used).toBe(false);
    expect(run().used).toBe(true);
    expect(globalThis.codeCacheTest).toEqual(['x:surge-TEST.cjs', 'x:surge-TEST.cjs']);
  });

  it('runs the bundle without a cache where none can be written, and without a cache folder', () => {
    writeBundle('y');
    writeFileSync(join(dir, 'file'), '');
    // A folder that cannot exist (under a file), one under /proc (where a recursive mkdir was seen to loop), none.
    for (const folder of [join(dir, 'file', 'cache'), '/proc/surge-no-such/v8', null]) expect(run(folder).used).toBe(false);
    expect(globalThis.codeCacheTest).toEqual(['y:surge-TEST.cjs', 'y:surge-TEST.cjs', 'y:surge-TEST.cjs']);
  });

  it('keeps only the newest few cache files', () => {
    mkdirSync(cacheDir, { recursive: true });
    for (let i = 0; i < 6; i++) {
      const old = join(cacheDir, `surge-OLD${i}.cjs-x.v8`);
      writeFileSync(old, '');
      utimesSync(old, new Date(2020, 0, i + 1), new Date(2020, 0, i + 1));
    }
    writeBundle('z');
    run();
    const left = readdirSync(cacheDir).sort();
    expect(left).toHaveLength(4);
    expect(left).toContain(cacheFileName(bundle, readFileSync(bundle)));
    expect(left).toContain('surge-OLD5.cjs-x.v8');
    expect(left).not.toContain('surge-OLD0.cjs-x.v8');
  });

  it('lives in $XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/surge/v8');
    expect(defaultCacheDir({})).toMatch(/[\\/]\.cache[\\/]surge[\\/]v8$/);
  });
});
