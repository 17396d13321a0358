// Timing and statistics: run a command and measure its wall time (and optionally its peak RSS).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * @typedef {{ cwd?: string, env?: NodeJS.ProcessEnv, stdout?: 'ignore' | 'pipe', timeoutMs?: number }} RunOptions
 * @typedef {{ ms: number, code: number | null, stdout: string, stderr: string }} RunResult
 */

/**
 * Runs `cmd args` to completion and returns its wall time in ms (spawn → exit). Throws with the end of stderr
 * when it fails, so a broken tool is reported rather than timed.
 * @param {string} cmd @param {string[]} args @param {RunOptions} [opts]
 * @returns {Promise<RunResult>}
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : null;
    child.on('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      if (timer) clearTimeout(timer);
      if (code === 0) return resolve({ ms, code, stdout, stderr });
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      const how = timedOut ? `killed after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s: hung` : (signal ?? `exit ${code}`);
      reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed (${how})${opts.cwd ? ` in ${opts.cwd}` : ''}:\n${tail}`));
    });
  });
}

/** Times an async function, in ms. @param {() => Promise<unknown>} fn */
export async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const TIME_BIN = '/usr/bin/time';

/** Is GNU time there (Debian package `time`)? Installs it when missing and we may (root + apt). */
export async function ensureGnuTime() {
  if (existsSync(TIME_BIN)) return true;
  try {
    await run('apt-get', ['install', '-y', '-qq', 'time'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    try {
      await run('apt-get', ['update', '-qq']);
      await run('apt-get', ['install', '-y', '-qq', 'time'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      /* fall through */
    }
  }
  return existsSync(TIME_BIN);
}

/**
 * Runs a command under `/usr/bin/time -v`: wall time measured here (spawn → exit), peak RSS from GNU time's
 * "Maximum resident set size" (the kernel's ru_maxrss of the child).
 * @param {string} cmd @param {string[]} args @param {RunOptions} [opts]
 * @returns {Promise<{ ms: number, rssMiB: number }>}
 */
export async function runMeasured(cmd, args, opts = {}) {
  const r = await run(TIME_BIN, ['-v', cmd, ...args], { ...opts, stdout: 'ignore' });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no peak RSS in the output of ${TIME_BIN} -v`);
  return { ms: r.ms, rssMiB: Number(m[1]) / 1024 };
}

/** @param {number[]} xs */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), min: s[0], max: s[s.length - 1], p95: percentile(s, 95), n: s.length };
}

/** Linear-interpolated percentile of sorted values. @param {number[]} sorted @param {number} p */
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** @param {number} ms */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
