import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TURBOFAN_FLAGS } from '../../../src/cli/short-run-compiler.js';

/**
 * Whether TurboFan compiled a hot function after each of `flags` was set in turn, after up to 3 s of calls each (in a
 * child process: the flags are process-wide, and this worker runs other tests). V8's optimization status has bit 6
 * (64) set for code TurboFan compiled.
 */
function turbofannedAfter(flags: string[]): boolean[] {
  const probe = `
const v8 = require('node:v8');
const hot = (x) => x * 2 + 1;
const turbofanned = () => (%GetOptimizationStatus(hot) & 64) !== 0;
const spin = () => { let s = 0; for (let i = 0; i < 100000; i++) s += hot(i); return s; };
const seen = [];
for (const flag of ${JSON.stringify(flags)}) {
  v8.setFlagsFromString(flag);
  // TurboFan compiles on a background thread: on a busy machine that can take a while, so spin for up to 3 s
  // (with TurboFan off the function stays unoptimized however long it runs).
  const until = Date.now() + 3000;
  while (!turbofanned() && Date.now() < until) spin();
  seen.push(turbofanned());
}
console.log(JSON.stringify(seen));
`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as boolean[];
}

describe('the CLI turning TurboFan off for a short run', () => {
  it('uses flags this Node knows (no error printed), which turn TurboFan off and back on', () => {
    expect(turbofannedAfter([TURBOFAN_FLAGS.off, TURBOFAN_FLAGS.on])).toEqual([false, true]);
  });

  it('compiles the probe with TurboFan when nothing turns it off (the probe can tell)', () => {
    expect(turbofannedAfter([TURBOFAN_FLAGS.on])).toEqual([true]);
  });
});
