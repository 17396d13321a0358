// The library through its public entry point, on the in-memory driver: no engine needed. Loading from a file and
// from an object, converge, saved plans and their staleness, the project lock, cancellation, typed errors.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  apply,
  ConfigError,
  connect,
  down,
  loadProject,
  MemoryDriver,
  plan,
  readPlanFile,
  savePlan,
  scale,
  StalePlanError,
  SurgeError,
  up,
  writePlanFile,
  type SurgeEvent,
} from '../../../src/index.js';
import { tempProjectDir } from '../../fixtures/load-toml.js';

const SHOP = {
  project: 'shop',
  services: {
    db: { image: 'postgres:16', healthcheck: { test: ['CMD', 'true'] } },
    api: { image: 'shop/api:1', environment: { MODE: 'prod' }, depends_on: { db: { condition: 'service_healthy' } } },
    web: { image: 'nginx:1.27', depends_on: ['api'], ports: ['8080:80'] },
  },
};

function withImages(driver: MemoryDriver, refs: string[]): MemoryDriver {
  for (const r of refs) driver.state.images[r] = `sha256:${r}`;
  return driver;
}

async function shopStack(driver = withImages(new MemoryDriver(), ['postgres:16', 'shop/api:1', 'nginx:1.27']), document: Record<string, unknown> = SHOP) {
  const loaded = loadProject({ document, cwd: tempProjectDir(), env: {} });
  return { stack: await connect(loaded, { drivers: { docker: driver, process: new MemoryDriver('process') } }), driver };
}

describe('loading', () => {
  it('loads from a file and from a plain object to the same project, with the same validation', () => {
    const dir = tempProjectDir('shop');
    writeFileSync(join(dir, 'Boltfile.toml'), 'project = "shop"\n[services.web]\nimage = "nginx:1.27"\nports = ["8080:80"]\n');
    const fromFile = loadProject({ cwd: dir, env: {} });
    const fromObject = loadProject({ cwd: dir, env: {}, document: { project: 'shop', services: { web: { image: 'nginx:1.27', ports: ['8080:80'] } } } });
    expect(fromObject.project.services).toEqual(fromFile.project.services);
    expect(fromObject.project.files).toEqual([]);
  });

  it('returns every problem as a diagnostic value, located by key path for an object, with a did-you-mean', () => {
    let error: unknown;
    try {
      loadProject({ document: { services: { web: { imag: 'nginx', ports: ['99999:80'] } } }, cwd: tempProjectDir(), env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    expect(config.code).toBe('config');
    expect(config.diagnostics.map((d) => d.path)).toEqual(expect.arrayContaining(['services.web.imag']));
    expect(config.diagnostics.find((d) => d.path === 'services.web.imag')?.message).toContain('did you mean `image`?');
    expect(config.diagnostics.every((d) => d.location === null)).toBe(true);
    expect(config.toJSON()).toMatchObject({ code: 'config', diagnostics: expect.any(Array) });
  });

  it('does not change the object it was given', () => {
    const document = structuredClone(SHOP);
    loadProject({ document, cwd: tempProjectDir(), env: {} });
    expect(document).toEqual(SHOP);
  });
});

describe('plan and apply', () => {
  it('plans, applies, and a second plan is empty; events are typed and ordered', async () => {
    const { stack } = await shopStack();
    const p = await plan(stack);
    expect(p.actions.map((a) => `${a.op} ${a.id}`)).toEqual(['create network:default', 'create service:db#1', 'create service:api#1', 'create service:web#1']);
    const events: SurgeEvent[] = [];
    const result = await apply(stack, p, { onEvent: (e) => events.push(e) });
    expect(result.ok).toBe(true);
    expect(result.done.map((a) => a.id)).toEqual(['network:default', 'service:db#1', 'service:api#1', 'service:web#1']);
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)).toMatchObject({ type: 'finish', ok: true, done: 4 });
    expect((await plan(stack)).actions).toEqual([]);
    await stack.close();
  });

  it('a changed environment recreates exactly that service, saying why', async () => {
    const { stack, driver } = await shopStack();
    await up(stack);
    const changed = structuredClone(SHOP);
    changed.services.api.environment.MODE = 'dev';
    const { stack: again } = await shopStack(driver, changed);
    const p = await plan(again);
    expect(p.actions.map((a) => [a.op, a.id, a.reason])).toEqual([['recreate', 'service:api#1', 'env MODE changed']]);
  });

  it('a saved plan round-trips through a file (0600) and applies later', async () => {
    const { stack } = await shopStack();
    const file = join(tempProjectDir(), 'plan.json');
    // An existing world-readable file is replaced by a private one: the plan holds environment values.
    writeFileSync(file, '{}', { mode: 0o644 });
    writePlanFile(file, savePlan(stack.project, await plan(stack)));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = readPlanFile(file);
    const result = await apply(stack, saved.plan);
    expect(result.ok).toBe(true);
    expect(result.done).toHaveLength(4);
  });

  it('refuses a stale plan with a typed error and applies nothing', async () => {
    const { stack, driver } = await shopStack();
    const p = await plan(stack);
    await up(stack, { services: ['db'] });
    const before = driver.applied.length;
    const refused = apply(stack, p);
    await expect(refused).rejects.toBeInstanceOf(StalePlanError);
    await expect(refused).rejects.toMatchObject({ code: 'stale-plan' });
    expect(driver.applied.length).toBe(before);
  });

  it('a failed action skips only its dependents and carries the error object', async () => {
    const driver = withImages(new MemoryDriver(), ['postgres:16', 'shop/api:1', 'nginx:1.27']);
    driver.failing.add('service:api#1');
    const { stack } = await shopStack(driver);
    const result = await up(stack);
    expect(result.ok).toBe(false);
    expect(result.failed.map((f) => [f.action.id, f.error.code])).toEqual([['service:api#1', 'engine']]);
    expect(result.failed[0]?.error).toBeInstanceOf(SurgeError);
    expect(result.skipped.map((s) => [s.action.id, s.because])).toEqual([['service:web#1', ['service:api#1']]]);
    expect(result.done.map((a) => a.id)).toEqual(['network:default', 'service:db#1']);
  });

  it('an unknown service is a typed no-such-service error', async () => {
    const { stack } = await shopStack();
    await expect(plan(stack, { services: ['nosuch'] })).rejects.toMatchObject({ code: 'no-such-service' });
  });

  it('down removes what up made; scale adds replicas without recreating', async () => {
    const { stack, driver } = await shopStack();
    await up(stack);
    const before = driver.state.containers.find((c) => c.service === 'web')?.id;
    const scaled = await scale(stack, { web: 3 });
    expect(scaled.done.map((a) => a.id)).toEqual(['service:web#2', 'service:web#3']);
    expect(driver.state.containers.find((c) => c.service === 'web' && c.replica === 1)?.id).toBe(before);
    const gone = await down(stack);
    expect(gone.ok).toBe(true);
    expect(driver.state.containers).toEqual([]);
  });
});

describe('the project lock', () => {
  it('a second apply waits for the first, says who holds it, then runs', async () => {
    const { stack, driver } = await shopStack();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let holding = false;
    driver.beforeApply = async (a) => {
      if (a.id === 'service:db#1') {
        holding = true;
        await gate;
      }
    };
    const first = up(stack);
    // Conditions, not fixed waits: on a busy machine 20 ms may pass before the first up has got as far as the lock.
    await vi.waitFor(() => expect(holding).toBe(true), { timeout: 10_000 });
    const events: SurgeEvent[] = [];
    const second = up(stack, { onEvent: (e) => events.push(e) });
    await vi.waitFor(() => expect(events).toEqual([{ type: 'lock-wait', project: 'shop', holder: expect.objectContaining({ pid: process.pid }) }]), { timeout: 10_000 });
    release();
    expect((await first).ok).toBe(true);
    const r2 = await second;
    expect(r2.ok).toBe(true);
    expect(r2.plan.actions).toEqual([]);
  });

  it('gives up after the lock timeout with lock-timeout, naming the holder', async () => {
    const { stack, driver } = await shopStack();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let holding = false;
    driver.beforeApply = () => {
      holding = true;
      return gate;
    };
    const first = up(stack);
    await vi.waitFor(() => expect(holding).toBe(true), { timeout: 10_000 });
    await expect(up(stack, { lockTimeoutMs: 50 })).rejects.toMatchObject({ code: 'lock-timeout', holder: { pid: process.pid } });
    release();
    await first;
  });
});

describe('cancellation', () => {
  it('the first signal stops scheduling and ends dependency waits at once; the result says what did not start', async () => {
    const driver = withImages(new MemoryDriver(), ['postgres:16', 'shop/api:1', 'nginx:1.27']);
    driver.neverReady.add('db');
    const { stack } = await shopStack(driver);
    const controller = new AbortController();
    let t0 = 0;
    // Once db is created (api then waits for it to be healthy, which it never is): not a fixed time after the start.
    const onEvent = (e: SurgeEvent): void => {
      if (e.type === 'action-done' && e.action.id === 'service:db#1') {
        setTimeout(() => {
          t0 = Date.now();
          controller.abort();
        }, 30);
      }
    };
    const result = await up(stack, { signal: controller.signal, onEvent });
    expect(t0).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    expect(result.cancelled).toBe(true);
    expect(result.done.map((a) => a.id)).toEqual(['network:default', 'service:db#1']);
    expect(result.notStarted.map((a) => a.id).sort()).toEqual(['service:api#1', 'service:web#1']);
    expect(result.failed).toEqual([]);
  });

  it('abortInFlight cuts an action in flight short', async () => {
    const driver = withImages(new MemoryDriver(), ['postgres:16', 'shop/api:1', 'nginx:1.27']);
    const soft = new AbortController();
    const hard = new AbortController();
    // The signals come while the first action is in flight (not a fixed time after the start).
    driver.beforeApply = (_a, ctx) =>
      new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        setTimeout(() => {
          soft.abort();
          hard.abort();
        }, 30);
      });
    const { stack } = await shopStack(driver);
    const result = await up(stack, { signal: soft.signal, abortInFlight: hard.signal });
    expect(result.failed.map((f) => f.error.code)).toEqual(['cancelled']);
    expect(result.done).toEqual([]);
  });

  it('up --wait ends at once on the signal, with a cancelled wait error', async () => {
    const driver = withImages(new MemoryDriver(), ['postgres:16', 'shop/api:1', 'nginx:1.27']);
    const { stack } = await shopStack(driver);
    await up(stack);
    driver.neverReady.add('web');
    const controller = new AbortController();
    const onEvent = (e: SurgeEvent): void => {
      if (e.type === 'wait-start') setTimeout(() => controller.abort(), 30);
    };
    const result = await up(stack, { wait: true, waitTimeoutSeconds: 60, signal: controller.signal, onEvent });
    expect(result.waitError?.code).toBe('cancelled');
    expect(result.ok).toBe(false);
  });
});

describe('GPU preflight through the driver contract', () => {
  it('refuses a GPU service with gpu-unavailable before touching anything, and plan only notes it', async () => {
    const driver = withImages(new MemoryDriver(), ['trainer:1']);
    const loaded = loadProject({ document: { project: 'ml', services: { trainer: { image: 'trainer:1', gpu: { nvidia: true } } } }, cwd: tempProjectDir(), env: {} });
    const stack = await connect(loaded, { drivers: { docker: driver, process: new MemoryDriver('process') } });
    const p = await plan(stack);
    expect(p.notices.join('\n')).toContain('`surge up` would stop before changing anything: service trainer asks for an NVIDIA GPU');
    await expect(up(stack)).rejects.toMatchObject({ code: 'gpu-unavailable' });
    expect(driver.applied).toEqual([]);
    driver.gpu = { endpoint: 'memory', offers: ['nvidia runtime'], runtimes: ['nvidia', 'runc'] };
    expect((await up(stack)).ok).toBe(true);
  });
});
