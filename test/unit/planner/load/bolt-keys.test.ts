// Bolt's own keys that real Boltfiles use load with a "not applied" warning, never an error, even where compose has
// a key of the same name with another form (`init`, `runtime`); and a service must have something to run.
import { describe, expect, it } from 'vitest';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

describe('Bolt keys', () => {
  it('auth, the gaming table\'s own keys, [init] and [runtime] tables, top-level profiles and backups', () => {
    const { project, warnings } = loadToml(`[profiles.steam-gaming]
gpu = "nvidia"
[backups]
enabled = true
[services.steam]
image = "steam"
[services.steam.auth]
user = "u"
password = "p"
[services.steam.gaming]
enabled = true
gpu_passthrough = true
wine_prefix = "/games/prefix"
audio_system = "pipewire"
proton_version = "8.0"
[services.steam.init]
commands = ["apt update"]
[services.steam.runtime]
runtime = "velocity"
`);
    expect(project.services.steam?.init).toBeNull();
    expect(project.services.steam?.runtime).toBeNull();
    const paths = warnings.map((w) => w.path);
    for (const p of ['profiles', 'backups', 'services.steam.auth', 'services.steam.gaming.enabled', 'services.steam.gaming.gpu_passthrough', 'services.steam.gaming.wine_prefix', 'services.steam.gaming.audio_system', 'services.steam.init', 'services.steam.runtime']) {
      expect(paths).toContain(p);
    }
    expect(warnings.find((w) => w.path === 'services.steam.auth')?.message).toBe('warning: services.steam.auth: not applied by surge (Bolt runtime setting)');
  });

  it('compose\'s init and runtime keep their meaning', () => {
    const { project, warnings } = loadToml('[services.a]\nimage = "x"\ninit = true\nruntime = "runsc"');
    expect(project.services.a).toMatchObject({ init: true, runtime: 'runsc' });
    expect(warnings).toEqual([]);
  });

  it('a named GPU profile beyond the three built in asks for a GPU, with a warning', () => {
    const { project, warnings } = loadToml('[services.a]\nimage = "x"\ngpu.profile = "ultra-low-latency"');
    expect(project.services.a?.gpu).toMatchObject({ devices: 'all', capabilities: ['compute', 'utility'], profile: null });
    expect(warnings.map((w) => w.message)).toEqual([
      'warning: services.a.gpu.profile: GPU profile "ultra-low-latency" is Bolt\'s own: not applied by surge (the GPU is requested with the default capabilities; built in: ml-training, gaming, inference)',
    ]);
  });
});

describe('what a service runs', () => {
  it('neither image, build nor command is an error; a Bolt capsule is a warning', () => {
    expect(loadError('[services.empty]\nrestart = "always"')).toBe('Boltfile.toml:1:11: services.empty: service "empty" has neither `image`, `build` nor `command`: there is nothing to run');
    expect(loadError('[services.db]\ncapsule = "postgres"')).toBeNull();
  });

  it('compose\'s top-level name is the project name; version is obsolete', () => {
    const { project, warnings } = loadToml('name = "Shop"\nversion = "3.9"\n[services.a]\nimage = "x"');
    expect(project.name).toBe('shop');
    expect(warnings.map((w) => w.message)).toEqual(['warning: version: obsolete: compose ignores it, and so does surge']);
  });
});
