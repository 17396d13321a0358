// Group "watch": from an edit of the Boltfile being saved to a running container with the new config.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanup } from './engine.js';
import { boltfile, writeStack } from './stacks.js';
import { run, sleep } from './timing.js';

/** Never reused (see cleanup in engine.js). */
const PROJECT = `sbench-watch-${Date.now().toString(36).slice(-5)}`;
const EDITED = 's2';
const POLL_MS = 20;
const TIMEOUT_MS = 30_000;

/** @param {string} value @returns {import('./stacks.js').ServiceSpec[]} */
const stack = (value) => [{ name: 's1' }, { name: EDITED, dependsOn: 's1', env: { BENCH_EDIT: value } }, { name: 's3' }];

/**
 * Runs `surge watch` on a 3-service stack and edits one service's environment `edits` times.
 * @param {import('./lifecycle.js').Ctx} ctx @param {number} edits
 * @returns {Promise<number[]>} latencies in ms
 */
export async function watchLatency(ctx, edits) {
  await cleanup(ctx.docker, PROJECT);
  const dir = writeStack(PROJECT, stack('v0'));
  const file = join(dir, 'Boltfile.toml');
  const child = spawn(process.execPath, [ctx.surgeCli, 'watch', '--debounce', '100', '--progress', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let reconciles = 0;
  /** @type {string[]} */
  const failures = [];
  let exited = /** @type {string | null} */ (null);
  child.stderr.on('data', (d) => (stderr += d));
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      try {
        const e = JSON.parse(l);
        if (e.event === 'reconcile') {
          reconciles++;
          if (e.ok === false) failures.push(e.error ?? e.description ?? l);
        }
      } catch {
        /* not an event line */
      }
    }
  });
  child.on('exit', (code, signal) => (exited = `exited (${signal ?? `code ${code}`})`));
  const alive = () => {
    if (exited) throw new Error(`surge watch ${exited}: ${tail(stderr)}`);
  };
  const until = async (/** @type {() => boolean | Promise<boolean>} */ cond, /** @type {string} */ what, ms = TIMEOUT_MS) => {
    const end = performance.now() + ms;
    while (!(await cond())) {
      alive();
      if (performance.now() > end) throw new Error(`${what} within ${ms / 1000} s${failures.length ? `; surge reported: ${failures.at(-1)}` : ''}`);
      await sleep(POLL_MS);
    }
  };

  try {
    await until(() => stderr.includes('Watching project'), 'surge watch did not start watching', 60_000);
    await until(async () => (await runningWith(ctx.docker, 'BENCH_EDIT=v0')) && (await ctx.docker.listContainers({ filters: { label: [`surge.project=${PROJECT}`] } })).length === 3, 'the initial converge did not start all 3 services');
    /** @type {number[]} */
    const latencies = [];
    for (let i = 1; i <= edits; i++) {
      const value = `edit-${i}`;
      const before = reconciles;
      writeFileSync(file, boltfile(PROJECT, stack(value)));
      const t0 = performance.now();
      await until(() => runningWith(ctx.docker, `BENCH_EDIT=${value}`), `edit ${i}: no running ${EDITED} container with ${value}`);
      latencies.push(performance.now() - t0);
      // The next edit starts once this reconcile has finished, so edits are measured one at a time.
      await until(() => reconciles > before, `edit ${i}: surge watch reported no reconcile`);
      await sleep(200);
    }
    return latencies;
  } finally {
    await stopChild(child);
    await run(process.execPath, [ctx.surgeCli, 'down', '--progress', 'quiet'], { cwd: dir }).catch(() => undefined);
    await cleanup(ctx.docker, PROJECT);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Is a container of the edited service running with this environment entry? @param {import('dockerode')} docker @param {string} entry */
async function runningWith(docker, entry) {
  const list = await docker.listContainers({ filters: { label: [`surge.project=${PROJECT}`, `surge.service=${EDITED}`], status: ['running'] } });
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect().catch(() => null);
    if (info?.State.Running && info.Config.Env?.includes(entry)) return true;
  }
  return false;
}

/** SIGINT (Ctrl-C), as a user stops watching; SIGKILL if it lingers. @param {import('node:child_process').ChildProcess} child */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
}

const tail = (/** @type {string} */ s) => s.trim().split('\n').slice(-5).join(' / ') || '(no output)';
