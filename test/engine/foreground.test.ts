// compose's foreground: `up --attach` stops the services on Ctrl-C (a second Ctrl-C kills them), `up
// --abort-on-container-exit` / `--exit-code-from` end the run with a container's exit code, and `logs -f` follows
// replicas created or recreated while it runs.
import { afterEach, describe, expect, it } from 'vitest';
import { background, BASE_IMAGE, SLEEPER, Stack } from './cli.js';

const stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.destroy()));
});
function stack(prefix: string): Stack {
  const s = new Stack(prefix);
  stacks.push(s);
  return s;
}

const TICK = `[services.tick]
image = "${BASE_IMAGE}"
command = ["sh", "-c", "trap 'echo bye; exit 0' TERM; echo start; while true; do sleep 1 & wait $$!; done"]
`;

async function running(s: Stack): Promise<string[]> {
  return (await s.surge('ps', '--status', 'running', '--services')).stdout.split('\n').filter(Boolean);
}

describe('up --attach', () => {
  it('Ctrl-C stops the containers and host processes, showing what they print while stopping; exit 130', async () => {
    const s = stack('fga');
    s.write(`${TICK}[services.proc]\ncommand = "trap 'echo proc bye; exit 0' TERM; echo proc up; while true; do sleep 0.2; done"\n`);
    const up = background(['up', '--attach', '--progress', 'plain'], s.dir);
    await up.until(`${s.name}-tick-1 | start`);
    await up.until('proc up');
    up.signal('SIGINT');
    expect(await up.exit).toBe(130);
    expect(up.stderr()).toContain('Gracefully stopping ... (press Ctrl-C again to force)');
    expect(up.stdout()).toMatch(new RegExp(`${s.name}-tick-1 +\\| bye`));
    expect(up.stdout()).toMatch(new RegExp(`${s.name}-proc-1 +\\| proc bye`));
    expect(await running(s)).toEqual([]);
  });

  it('a second Ctrl-C kills what a graceful stop is still waiting for', async () => {
    const s = stack('fgk');
    s.write(`[services.stubborn]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "trap 'echo ignoring' TERM; echo start; while true; do sleep 1 & wait $$!; done"]\nstop_grace_period = "60s"\n[services.proc]\ncommand = "trap 'echo ignoring too' TERM; echo proc up; while true; do sleep 0.2; done"\nstop_grace_period = "60s"\n`);
    const up = background(['up', '--attach', '--progress', 'plain'], s.dir);
    await up.until('| start');
    await up.until('proc up');
    up.signal('SIGINT');
    // Both are in their graceful stop (the container's "ignoring" and the process's "ignoring too" can come in either
    // order): the second Ctrl-C then has both to cut short.
    await up.until(new RegExp(`${s.name}-stubborn-1 +\\| ignoring\n`));
    await up.until('ignoring too');
    const t0 = Date.now();
    up.signal('SIGINT');
    expect(await up.exit).toBe(130);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(up.stderr()).toContain('Killing ...');
    const rows = JSON.parse((await s.surge('ps', '--format', 'json')).stdout) as { service: string; state: string; exitCode: number }[];
    expect(rows.map((r) => [r.service, r.state, r.exitCode])).toEqual([
      ['proc', 'exited', 137],
      ['stubborn', 'exited', 137],
    ]);
  });
});

describe('up --abort-on-container-exit and --exit-code-from', () => {
  // tests ends only once tick has set its TERM trap (tick says so in a shared volume): started together, tick could
  // otherwise still be starting when tests ends, and be stopped before it can say "bye" (or exit 0). Each run of tests
  // takes the mark away, so the next `up` waits for tick's next start.
  const SYNCED_TICK = TICK.replace('echo start;', 'echo start; touch /sync/tick-ready;') + 'volumes = ["sync:/sync"]\n';
  const TESTS = `[volumes.sync]\n${SYNCED_TICK}[services.tests]\nimage = "${BASE_IMAGE}"\nvolumes = ["sync:/sync"]\ncommand = ["sh", "-c", "echo testing; while [ ! -f /sync/tick-ready ]; do sleep 0.1; done; rm -f /sync/tick-ready; echo done; exit 4"]\n`;

  it('stops everything when a container exits and exits with its code', async () => {
    const s = stack('fgx');
    s.write(TESTS);
    const r = await s.surge('up', '--abort-on-container-exit');
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(`${s.name}-tests-1 | done`);
    expect(r.stdout).toMatch(new RegExp(`${s.name}-tick-1 +\\| bye`));
    expect(r.stderr).toContain(`${s.name}-tests-1 exited with code 4: aborting on container exit ...`);
    expect(await running(s)).toEqual([]);
  });

  it('--exit-code-from SERVICE: that service\'s exit code, even when another container exits first', async () => {
    const s = stack('fge');
    s.write(TESTS);
    const tick = await s.surge('up', '--exit-code-from', 'tick');
    expect(tick.stderr).toContain(`${s.name}-tests-1 exited with code 4: aborting on container exit ...`);
    expect(tick.code).toBe(0);
    const tests = await s.surge('up', '--exit-code-from', 'tests');
    expect(tests.code).toBe(4);
    const bad = await s.surge('up', '--exit-code-from', 'nope');
    expect(bad.stderr).toBe('surge: --exit-code-from: no such service: nope\n');
    for (const [flag, message] of [
      ['-d', '--detach cannot be combined with --abort-on-container-exit: it runs in the foreground'],
      ['--wait', '--wait cannot be combined with --abort-on-container-exit'],
    ] as const) {
      const r = await s.surge('up', '--abort-on-container-exit', flag);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`surge: ${message}\n`);
    }
  });

  it('works for host processes too', async () => {
    const s = stack('fgp');
    s.write(`[services.server]\ncommand = "trap 'exit 0' TERM; while true; do sleep 0.2; done"\n[services.check]\ncommand = "sleep 1; echo checked; exit 2"\n`);
    const r = await s.surge('up', '--abort-on-container-exit');
    expect(r.stdout).toContain(`${s.name}-check-1 | checked`);
    expect(r.code).toBe(2);
    expect(await running(s)).toEqual([]);
  });
});

describe('logs -f', () => {
  it('follows replicas scaled up and recreated after it started, says so, and ends when everything has stopped', async () => {
    const s = stack('lgf');
    const boltfile = (mode: string): string =>
      `[services.tick]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "trap 'exit 0' TERM; echo start $$HOSTNAME ${mode}; while true; do sleep 1 & wait $$!; done"]\n`;
    s.write(boltfile('a'));
    expect((await s.surge('up')).code).toBe(0);
    const logs = background(['logs', '-f'], s.dir);
    await logs.until(`${s.name}-tick-1 | start`);
    expect((await s.surge('scale', 'tick=2')).code).toBe(0);
    await logs.until(new RegExp(`${s.name}-tick-2 \\| start \\w+ a`));
    s.write(boltfile('b'));
    expect((await s.surge('up')).code).toBe(0);
    await logs.until(`${s.name}-tick-1 has been recreated`);
    await logs.until(new RegExp(`${s.name}-tick-1 \\| start \\w+ b`));
    expect((await s.surge('stop', '-t', '1')).code).toBe(0);
    expect(await logs.exit).toBe(0);
    expect(logs.stdout()).toContain(`${s.name}-tick-1 exited with code 0`);
    // Ctrl-C ends following at once, with 130.
    expect((await s.surge('up')).code).toBe(0);
    const again = background(['logs', '-f', 'tick'], s.dir);
    await again.until('| start');
    again.signal('SIGINT');
    expect(await again.exit).toBe(130);
  });

  it('a container restarted while following is followed again', async () => {
    const s = stack('lgr');
    s.write(`[services.app]\nimage = "${BASE_IMAGE}"\ncommand = ["sh", "-c", "trap 'exit 0' TERM; echo run; while true; do sleep 1 & wait $$!; done"]\n[services.keep]\nimage = "${BASE_IMAGE}"\ncommand = ${SLEEPER}\n`);
    expect((await s.surge('up')).code).toBe(0);
    const logs = background(['logs', '-f', 'app'], s.dir);
    await logs.until(`${s.name}-app-1 | run`);
    expect((await s.surge('restart', 'app')).code).toBe(0);
    await logs.until(/\| run\n[^]*\| run\n/);
    logs.signal('SIGINT');
    expect(await logs.exit).toBe(130);
    // Once, not twice: the restarted container's earlier output is not shown again.
    expect(logs.stdout().match(/\| run/g)).toHaveLength(2);
  });
});
