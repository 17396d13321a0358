// Healthchecks of host processes: the test runs as a host command, in the service's folder and environment.
import { spawn } from 'node:child_process';
import type { Healthcheck } from '../../model/model.js';

export interface CheckResult {
  ok: boolean;
  output: string;
}

export function checkArgv(test: string[]): string[] | null {
  const [kind, ...rest] = test;
  if (kind === 'CMD') return rest;
  if (kind === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')];
  return null;
}

/**
 * Runs the check once; a non-zero exit, a spawn error or the timeout is a failure. The check runs in a process group
 * of its own, killed whole on timeout: a child of the check that keeps its output open (`sleep 600 | cat`) must not
 * hold the wait past the timeout.
 */
export function runCheck(hc: Healthcheck, cwd: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<CheckResult> {
  const argv = checkArgv(hc.test);
  if (!argv || argv.length === 0) return Promise.resolve({ ok: true, output: '' });
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const finish = (result: CheckResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group is gone already */
      }
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      killGroup();
      finish({ ok: false, output: `${output}healthcheck timed out after ${hc.timeout_ms ?? 30_000} ms`.trim() });
    }, hc.timeout_ms ?? 30_000);
    const onAbort = (): void => {
      killGroup();
      finish({ ok: false, output: 'cancelled' });
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (b: Buffer): void => {
      if (output.length < 4096) output += b.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => finish({ ok: false, output: e.message }));
    child.on('close', (code) => finish({ ok: code === 0, output: output.trim() }));
  });
}
