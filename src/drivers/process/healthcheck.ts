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

/** Runs the check once; a non-zero exit, a spawn error or the timeout is a failure. */
export function runCheck(hc: Healthcheck, cwd: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<CheckResult> {
  const argv = checkArgv(hc.test);
  if (!argv || argv.length === 0) return Promise.resolve({ ok: true, output: '' });
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      output += `healthcheck timed out after ${hc.timeout_ms ?? 30_000} ms`;
    }, hc.timeout_ms ?? 30_000);
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (b: Buffer): void => {
      if (output.length < 4096) output += b.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, output: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ ok: code === 0, output: output.trim() });
    });
  });
}
