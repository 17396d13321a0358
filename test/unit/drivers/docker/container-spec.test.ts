// The exact engine request for each form: what users declare is what the engine is asked for.
import { describe, expect, it } from 'vitest';
import { containerCreateOptions, portBindings } from '../../../../src/drivers/docker/container-spec.js';
import { loadToml } from '../../../fixtures/load-toml.js';

function request(body: string, service = 'svc') {
  const { project } = loadToml(`project = "p"\n${body}`);
  const s = project.services[service];
  if (!s) throw new Error('no service');
  return containerCreateOptions({ project, service: s, replica: 1, configHash: 'HASH', surgeVersion: '0.0.0' }, `p-${service}-1`);
}

describe('container create request', () => {
  it('carries everything the model does', () => {
    const r = request(`[volumes.data]
[services.svc]
image = "app:1"
command = ["serve", "--port", "80"]
entrypoint = ["/entry"]
environment = { A = "1" }
ports = ["8080:80", "127.0.0.1:5353:53/udp", "9000-9001:9000-9001", "443"]
volumes = ["data:/data", "/srv:/srv:ro", "/cache"]
tmpfs = ["/run", "/tmp:size=64m"]
restart = "on-failure:5"
labels = { team = "core" }
user = "1000:1000"
working_dir = "/app"
privileged = true
devices = ["/dev/fuse"]
cap_add = ["NET_ADMIN"]
cap_drop = ["ALL"]
read_only = true
healthcheck = { test = ["CMD", "true"], interval = "2s", timeout = "1s", start_period = "5s", retries = 4 }
stop_signal = "SIGINT"
stop_grace_period = "20s"
hostname = "svc.local"
extra_hosts = ["db:10.0.0.2"]
dns = ["1.1.1.1"]
memory_limit = "256m"
cpu_limit = 1.5
platform = "linux/amd64"
`);
    expect(r).toEqual({
      name: 'p-svc-1',
      Image: 'app:1',
      Cmd: ['serve', '--port', '80'],
      Entrypoint: ['/entry'],
      Env: ['A=1'],
      User: '1000:1000',
      WorkingDir: '/app',
      Hostname: 'svc.local',
      StopSignal: 'SIGINT',
      StopTimeout: 20,
      platform: 'linux/amd64',
      Healthcheck: { Test: ['CMD', 'true'], Interval: 2e9, Timeout: 1e9, StartPeriod: 5e9, Retries: 4 },
      Labels: expect.objectContaining({ team: 'core', 'surge.project': 'p', 'surge.service': 'svc', 'surge.replica': '1', 'surge.config-hash': 'HASH', 'surge.oneoff': 'false' }),
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '9000/tcp': {}, '9001/tcp': {}, '443/tcp': {} },
      HostConfig: {
        PortBindings: {
          '80/tcp': [{ HostIp: '', HostPort: '8080' }],
          '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
          '9000/tcp': [{ HostIp: '', HostPort: '9000' }],
          '9001/tcp': [{ HostIp: '', HostPort: '9001' }],
          '443/tcp': [{ HostIp: '', HostPort: '' }],
        },
        Binds: ['/srv:/srv:ro'],
        Mounts: [
          { Type: 'volume', Source: 'p_data', Target: '/data', ReadOnly: false },
          { Type: 'volume', Source: '', Target: '/cache', ReadOnly: false },
        ],
        Tmpfs: { '/run': '', '/tmp': 'size=64m' },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
        Privileged: true,
        ReadonlyRootfs: true,
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['ALL'],
        Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
        ExtraHosts: ['db:10.0.0.2'],
        Dns: ['1.1.1.1'],
        Memory: 256 * 1024 ** 2,
        NanoCpus: 1.5e9,
        NetworkMode: 'p_default',
      },
      NetworkingConfig: { EndpointsConfig: { p_default: { Aliases: ['svc'] } } },
    });
  });

  it('joins the first network at create, with the service name as alias; external networks keep their name', () => {
    const r = request('[networks.front]\n[networks.corp]\nexternal = true\nname = "corp-net"\n[services.svc]\nimage = "x"\nnetworks = { corp = { aliases = ["api"] }, front = {} }');
    expect(r.HostConfig?.NetworkMode).toBe('corp-net');
    expect(r.NetworkingConfig).toEqual({ EndpointsConfig: { 'corp-net': { Aliases: ['svc', 'api'] } } });
  });

  it('a built service runs the image surge tags', () => {
    expect(request('[services.svc]\nbuild = "./app"').Image).toBe('p-svc');
  });

  it('expands port ranges', () => {
    expect(portBindings([{ target: '53-54', published: null, host_ip: null, protocol: 'udp' }]).bindings).toEqual({
      '53/udp': [{ HostIp: '', HostPort: '' }],
      '54/udp': [{ HostIp: '', HostPort: '' }],
    });
  });
});

describe('GPU requests', () => {
  it.each([
    ['gpu.nvidia = true', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }, undefined],
    ['gpu_enabled = true', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }, undefined],
    ['[services.svc.gpu.nvidia]\ndevice = 0', { Driver: 'nvidia', DeviceIDs: ['0'], Capabilities: [['compute', 'utility', 'gpu']] }, undefined],
    ['[services.svc.gpu.nvidia]\ndevices = [0, 1]\ncapabilities = ["compute"]', { Driver: 'nvidia', DeviceIDs: ['0', '1'], Capabilities: [['compute', 'gpu']] }, undefined],
    ['[services.svc.gpu]\nnvidia = true\nruntime = "nvidia"', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }, 'nvidia'],
    ['[services.svc.gpu]\nprofile = "gaming"\nruntime = "ghostnv"', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'graphics', 'gpu']] }, 'ghostnv'],
    ['[services.svc.gpu]\nprofile = "inference"\ndevices = ["gpu:1"]', { Driver: 'nvidia', DeviceIDs: ['1'], Capabilities: [['compute', 'gpu']] }, undefined],
    ['workload_type = "gaming"\ngpu.nvidia = true', { Driver: 'nvidia', Count: -1, Capabilities: [['graphics', 'display', 'utility', 'gpu']] }, undefined],
    ['[services.svc.gpu.nvidia]\ndevices = "all"', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }, undefined],
    ['[services.svc.gpu.nvidia]\ndevice = 1\ndlss = true\nraytracing = true\ncuda = true\npower_limit = 300', { Driver: 'nvidia', DeviceIDs: ['1'], Capabilities: [['compute', 'utility', 'graphics', 'gpu']] }, undefined],
    ['gpu_enabled = true\n[services.svc.gpu]\nisolation_level = "virtual"\nmemory_limit = "8GB"', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }, undefined],
    ['gpu.profile = "ml-training"', { Driver: 'nvidia', Count: -1, Capabilities: [['compute', 'utility', 'gpu']] }, undefined],
  ])('%s', (body, deviceRequest, runtime) => {
    const r = request(`[services.svc]\nimage = "x"\n${body}`);
    expect(r.HostConfig?.DeviceRequests).toEqual([deviceRequest]);
    expect(r.HostConfig?.Runtime).toBe(runtime);
  });

  it('ai-ml environment lands in the request', () => {
    const r = request('[services.svc]\nimage = "x"\nworkload_type = "ai-ml"\ngpu_enabled = true\naiml = { cuda_cache_mb = 4096, tensor_cores_enabled = true, mixed_precision_enabled = true }');
    expect(r.Env).toEqual(
      expect.arrayContaining(['NVIDIA_VISIBLE_DEVICES=all', 'NVIDIA_DRIVER_CAPABILITIES=compute,utility', 'CUDA_CACHE_MAXSIZE=4294967296', 'NVIDIA_TF32_OVERRIDE=1', 'NVBIND_MIXED_PRECISION=1']),
    );
  });

  it('the exact environment of the ai-ml and gaming forms', () => {
    const ai = request('[services.svc]\nimage = "x"\nworkload_type = "ai-ml"\ngpu_enabled = true\n[services.svc.aiml]\ncuda_cache_mb = 4096\ntensor_cores_enabled = true\nmixed_precision_enabled = true');
    expect(ai.Env).toEqual(['NVIDIA_VISIBLE_DEVICES=all', 'NVIDIA_DRIVER_CAPABILITIES=compute,utility', 'CUDA_CACHE_MAXSIZE=4294967296', 'NVIDIA_TF32_OVERRIDE=1', 'NVBIND_MIXED_PRECISION=1']);
    const game = request(
      '[services.svc]\nimage = "x"\nworkload_type = "gaming"\ngpu_enabled = true\n[services.svc.gaming]\ndlss_enabled = true\nraytracing_enabled = true\nperformance_profile = "ultra-low-latency"\nwine_proton_enabled = true\nvrs_enabled = true',
    );
    expect(game.Env).toEqual(['NVIDIA_VISIBLE_DEVICES=all', 'NVIDIA_DRIVER_CAPABILITIES=graphics,display,utility', 'NVBIND_GAMING_PROFILE=ultra-low-latency']);
    expect(game.HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['graphics', 'display', 'utility', 'gpu']] }]);
    // What the user set wins; the device request still carries the devices and capabilities.
    const own = request('[services.svc]\nimage = "x"\ngpu.nvidia = { device = 0 }\nenv.NVIDIA_DRIVER_CAPABILITIES = "all"');
    expect(own.Env).toEqual(['NVIDIA_DRIVER_CAPABILITIES=all', 'NVIDIA_VISIBLE_DEVICES=0']);
  });

  it('no GPU, no device request', () => expect(request('[services.svc]\nimage = "x"').HostConfig?.DeviceRequests).toBeUndefined());
});
