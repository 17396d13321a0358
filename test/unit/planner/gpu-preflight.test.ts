// Can the engine give GPUs? An nvidia runtime, the toolkit's hook (Docker's built-in nvidia device driver), or CDI.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuOffers } from '../../../src/drivers/docker/docker-driver.js';
import { gpuPreflightError, gpuRuntimeError } from '../../../src/planner/gpu-preflight.js';
import { findNvidiaHook, localNvidiaHook, NVIDIA_HOOK } from '../../../src/drivers/docker/nvidia-hook.js';
import { loadToml } from '../../fixtures/load-toml.js';

const none = { nvidiaRuntime: false, nvidiaHook: null, cdiDevices: [] };
const offer = (support: typeof none | { nvidiaRuntime: boolean; nvidiaHook: string | null; cdiDevices: string[] }, runtimes: string[]) => ({ endpoint: 'unix:///var/run/docker.sock', offers: gpuOffers(support), runtimes });

describe('GPU preflight', () => {
  it('fails naming every GPU service when the engine offers nothing', () => {
    const e = gpuPreflightError(['render', 'trainer'], offer(none, ['runc']));
    expect(e?.message).toContain('services render, trainer ask for an NVIDIA GPU');
    expect(e?.message).toContain('Install the NVIDIA Container Toolkit');
  });

  it.each([
    ['an nvidia runtime', { ...none, nvidiaRuntime: true }],
    ['the toolkit hook without an nvidia runtime (docker --gpus works)', { ...none, nvidiaHook: `/usr/bin/${NVIDIA_HOOK}` }],
    ['CDI devices', { ...none, cdiDevices: ['nvidia.com/gpu=0'] }],
  ])('passes with %s', (_what, support) => {
    expect(gpuPreflightError(['trainer'], offer(support, ['runc']))).toBeNull();
    expect(gpuOffers(support)).toHaveLength(1);
  });

  it('finds the hook on PATH or in the folders a daemon searches, for local engines only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'surge-hook-'));
    expect(findNvidiaHook(dir, [])).toBeNull();
    writeFileSync(join(dir, NVIDIA_HOOK), '#!/bin/sh\n');
    chmodSync(join(dir, NVIDIA_HOOK), 0o755);
    expect(findNvidiaHook('', [dir])).toBe(join(dir, NVIDIA_HOOK));
    expect(findNvidiaHook(`/nonexistent:${dir}`, [])).toBe(join(dir, NVIDIA_HOOK));
    expect(localNvidiaHook('unix:///var/run/docker.sock', () => 'found')).toBe('found');
    expect(localNvidiaHook('tcp://gpu-host:2376', () => 'found')).toBeNull();
  });

  it('refuses a gpu.runtime the engine does not have, before anything is created', () => {
    const { project } = loadToml('[services.a]\nimage = "x"\ngpu.nvidia = true\ngpu.runtime = "ghostnv"\n[services.b]\nimage = "x"\ngpu.nvidia = true\ngpu.runtime = "nvidia"\n[services.c]\nimage = "x"\ngpu.nvidia = true');
    const e = gpuRuntimeError(project, ['a', 'b', 'c'], offer(none, ['nvidia', 'runc']));
    expect(e?.message).toMatch(/^service a asks for runtime "ghostnv", which the engine at unix:\/\/\/var\/run\/docker\.sock does not have \(runtimes: nvidia, runc\)\. Nothing was created or changed\./);
    expect(gpuRuntimeError(project, ['b', 'c'], offer(none, ['nvidia', 'runc']))).toBeNull();
    expect(gpuRuntimeError(project, ['b'], offer(none, ['runc']))?.message).toContain('service b asks for runtime "nvidia"');
  });
});
