// What the Docker driver makes of the engine's answers for images, events and stats.
import { describe, expect, it } from 'vitest';
import { eventTime, toEngineEvent } from '../../../../src/drivers/docker/events.js';
import { splitImageRef } from '../../../../src/drivers/docker/inspect-ops.js';
import { cpuPercentOf, memoryOf, sampleFrom } from '../../../../src/drivers/docker/stats.js';
import type { ObservedContainer } from '../../../../src/model/observed.js';

describe('image references', () => {
  it('splits as compose shows them: familiar name and tag', () => {
    expect(splitImageRef('nginx')).toEqual({ repository: 'nginx', tag: 'latest' });
    expect(splitImageRef('docker.io/library/nginx:1.27')).toEqual({ repository: 'nginx', tag: '1.27' });
    expect(splitImageRef('localhost:5000/team/app:2')).toEqual({ repository: 'localhost:5000/team/app', tag: '2' });
    expect(splitImageRef('localhost:5000/team/app')).toEqual({ repository: 'localhost:5000/team/app', tag: 'latest' });
    expect(splitImageRef('app@sha256:abc')).toEqual({ repository: 'app', tag: '' });
    expect(splitImageRef(`sha256:${'a'.repeat(64)}`)).toEqual({ repository: '', tag: '' });
  });
});

describe('events', () => {
  it('keeps container events of services, leaves out one-offs and surge\'s labels, with nanosecond times', () => {
    const e = toEngineEvent({
      Type: 'container',
      Action: 'die',
      timeNano: '1767225600123456789',
      Actor: { ID: 'abc', Attributes: { 'surge.service': 'web', 'surge.project': 'shop', name: 'shop-web-1', exitCode: '3', team: 'x' } },
    });
    expect(e).toEqual({ time: '2026-01-01T00:00:00.123456789Z', type: 'container', service: 'web', id: 'abc', action: 'die', attributes: { name: 'shop-web-1', exitCode: '3', team: 'x' } });
    expect(toEngineEvent({ Type: 'network', Action: 'connect' })).toBeNull();
    expect(toEngineEvent({ Type: 'container', Action: 'start', Actor: { Attributes: { 'surge.oneoff': 'true' } } })).toBeNull();
    expect(eventTime({ time: 1767225600 })).toBe('2026-01-01T00:00:00.000000000Z');
  });
});

describe('stats', () => {
  const c = { id: 'abc', name: 'shop-web-1', service: 'web' } as ObservedContainer;

  it('computes CPU and memory as the docker CLI does', () => {
    const s = {
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 10_000, limit: 100_000, stats: { total_inactive_file: 4_000 } },
      networks: { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 5 }, { op: 'Write', value: 7 }, { op: 'read', value: 1 }] },
      pids_stats: { current: 3 },
    };
    expect(cpuPercentOf(s)).toBe(40);
    expect(memoryOf(s)).toBe(6_000);
    expect(memoryOf({ memory_stats: { usage: 10_000, stats: { inactive_file: 1_000 } } })).toBe(9_000);
    expect(sampleFrom(c, s)).toEqual({ id: 'abc', name: 'shop-web-1', service: 'web', cpuPercent: 40, memoryBytes: 6_000, memoryLimitBytes: 100_000, netRxBytes: 11, netTxBytes: 22, blockReadBytes: 6, blockWriteBytes: 7, pids: 3 });
    expect(cpuPercentOf({})).toBe(0);
  });
});
