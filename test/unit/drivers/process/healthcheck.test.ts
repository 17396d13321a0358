// Host-process healthchecks end on time, even when the check leaves children holding its output open.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../../src/drivers/process/healthcheck.js';
import type { Healthcheck } from '../../../../src/model/model.js';

function check(test: string[], timeout_ms: number | null = null): Healthcheck {
  return { test, interval_ms: null, timeout_ms, start_period_ms: null, retries: null } as Healthcheck;
}

describe('runCheck', () => {
  it('passes and fails on the exit code, with the output', async () => {
    expect(await runCheck(check(['CMD-SHELL', 'echo fine']), '/tmp', process.env)).toEqual({ ok: true, output: 'fine' });
    expect(await runCheck(check(['CMD', 'sh', '-c', 'echo bad >&2; exit 3']), '/tmp', process.env)).toEqual({ ok: false, output: 'bad' });
  });

  it('times out at its timeout although a child of the check keeps the output open', async () => {
    const start = performance.now();
    const r = await runCheck(check(['CMD-SHELL', 'echo before; sleep 30 | cat'], 300), '/tmp', process.env);
    // Far less than the 30 s the check's child would take; generous for a busy machine.
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(r).toEqual({ ok: false, output: 'before\nhealthcheck timed out after 300 ms' });
  });

  it('ends at once when cancelled', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const start = performance.now();
    expect(await runCheck(check(['CMD-SHELL', 'sleep 30 | cat']), '/tmp', process.env, stop.signal)).toEqual({ ok: false, output: 'cancelled' });
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
