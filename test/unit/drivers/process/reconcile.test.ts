import { describe, expect, it } from 'vitest';
import type { MarkedProcess } from '../../../../src/drivers/process/markers.js';
import { describeProcs, reconcile, replicaOfRecordFile, type Probe } from '../../../../src/drivers/process/reconcile.js';
import type { ProcessRecord, RecordRead } from '../../../../src/drivers/process/state-store.js';

const ME = 'aaaaaaaaaaaaaaaa';
const ELSEWHERE = 'bbbbbbbbbbbbbbbb';
const RUN = '0123456789abcdef';
const STRAY = 'fedcba9876543210';

function record(over: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    version: 1,
    project: 'shop',
    service: 'api',
    replica: 1,
    pid: 100,
    startTime: '5',
    run: RUN,
    configHash: 'hash',
    config: { command: ['x'] },
    command: ['x'],
    createdAt: 'c',
    startedAt: 's',
    stoppedAt: null,
    stoppedBySurge: false,
    ...over,
  };
}

function proc(pid: number, over: Partial<MarkedProcess> = {}): MarkedProcess {
  return { pid, ppid: 1, pgid: 100, startTime: String(pid), project: 'shop', service: 'api', replica: 1, instance: ME, run: RUN, ...over };
}

const ok = (r: ProcessRecord): RecordRead => ({ ok: true, record: r, file: `/x/.surge/shop/${r.service}-${r.replica}.json` });
const corrupt = (name: string): RecordRead => ({ ok: false, file: `/x/.surge/shop/${name}.json`, problem: `corrupt state file ${name}.json (Unexpected end of JSON input); it is not trusted` });

function probe(over: Partial<{ wrapper: boolean; inUse: number[]; codes: Record<string, number> }> = {}): Probe {
  return {
    wrapperIsOurs: () => over.wrapper ?? false,
    pidInUse: (pid) => (over.inUse ?? []).includes(pid),
    exitCode: (service, replica, run) => over.codes?.[`${service}-${replica}.${run}`] ?? null,
  };
}

function observe(reads: RecordRead[], marked: MarkedProcess[], p: Probe) {
  return reconcile({ project: 'shop', instance: ME, reads, marked, probe: p }).map((c) => ({
    id: c.id,
    state: c.state,
    pid: c.pid,
    exitCode: c.exitCode,
    configHash: c.configHash,
    problems: c.problems,
  }));
}

describe('reconcile: a valid record checked against its run', () => {
  it('its wrapper alive and provably its run: running, as recorded', () => {
    expect(observe([ok(record())], [proc(100), proc(101)], probe({ wrapper: true, inUse: [100] }))).toEqual([
      { id: 'process:api-1:100', state: 'running', pid: 100, exitCode: null, configHash: 'hash', problems: [] },
    ]);
  });

  it('nothing of its run alive: exited with the run\'s own exit code', () => {
    expect(observe([ok(record())], [], probe({ codes: { [`api-1.${RUN}`]: 3 } }))).toEqual([
      { id: 'process:api-1:100', state: 'exited', pid: null, exitCode: 3, configHash: 'hash', problems: [] },
    ]);
  });

  it('nothing alive and the pid taken by another process: the stale record is said, the process left alone', () => {
    const [c] = observe([ok(record())], [], probe({ inUse: [100] }));
    expect(c?.state).toBe('exited');
    expect(c?.problems).toEqual(['pid 100 now belongs to another process (pid reuse); the record is stale and that process is left alone']);
  });

  it('the wrapper killed, the service still running: running, adopted as it is, the lowest live pid shown', () => {
    const [c] = observe([ok(record())], [proc(102), proc(101)], probe());
    expect(c).toMatchObject({ state: 'running', pid: 101, exitCode: null, configHash: 'hash' });
    expect(c?.problems).toEqual([
      'the wrapper (pid 100) that records the exit code was killed; the service still runs (pids 101, 102 in group 100) and is adopted as it is, its exit code will not be known; `down` stops it',
    ]);
  });

  it('the main process ended (exit code known) and a child still runs: exited, with the leftover said', () => {
    const [c] = observe([ok(record())], [proc(102)], probe({ codes: { [`api-1.${RUN}`]: 137 } }));
    expect(c).toMatchObject({ state: 'exited', pid: null, exitCode: 137, configHash: 'hash' });
    expect(c?.problems).toEqual(['1 process of this run still runs after it ended (pid 102 in group 100): `up` stops it before it starts the replica again, `down` stops it']);
  });

  it('the record names another live process while its run lives elsewhere: not trusted, so replaced', () => {
    const [c] = observe([ok(record({ pid: 999 }))], [proc(100), proc(101)], probe({ inUse: [999, 100, 101] }));
    expect(c).toMatchObject({ state: 'running', pid: 100, configHash: '', exitCode: null });
    expect(c?.problems[0]).toMatch(/^the record's pid 999 belongs to another process, which is left alone; this replica still runs \(pids 100, 101 in group 100\).*`up` replaces it/);
  });

  it('a recorded run is found by its id even when it started from another folder (the folder moved)', () => {
    const [c] = observe([ok(record())], [proc(101, { instance: ELSEWHERE })], probe());
    expect(c).toMatchObject({ state: 'running', pid: 101 });
  });

  it('a record from before run ids: the wrapper alone decides', () => {
    expect(observe([ok(record({ run: undefined }))], [proc(101, { run: STRAY, instance: ELSEWHERE })], probe({ wrapper: true }))[0]).toMatchObject({ state: 'running', pid: 100 });
    expect(observe([ok(record({ run: undefined }))], [], probe({ codes: { 'api-1.null': 4 } }))[0]).toMatchObject({ state: 'exited', exitCode: 4 });
  });
});

describe('reconcile: processes with no trustworthy record', () => {
  it('a corrupt record whose replica still runs: running, both problems said, config unknown (replaced by up)', () => {
    expect(observe([corrupt('api-1')], [proc(101, { run: STRAY })], probe())).toEqual([
      {
        id: `process:api-1:run:${STRAY}`,
        state: 'running',
        pid: 101,
        exitCode: null,
        configHash: '',
        problems: [
          'corrupt state file api-1.json (Unexpected end of JSON input); it is not trusted',
          'its processes still run (pid 101 in group 100), found by their environment markers: `up` replaces them, `down` stops them',
        ],
      },
    ]);
  });

  it('a corrupt record with nothing alive: dead', () => {
    expect(observe([corrupt('my-api-2')], [], probe())).toEqual([
      { id: 'process:my-api-2:corrupt', state: 'dead', pid: null, exitCode: null, configHash: '', problems: ['corrupt state file my-api-2.json (Unexpected end of JSON input); it is not trusted'] },
    ]);
  });

  it('a replica running with no record at all is reported, and a second copy comes after the recorded one', () => {
    const found = observe([ok(record())], [proc(100), proc(300, { pgid: 300, run: STRAY }), proc(400, { pgid: 400, service: 'web', run: 'abababababababab' })], probe({ wrapper: true }));
    expect(found.map((c) => [c.id, c.state])).toEqual([
      ['process:api-1:100', 'running'],
      [`process:api-1:run:${STRAY}`, 'running'],
      ['process:web-1:run:abababababababab', 'running'],
    ]);
    expect(found[1]?.problems[0]).toMatch(/^a second copy of this replica runs without a state record \(pid 300 in group 300\)/);
    expect(found[2]?.problems[0]).toMatch(/^this replica runs without a state record \(pid 400 in group 400\).*`up` replaces it, `down` stops it$/);
  });

  it('another folder\'s processes (same project name, other instance) are never ours', () => {
    expect(observe([], [proc(100, { instance: ELSEWHERE, run: STRAY })], probe())).toEqual([]);
  });
});

describe('helpers', () => {
  it('record files name their replica; service names may hold dashes and digits', () => {
    expect(replicaOfRecordFile('/a/.surge/p/api-1.json')).toEqual({ service: 'api', replica: 1 });
    expect(replicaOfRecordFile('/a/.surge/p/my-api-2-12.json')).toEqual({ service: 'my-api-2', replica: 12 });
  });

  it('describes processes by pid and group, briefly', () => {
    expect(describeProcs([proc(5, { pgid: 5 }), proc(9, { pgid: 7 })])).toBe('pids 5, 9 in groups 5, 7');
    expect(describeProcs(Array.from({ length: 10 }, (_, i) => proc(i + 1)))).toBe('pids 1, 2, 3, 4, 5, 6, 7, 8, … in group 100');
  });
});
