// Watch mode through the public API, on in-memory drivers: the initial converge, supervision of a crashing host
// process (restarted, then held as flapping), an invalid Boltfile edit that keeps the last good state, and stopping.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, loadProject, MemoryDriver, watch, type WatchEvent } from '../../../src/index.js';
import { tempProjectDir } from '../../fixtures/load-toml.js';
import { polled } from '../../fixtures/memory-polls.js';

/** Collects events until `until` holds for one, then returns everything seen; fails after `ms`. */
async function collect(events: AsyncIterator<WatchEvent>, seen: WatchEvent[], until: (e: WatchEvent) => boolean, ms = 30_000): Promise<WatchEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const next = await Promise.race([events.next(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now())))]);
    if (next === null) throw new Error(`no matching event within ${ms} ms; saw ${seen.map((e) => e.type).join(', ')}`);
    if (next.done) throw new Error(`watch ended; saw ${seen.map((e) => e.type).join(', ')}`);
    seen.push(next.value);
    if (until(next.value)) return next.value;
  }
}


function crash(driver: MemoryDriver, service: string): void {
  for (const c of driver.state.containers.filter((x) => x.service === service)) {
    c.state = 'exited';
    c.exitCode = 1;
  }
}

describe('watch', () => {
  it('converges, restarts a crashed host process by its restart policy, holds it when it flaps, and stops on the signal', async () => {
    const proc = new MemoryDriver('process');
    const loaded = loadProject({ document: { project: 'sup', services: { job: { command: ['run-job'], restart: 'always' } } }, cwd: tempProjectDir(), env: {} });
    const stack = await connect(loaded, { drivers: { process: proc, docker: new MemoryDriver() } });
    const controller = new AbortController();
    const events = watch(stack, { signal: controller.signal, pollMs: 10, debounceMs: 5 })[Symbol.asyncIterator]();
    const seen: WatchEvent[] = [];

    const initial = await collect(events, seen, (e) => e.type === 'reconcile');
    expect(initial).toMatchObject({ type: 'reconcile', trigger: ['initial converge'], ok: true, description: 'create service:job#1 (not found)' });
    await collect(events, seen, (e) => e.type === 'ready');

    for (let i = 0; i < 3; i++) {
      crash(proc, 'job');
      const restarted = await collect(events, seen, (e) => e.type === 'reconcile' && e.trigger.includes('drift check'));
      // The crash is reported when a poll saw the process running before it died; the restart always is.
      expect(restarted.type === 'reconcile' && restarted.description).toMatch(/^(sup-job-1 exited \(1\); see `surge logs`; )?start service:job#1 \(stopped \(exited 1\)\)$/);
    }
    crash(proc, 'job');
    const flapping = await collect(events, seen, (e) => e.type === 'flapping');
    expect(flapping).toEqual({ type: 'flapping', services: ['job'], by: 'surge' });
    expect(proc.state.containers[0]?.state).toBe('exited');

    controller.abort();
    await collect(events, seen, (e) => e.type === 'stopped');
    expect((await events.next()).done).toBe(true);
  });

  it('reports a container that died, once, as a failed reconcile', async () => {
    const docker = new MemoryDriver();
    docker.state.images['web:1'] = 'sha256:w';
    const loaded = loadProject({ document: { project: 'die', services: { web: { image: 'web:1' } } }, cwd: tempProjectDir(), env: {} });
    const stack = await connect(loaded, { drivers: { docker, process: new MemoryDriver('process') } });
    const controller = new AbortController();
    const events = watch(stack, { signal: controller.signal, pollMs: 10, debounceMs: 5 })[Symbol.asyncIterator]();
    const seen: WatchEvent[] = [];
    await collect(events, seen, (e) => e.type === 'ready');
    // Two polls see it running first (counted: a fixed time may hold none on a busy machine).
    await polled(docker, 2);
    crash(docker, 'web');
    const died = await collect(events, seen, (e) => e.type === 'reconcile' && e.trigger.includes('drift check'));
    expect(died).toMatchObject({ ok: false, description: 'die-web-1 exited (1); see `surge logs`', changes: [{ op: 'died', service: 'die-web-1' }] });
    // Once: the next polls stay quiet (the engine's restart policy is the engine's business).
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await collect(events, seen, (e) => e.type === 'stopped');
    expect(seen.filter((e) => e.type === 'reconcile' && e.trigger.includes('drift check'))).toHaveLength(1);
  });

  it('an invalid Boltfile edit is reported with located diagnostics and the last good state is kept', async () => {
    const dir = tempProjectDir('edits');
    const file = join(dir, 'Boltfile.toml');
    writeFileSync(file, 'project = "edits"\n[services.api]\ncommand = ["serve"]\n');
    const proc = new MemoryDriver('process');
    const stack = await connect(loadProject({ cwd: dir, env: {} }), { drivers: { process: proc, docker: new MemoryDriver() } });
    const controller = new AbortController();
    const events = watch(stack, { signal: controller.signal, pollMs: 50, debounceMs: 20 })[Symbol.asyncIterator]();
    const seen: WatchEvent[] = [];
    await collect(events, seen, (e) => e.type === 'ready');

    writeFileSync(file, 'project = "edits"\n[services.api]\ncomand = ["serve"]\n');
    const invalid = await collect(events, seen, (e) => e.type === 'invalid-config');
    expect(invalid.type === 'invalid-config' && invalid.diagnostics[0]).toMatchObject({
      path: 'services.api.comand',
      location: { file: expect.stringContaining('Boltfile.toml'), line: 3, column: 1 },
    });
    expect(proc.state.containers.map((c) => c.service)).toEqual(['api']);

    // chokidar throttles change events of one file for a moment; an editor's next save comes later than this.
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(file, 'project = "edits"\n[services.api]\ncommand = ["serve"]\nenvironment = { MODE = "dev" }\n');
    const fixed = await collect(events, seen, (e) => e.type === 'reconcile' && e.filesChanged);
    expect(fixed).toMatchObject({ ok: true, description: 'recreate service:api#1 (env MODE added)' });

    controller.abort();
    await collect(events, seen, (e) => e.type === 'stopped');
  });

  it('refuses an unknown service before watching', async () => {
    const stack = await connect(loadProject({ document: { services: { a: { command: ['x'] } } }, cwd: tempProjectDir(), env: {} }), {
      drivers: { process: new MemoryDriver('process'), docker: new MemoryDriver() },
    });
    const events = watch(stack, { services: ['nosuch'] })[Symbol.asyncIterator]();
    await expect(events.next()).rejects.toMatchObject({ code: 'no-such-service' });
  });
});
