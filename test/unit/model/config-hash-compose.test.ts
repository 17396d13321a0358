// The config hash and compose's keys: a key left out never moves the hash (every stack already running keeps its
// containers), each key set forces a new container, and secret content counts without ever being stored.
import { describe, expect, it } from 'vitest';
import { canonicalServiceConfig, networkConfigHash, serviceConfigHash, stableStringify, volumeConfigHash } from '../../../src/model/config-hash.js';
import { loadToml } from '../../fixtures/load-toml.js';

const BASE = '[services.web]\nimage = "nginx:1.27"\n';

function hashOf(extra: string, top = ''): string {
  const s = loadToml(`${top}${BASE}${extra}`, { files: { 'token.txt': 'x' }, env: { TOKEN: 'one', COMPOSE_PROFILES: 'debug' } }).project.services.web;
  if (!s) throw new Error('no web');
  return serviceConfigHash(s, null);
}

describe('config hash with compose keys', () => {
  it('keys that are not set, or set to their default, leave the hash alone', () => {
    const base = hashOf('');
    for (const unchanged of ['profiles = ["debug"]', 'pull_policy = "always"', 'attach = true', 'stdin_open = false', 'tty = false', 'expose = []', 'post_start = [{ command = "true" }]', 'pre_stop = [{ command = "true" }]', 'deploy = { update_config = { parallelism = 2 } }', 'ports = []', 'oom_kill_disable = false', 'security_opt = []']) {
      expect(hashOf(unchanged), unchanged).toBe(base);
    }
  });

  it.each([
    'container_name = "web-main"',
    'expose = ["3000"]',
    'init = true',
    'init = false',
    'ulimits = { nofile = { soft = 1024, hard = 2048 } }',
    'sysctls = { "net.core.somaxconn" = 1024 }',
    'shm_size = "64m"',
    'network_mode = "host"',
    'pid = "host"',
    'ipc = "shareable"',
    'uts = "host"',
    'userns_mode = "host"',
    'cgroup = "private"',
    'cgroup_parent = "m-executor"',
    'logging = { driver = "json-file", options = { max-size = "1m" } }',
    'security_opt = ["no-new-privileges:true"]',
    'stdin_open = true',
    'tty = true',
    'group_add = ["mail"]',
    'dns_search = ["example.com"]',
    'dns_opt = ["use-vc"]',
    'domainname = "example.com"',
    'mac_address = "02:42:ac:11:65:43"',
    'oom_score_adj = -500',
    'oom_kill_disable = true',
    'mem_reservation = "64m"',
    'memswap_limit = -1',
    'mem_swappiness = 10',
    'cpu_shares = 512',
    'cpu_period = 100000',
    'cpu_quota = 50000',
    'cpu_rt_period = 1000000',
    'cpu_rt_runtime = 950000',
    'cpuset = "0,1"',
    'pids_limit = 100',
    'blkio_config = { weight = 300 }',
    'device_cgroup_rules = ["c 1:3 mr"]',
    'runtime = "runc"',
    'storage_opt = { size = "1G" }',
    'annotations = { "com.example.a" = "1" }',
    'healthcheck = { test = ["CMD", "true"], start_interval = "1s" }',
    'deploy = { resources = { limits = { pids = 50 } } }',
    'gpus = "all"',
    'use_api_socket = true',
    'ports = [{ target = 80, published = "8000-8010" }]',
    'volumes = [{ type = "tmpfs", target = "/cache", tmpfs = { size = "1m" } }]',
  ])('%s forces a new container', (extra) => {
    expect(hashOf(extra)).not.toBe(hashOf(''));
  });

  it('a port\'s name, app_protocol and mode describe it and change nothing the engine binds', () => {
    expect(hashOf('ports = [{ target = 80, published = 8080, name = "http", app_protocol = "http", mode = "host" }]')).toBe(hashOf('ports = ["8080:80"]'));
  });

  it('secret content from the environment counts in the hash, and is in no stored form', () => {
    const top = '[secrets.token]\nenvironment = "TOKEN"\n';
    const load = (value: string) => {
      const s = loadToml(`${top}${BASE}secrets = ["token"]\n`, { env: { TOKEN: value } }).project.services.web;
      if (!s) throw new Error('no web');
      return s;
    };
    const one = load('first-value');
    const two = load('second-value');
    expect(serviceConfigHash(one, null)).not.toBe(serviceConfigHash(two, null));
    expect(stableStringify(canonicalServiceConfig(one, null))).toBe(stableStringify(canonicalServiceConfig(two, null)));
    expect(JSON.stringify(one)).not.toContain('first-value');
    expect(stableStringify(canonicalServiceConfig(one, null))).toContain('/run/secrets/token');
  });

  it('networks and volumes keep their hash unless compose keys are set', () => {
    const plain = loadToml('[networks.front]\n[volumes.data]\n' + BASE).project;
    const named = loadToml('[networks.front]\nname = "corp-front"\nenable_ipv4 = false\n[volumes.data]\nname = "corp-data"\n' + BASE).project;
    const ipam = loadToml('[networks.front]\nipam = { config = [{ subnet = "10.5.0.0/16" }] }\n[volumes.data]\n' + BASE).project;
    expect(networkConfigHash(named.networks.front!)).not.toBe(networkConfigHash(plain.networks.front!));
    expect(networkConfigHash(ipam.networks.front!)).not.toBe(networkConfigHash(plain.networks.front!));
    expect(volumeConfigHash(named.volumes.data!)).not.toBe(volumeConfigHash(plain.volumes.data!));
    expect(networkConfigHash(loadToml('[networks.front]\nenable_ipv4 = true\n' + BASE).project.networks.front!)).toBe(networkConfigHash(plain.networks.front!));
  });
});
