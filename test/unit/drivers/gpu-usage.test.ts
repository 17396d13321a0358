// nvidia-smi's CSV, and GPU use attributed to a replica's processes.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findNvidiaSmi, gpuUseOf, parseGpuSnapshot } from '../../../src/drivers/gpu-usage.js';

const dir = mkdtempSync(join(tmpdir(), 'surge-gpu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GPU use', () => {
  const snapshot = parseGpuSnapshot('0, GPU-a, 40\n1, GPU-b, [N/A]\n2, GPU-c, 80\n', '100, GPU-a, 512\n101, GPU-c, 1024\n101, GPU-a, 256\n200, GPU-b, 64\n');

  it('adds up the memory of a replica\'s processes and averages the use of the GPUs they run on', () => {
    expect(gpuUseOf(snapshot, [100, 101, 999])).toEqual({ memoryBytes: (512 + 1024 + 256) * 1024 * 1024, utilizationPercent: 60, devices: ['0', '2'] });
    expect(gpuUseOf(snapshot, [100])).toEqual({ memoryBytes: 512 * 1024 * 1024, utilizationPercent: 40, devices: ['0'] });
    expect(gpuUseOf(snapshot, [200])).toEqual({ memoryBytes: 64 * 1024 * 1024, utilizationPercent: null, devices: ['1'] });
    expect(gpuUseOf(snapshot, [7])).toEqual({ memoryBytes: 0, utilizationPercent: null, devices: [] });
  });

  it('finds nvidia-smi only where the PATH has an executable one', () => {
    expect(findNvidiaSmi(dir)).toBeNull();
    writeFileSync(join(dir, 'nvidia-smi'), '#!/bin/sh\n');
    expect(findNvidiaSmi(`/nonexistent:${dir}`)).toBeNull();
    chmodSync(join(dir, 'nvidia-smi'), 0o755);
    expect(findNvidiaSmi(`/nonexistent:${dir}`)).toBe(join(dir, 'nvidia-smi'));
  });
});
