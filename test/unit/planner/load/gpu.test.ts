import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../../../src/drivers/memory/memory-driver.js';
import { plan } from '../../../../src/planner/plan.js';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

function svc(body: string) {
  const s = loadToml(`[services.g]\nimage = "x"\n${body}`).project.services.g;
  if (!s) throw new Error('no service');
  return s;
}

describe('GPU forms', () => {
  it.each([
    ['gpu.nvidia = true', 'all', ['compute', 'utility']],
    ['gpu_enabled = true', 'all', ['compute', 'utility']],
    ['[services.g.gpu.nvidia]\ndevice = 0', ['0'], ['compute', 'utility']],
    ['[services.g.gpu.nvidia]\ndevices = [0, 1]', ['0', '1'], ['compute', 'utility']],
    ['[services.g.gpu.nvidia]\ndevices = "all"\ncapabilities = ["compute", "video"]', 'all', ['compute', 'video']],
    ['[services.g.gpu]\ndevices = ["gpu:1", "gpu:2"]', ['1', '2'], ['compute', 'utility']],
    ['[services.g.gpu]\nprofile = "ml-training"', 'all', ['compute', 'utility']],
    ['[services.g.gpu]\nprofile = "gaming"', 'all', ['compute', 'utility', 'graphics']],
    ['[services.g.gpu]\nprofile = "inference"', 'all', ['compute']],
    ['workload_type = "gaming"\ngpu.nvidia = true', 'all', ['graphics', 'display', 'utility']],
    ['gpu.nvidia = { device = 0, dlss = true, cuda = false }', ['0'], ['utility', 'graphics']],
    ['workload_type = "gaming"\ngpu.profile = "gaming"', 'all', ['compute', 'utility', 'graphics', 'display']],
    ['workload_type = "gaming"\ngpu.nvidia = { capabilities = ["graphics"] }', 'all', ['graphics']],
  ] as const)('%s', (body, devices, capabilities) => {
    expect(svc(body).gpu).toMatchObject({ vendor: 'nvidia', devices, capabilities });
  });

  it('profiles carry the documented memory limits', () => {
    // nvcontrol's doc gives bytes: 8_000_000_000 and 4_000_000_000.
    expect(svc('gpu.profile = "ml-training"').gpu?.memory_limit_bytes).toBe(8_000_000_000);
    expect(svc('gpu.profile = "gaming"').gpu?.memory_limit_bytes).toBeNull();
    expect(svc('gpu.profile = "inference"').gpu?.memory_limit_bytes).toBe(4_000_000_000);
    expect(svc('gpu.profile = "inference"').gpu?.unenforced).toContain('GPU memory limit 4 GB');
    expect(svc('[services.g.gpu]\nprofile = "inference"\nmemory_limit = "8GB"').gpu?.memory_limit_bytes).toBe(8 * 1024 ** 3);
  });

  it('workload_type without a GPU request asks for no GPU (the CPU examples)', () => {
    expect(svc('workload_type = "ai"').gpu).toBeNull();
    expect(svc('gpu.nvidia = false').gpu).toBeNull();
  });

  it('an explicit runtime is kept', () => expect(svc('[services.g.gpu]\nnvidia = true\nruntime = "ghostnv"').gpu?.runtime).toBe('ghostnv'));
});

describe('GPU environment', () => {
  it('visible devices and capabilities, without overriding the user', () => {
    expect(svc('gpu.nvidia = { devices = [0, 1] }').environment).toEqual({ NVIDIA_VISIBLE_DEVICES: '0,1', NVIDIA_DRIVER_CAPABILITIES: 'compute,utility' });
    expect(svc('gpu.nvidia = true\nenv.NVIDIA_DRIVER_CAPABILITIES = "all"').environment).toEqual({ NVIDIA_VISIBLE_DEVICES: 'all', NVIDIA_DRIVER_CAPABILITIES: 'all' });
  });

  it('ai-ml: the values the nvbind guide expects', () => {
    const s = svc('workload_type = "ai-ml"\ngpu_enabled = true\n[services.g.aiml]\ncuda_cache_mb = 4096\ntensor_cores_enabled = true\nmixed_precision_enabled = true');
    expect(s.environment).toMatchObject({ CUDA_CACHE_MAXSIZE: '4294967296', NVIDIA_TF32_OVERRIDE: '1', NVBIND_MIXED_PRECISION: '1' });
    expect(svc('workload_type = "ai-ml"\ngpu_enabled = true').environment.CUDA_CACHE_MAXSIZE).toBe('4294967296');
    expect(svc('workload_type = "ai-ml"\ngpu_enabled = true\naiml.cuda_cache_mb = 1').environment.CUDA_CACHE_MAXSIZE).toBe('1048576');
  });

  it('gaming: graphics and display capabilities and the gaming profile', () => {
    const s = svc('workload_type = "gaming"\ngpu_enabled = true\n[services.g.gaming]\nperformance_profile = "ultra-low-latency"\ndlss_enabled = true');
    expect(s.environment).toMatchObject({ NVIDIA_DRIVER_CAPABILITIES: 'graphics,display,utility', NVBIND_GAMING_PROFILE: 'ultra-low-latency' });
  });
});

describe('what the engine cannot enforce', () => {
  it('is loaded and reported once in the plan', async () => {
    const { project } = loadToml(
      '[services.g]\nimage = "x"\n[services.g.gpu]\nisolation_level = "virtual"\nmemory_limit = "8GB"\n[services.g.gpu.nvidia]\npower_limit = 300\ndlss = true',
    );
    const p = plan(project, await new MemoryDriver().observe(project));
    expect(p.notices).toEqual([
      'service g: GPU memory limit 8 GiB is not enforced by this engine',
      'service g: GPU power limit 300 W is not enforced by this engine',
      'service g: DLSS is not enforced by this engine',
      'service g: isolation_level "virtual" (needs MIG) is not enforced by this engine',
    ]);
  });

  it('Wine/Proton and the AI/ML memory pool are reported too, never dropped', async () => {
    const { project } = loadToml(
      '[services.g]\nimage = "x"\nworkload_type = "gaming"\ngpu_enabled = true\ngaming.wine_proton_enabled = true\n' +
        '[services.m]\nimage = "x"\nworkload_type = "ai-ml"\ngpu_enabled = true\naiml.memory_pool_size = "16GB"',
    );
    const p = plan(project, await new MemoryDriver().observe(project));
    expect(p.notices).toEqual([
      'service g: Wine/Proton optimizations is not enforced by this engine',
      'service m: GPU memory pool 16384 MiB is not enforced by this engine',
    ]);
    expect(loadError('[services.m]\nimage = "x"\ngpu_enabled = true\naiml.memory_pool_size = "lots"')).toBe(
      'Boltfile.toml:4:6: services.m.aiml.memory_pool_size: invalid size "lots" (write it like "512m", "4Gi" or "8GB")',
    );
  });

  it('exclusive GPUs cannot be claimed twice (located error)', () => {
    expect(
      loadError('[services.a]\nimage = "x"\ngpu.nvidia = { device = 0 }\ngpu.isolation_level = "exclusive"\n[services.b]\nimage = "x"\n[services.b.gpu]\nisolation_level = "exclusive"\nnvidia = { devices = [0, 1] }'),
    ).toBe('Boltfile.toml:8:1: services.b.gpu.isolation_level: services "a" and "b" both claim GPU 0 exclusively; give them different devices');
    expect(loadError('[services.a]\nimage = "x"\ngpu.nvidia = { device = 0 }\ngpu.isolation_level = "exclusive"\n[services.b]\nimage = "x"\n[services.b.gpu]\nisolation_level = "exclusive"\nnvidia = { device = 1 }')).toBeNull();
  });

  it('replicas of an exclusive service would share its GPU (located error)', () => {
    expect(loadError('[services.a]\nimage = "x"\nreplicas = 2\n[services.a.gpu]\nisolation_level = "exclusive"\nnvidia = { device = 0 }')).toBe(
      'Boltfile.toml:5:1: services.a.gpu.isolation_level: service "a" has 2 replicas, which would all claim GPU 0 exclusively; use one replica per exclusive GPU (a service each)',
    );
    expect(loadError('[services.a]\nimage = "x"\nreplicas = 2\n[services.a.gpu]\nisolation_level = "shared"\nnvidia = { device = 0 }')).toBeNull();
  });

  it('a shared claim on an exclusive GPU is a warning', () => {
    const { warnings } = loadToml('[services.a]\nimage = "x"\ngpu.nvidia = { device = 0 }\n[services.b]\nimage = "x"\n[services.b.gpu]\nisolation_level = "exclusive"\nnvidia = { devices = [0, 1] }');
    expect(warnings.map((w) => w.message)).toEqual(['warning: services.a.gpu: service "a" also uses GPU 0, which "b" claims exclusively']);
  });
});

describe('workload tables without their workload', () => {
  it('are reported, not dropped quietly', () => {
    const { warnings } = loadToml('[services.g]\nimage = "x"\ngpu.nvidia = true\n[services.g.aiml]\ncuda_cache_mb = 1\n[services.h]\nimage = "x"\nworkload_type = "gaming"\n[services.h.gaming]\ndlss_enabled = true');
    expect(warnings.map((w) => w.message)).toEqual([
      'warning: services.g.aiml: applies only with workload_type = "ai-ml"; ignored',
      'warning: services.h.gaming: applies only to a service that asks for a GPU (gpu.nvidia = true); ignored',
    ]);
    expect(loadError('[services.g]\nimage = "x"\ngpu.nvidia = { power_limit = -5 }')).toContain('services.g.gpu.nvidia.power_limit');
  });
});
