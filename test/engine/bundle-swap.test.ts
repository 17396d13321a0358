// Rebuilding dist/ (npm test does, while engine tests may be running surge) leaves no moment without a working
// `surge`: scripts/bundle.mjs builds beside dist/ and moves the files in with rename(2), entry points last.
// Real processes: the bundle script runs in a copy of the project while other processes start surge in a loop.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'surge-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => done({ code: code ?? 1, stderr }));
  });
}

describe('scripts/bundle.mjs', () => {
  it('swaps the new build in with no moment where surge cannot start or load a chunk', async () => {
    cpSync(join(REPO, 'build'), join(dir, 'build'), { recursive: true });
    copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(REPO, 'scripts/bundle.mjs'), join(dir, 'scripts/bundle.mjs'));
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'Boltfile.toml'), 'project = "swap"\n[services.a]\nimage = "busybox"\n');
    expect((await node(['scripts/bundle.mjs'])).code).toBe(0);

    // `config` loads its command chunk lazily: the entry point and the chunks must come from one build.
    let building = true;
    const failures: string[] = [];
    let runs = 0;
    const loop = async (): Promise<void> => {
      while (building) {
        const r = await node(['dist/cli/main.js', 'config']);
        runs++;
        if (r.code !== 0) failures.push(r.stderr.split('\n').slice(0, 3).join(' '));
      }
    };
    const loops = [loop(), loop(), loop()];
    const builds: number[] = [];
    for (let i = 1; i <= 3; i++) {
      // A change in a module that lands in a shared chunk: every build has new chunk names.
      appendFileSync(join(dir, 'build/planner/plan-up.js'), `\nexport const rebuild${i} = ${i};\n`);
      builds.push((await node(['scripts/bundle.mjs'])).code);
    }
    building = false;
    await Promise.all(loops);
    expect(builds).toEqual([0, 0, 0]);
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(3);

    // What stays: this build's files and the previous build's (a running surge may still load one of its chunks).
    const manifest = JSON.parse(readFileSync(join(dir, 'dist/.build-files.json'), 'utf8')) as string[];
    const chunks = readdirSync(join(dir, 'dist')).filter((f) => f.startsWith('chunk-') && f.endsWith('.js'));
    const current = manifest.filter((f) => f.startsWith('chunk-') && f.endsWith('.js'));
    expect(current.every((f) => chunks.includes(f))).toBe(true);
    expect(chunks.length).toBeLessThan(current.length * 2 + 1);

    // A build that fails leaves dist/ as it was, and no folder beside it.
    appendFileSync(join(dir, 'build/planner/plan-up.js'), '\nexport const rebuild1 = 0;\n');
    expect((await node(['scripts/bundle.mjs'])).code).not.toBe(0);
    expect((await node(['dist/cli/main.js', 'config'])).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('dist.'))).toEqual([]);
    expect(existsSync(join(dir, 'dist/cli/main.js'))).toBe(true);
  });
});
