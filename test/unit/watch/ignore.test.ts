import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDefaultIgnored, ruleIgnore } from '../../../src/watch/ignore.js';
import { syncBatch } from '../../../src/watch/sync-plan.js';

describe('watch ignores', () => {
  it.each([
    ['src/.git/index', true],
    ['node_modules/x/index.js', true],
    ['.surge/p/a-1.json', true],
    ['src/app.js.swp', true],
    ['src/app.js~', true],
    ['src/4913', true],
    ['src/.#app.js', true],
    ['src/#app.js#', true],
    ['src/app.js___jb_tmp___', true],
    ['src/app.js', false],
    ['Boltfile.toml', false],
  ])('%s → %s', (path, ignored) => expect(isDefaultIgnored(path)).toBe(ignored));

  it('applies rule globs relative to the rule path and .dockerignore of a build context', () => {
    const ctx = mkdtempSync(join(tmpdir(), 'surge-ign-'));
    writeFileSync(join(ctx, '.dockerignore'), 'dist\n*.log\n');
    const ignore = ruleIgnore(join(ctx, 'src'), ['*.tmp', 'gen/**'], ctx);
    expect(ignore(join(ctx, 'src', 'a.tmp'))).toBe(true);
    expect(ignore(join(ctx, 'src', 'gen', 'x.js'))).toBe(true);
    expect(ignore(join(ctx, 'dist', 'bundle.js'))).toBe(true);
    // Docker's matching: `*.log` is the context's top level only.
    expect(ignore(join(ctx, 'debug.log'))).toBe(true);
    expect(ignore(join(ctx, 'src', 'debug.log'))).toBe(false);
    expect(ignore(join(ctx, 'src', 'app.js'))).toBe(false);
    expect(ruleIgnore(ctx, [], null)(join(ctx, 'dist', 'bundle.js'))).toBe(false);
  });

  it('maps changed files to container paths; removed files become deletions', () => {
    const root = mkdtempSync(join(tmpdir(), 'surge-sync-'));
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'a.js'), 'a');
    const batch = syncBatch({ path: root, action: 'sync', target: '/app', ignore: [], exec: null }, [join(root, 'lib', 'a.js'), join(root, 'gone.js'), join(root, 'lib', 'a.js')]);
    expect(batch).toEqual({ copy: [{ hostPath: join(root, 'lib', 'a.js'), containerPath: '/app/lib/a.js' }], remove: ['/app/gone.js'] });
  });
});
