// A health wait on an engine that never runs the checks (Podman without systemd) ends, with the likely cause.
import { describe, expect, it } from 'vitest';
import { HealthWatch, noCheckLimitMs, type HealthInspect } from '../../../../src/drivers/docker/wait.js';
import type { EngineApi } from '../../../../src/drivers/docker/engine-api.js';
import type { HealthState, ObservedContainer } from '../../../../src/model/observed.js';

const S = 1e9; // ns

function container(health: HealthState | null): ObservedContainer {
  return { driver: 'docker', id: 'c1', name: 'p-db-1', service: 'db', replica: 1, configHash: '', config: null, state: 'running', health, exitCode: null, imageId: null, oneoff: false, pid: null, ports: [], image: 'x', volumes: [], problems: [] };
}

function engine(inspect: () => HealthInspect): { api: Pick<EngineApi, 'get'>; calls: () => number } {
  let calls = 0;
  const api = {
    get: async <T>(): Promise<T> => {
      calls++;
      return inspect() as T;
    },
  };
  return { api, calls: () => calls };
}

const config = { Interval: 1 * S, Timeout: 1 * S, Retries: 3 };

describe('noCheckLimitMs', () => {
  it('is past the start period and the check schedule; 90 s with Docker\'s defaults', () => {
    expect(noCheckLimitMs({})).toBe(90_000);
    expect(noCheckLimitMs({ Config: { Healthcheck: { Interval: 10 * S, Retries: 1, Timeout: 5 * S, StartPeriod: 60 * S } } })).toBe(60_000 + 16_000);
    expect(noCheckLimitMs({ Config: { Healthcheck: config } })).toBe(3000);
  });
});

describe('HealthWatch', () => {
  it('Docker: the status text says starting; inspects once for the schedule, then at the limit fails when no check was logged', async () => {
    let now = 0;
    const { api, calls } = engine(() => ({ State: { Health: { Status: 'starting', Log: [] } }, Config: { Healthcheck: config } }));
    const watch = new HealthWatch(api, 'db', () => now);
    for (; now < 3000; now += 250) expect(await watch.health(container('starting'))).toBe('starting');
    expect(calls()).toBe(1);
    await expect(watch.health(container('starting'))).rejects.toThrow(
      'service db: no healthcheck has run in 3 s: the engine does not run healthchecks — Podman needs systemd for them — or the check cannot start',
    );
  });

  it('Docker: checks that run but keep failing are the engine\'s to judge (unhealthy comes), not a never-ending wait', async () => {
    let now = 0;
    const { api, calls } = engine(() => ({ State: { Health: { Status: 'starting', Log: [{ ExitCode: 1 }] } }, Config: { Healthcheck: config } }));
    const watch = new HealthWatch(api, 'db', () => now);
    for (; now < 10_000; now += 250) expect(await watch.health(container('starting'))).toBe('starting');
    expect(calls()).toBe(2); // the schedule, then the log once at the limit
  });

  it('Podman: no health in the status text, so it inspects: healthy, or a check that never ran', async () => {
    let now = 0;
    let status = 'healthy';
    const { api } = engine(() => ({ State: { Health: { Status: status, Log: null } }, Config: { Healthcheck: config } }));
    const watch = new HealthWatch(api, 'db', () => now);
    expect(await watch.health(container(null))).toBe('healthy');
    status = 'starting';
    expect(await watch.health(container(null))).toBe('starting');
    now = 3000;
    await expect(watch.health(container(null))).rejects.toThrow(/no healthcheck has run in 3 s/);
  });
});
