// `surge run` waits for the one-off container's own exit: it never returns (nor removes it) before that.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { runOneOff } from '../../../../src/drivers/docker/exec-run.js';
import { loadToml } from '../../../fixtures/load-toml.js';

/** An engine that behaves like the real one: a wait for "not-running" on a created container answers at once. */
function fakeEngine(exitCode: number) {
  const calls: string[] = [];
  let running = false;
  let exited: (v: { StatusCode: number }) => void = () => {};
  const exit = new Promise<{ StatusCode: number }>((r) => (exited = r));
  const container = {
    attach: async () => new PassThrough(),
    wait: async (opts?: { condition?: string }) => {
      calls.push(`wait:${opts?.condition ?? 'not-running'}`);
      if (!running && (opts?.condition ?? 'not-running') === 'not-running') return { StatusCode: 0 };
      return exit;
    },
    start: async () => {
      calls.push('start');
      running = true;
      setTimeout(() => exited({ StatusCode: exitCode }), 20);
    },
    remove: async () => {
      calls.push('remove');
    },
  };
  const docker = { createContainer: async () => container, modem: { demuxStream: () => {} } } as unknown as Docker;
  return { docker, calls };
}

describe('one-off run containers', () => {
  it('return the command exit code, and are removed with --rm only after they exit', async () => {
    const { project } = loadToml(`project = "p"\n[services.svc]\nimage = "app:1"\n`);
    const s = project.services.svc;
    if (!s) throw new Error('no service');
    const { docker, calls } = fakeEngine(7);
    const code = await runOneOff(docker, project, s, { remove: true, command: ['true'], entrypoint: null, interactive: false, tty: false, user: null, workdir: null, env: {} }, '0.0.0', 'HASH');
    expect(code).toBe(7);
    expect(calls).toEqual(['wait:next-exit', 'start', 'remove']);
  });
});
