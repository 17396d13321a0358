import { describe, expect, it } from 'vitest';
import { checkNumericOptions } from '../../../src/cli/numeric-options.js';
import { UserError } from '../../../src/model/errors.js';
import { MemoryDriver } from '../../../src/drivers/memory/memory-driver.js';
import { executePlan } from '../../../src/engine/executor.js';
import type { Project } from '../../../src/model/model.js';

describe('numeric options', () => {
  it('accept sensible numbers', () => {
    expect(() => checkNumericOptions({ parallel: 4, 'wait-timeout': 0.5, timeout: 0, tail: 10, index: 2, 'lock-timeout': 300, debounce: 300 })).not.toThrow();
    expect(() => checkNumericOptions({ services: ['web'], progress: 'plain' })).not.toThrow();
  });

  it('refuse what yargs turned into NaN, and out-of-range values, as user errors', () => {
    for (const bad of [{ parallel: Number.NaN }, { parallel: 0 }, { 'wait-timeout': Number.NaN }, { timeout: -1 }, { tail: 1.5 }, { index: 0 }, { 'lock-timeout': Number.NaN }]) {
      expect(() => checkNumericOptions(bad)).toThrow(UserError);
    }
    expect(() => checkNumericOptions({ parallel: Number.NaN })).toThrow('--parallel takes a whole number ≥ 1');
  });

  it('the executor never waits forever on a NaN parallelism', async () => {
    const project: Project = { name: 'p', workingDir: '/tmp', files: [], services: {}, networks: {}, volumes: {} };
    const plan = {
      project: 'p',
      actions: [{ id: 'network:n', kind: 'network' as const, name: 'n', op: 'create' as const, reason: 't', dependsOn: [], driver: 'docker' as const }],
      notices: [],
      observedFingerprint: '',
      summary: { create: 1, recreate: 0, update: 0, start: 0, stop: 0, remove: 0, unchanged: 0 },
    };
    const driver = new MemoryDriver();
    await expect(executePlan(plan, { project, drivers: async () => driver, parallel: Number.NaN })).rejects.toThrow('bug: parallel');
  });
});
