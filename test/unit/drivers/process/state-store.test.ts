import { chmodSync, closeSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atomicWrite, StateStore, type ProcessRecord } from '../../../../src/drivers/process/state-store.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function store(): StateStore {
  const root = mkdtempSync(join(tmpdir(), 'surge-store-'));
  roots.push(root);
  const s = new StateStore(root, 'shop');
  s.ensure();
  return s;
}

const RUN = '0123456789abcdef';
const OTHER = 'fedcba9876543210';

function record(over: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    version: 1,
    project: 'shop',
    service: 'api',
    replica: 1,
    pid: 4242,
    startTime: '99',
    run: RUN,
    configHash: 'h',
    config: null,
    command: ['sleep', '1'],
    createdAt: 'c',
    startedAt: 's',
    stoppedAt: null,
    stoppedBySurge: false,
    ...over,
  };
}

describe('state store', () => {
  it('an exit code belongs to its run: another run\'s file or the legacy file is never read for it', () => {
    const s = store();
    writeFileSync(s.exitFile('api', 1, OTHER), '7');
    writeFileSync(s.exitFile('api', 1, null), '7');
    expect(s.readExitCode('api', 1, RUN)).toBeNull();
    s.writeExitCode('api', 1, RUN, 137);
    expect(s.readExitCode('api', 1, RUN)).toBe(137);
    expect(s.readExitCode('api', 1, null)).toBe(7);
    writeFileSync(s.exitFile('api', 1, RUN), 'oops');
    expect(s.readExitCode('api', 1, RUN)).toBeNull();
  });

  it('clears every exit file of one replica (legacy, runs, temp files), and nothing of other replicas or services', () => {
    const s = store();
    const mine = [s.exitFile('api', 1, null), s.exitFile('api', 1, RUN), `${s.exitFile('api', 1, OTHER)}.tmp`];
    const others = [s.exitFile('api', 2, RUN), s.exitFile('api-1', 1, RUN), s.exitFile('api', 11, null), join(s.dir, 'api-1.json')];
    for (const f of [...mine, ...others]) writeFileSync(f, '0');
    s.clearExitCodes('api', 1);
    expect(readdirSync(s.dir).filter((n) => n !== 'logs').sort()).toEqual(others.map((f) => f.slice(s.dir.length + 1)).sort());
  });

  it('records with a malformed run id are corrupt; records without one (earlier surge) are read', () => {
    const s = store();
    s.write(record());
    s.write(record({ replica: 2, run: undefined }));
    writeFileSync(s.recordFile('api', 3), JSON.stringify(record({ replica: 3, run: '../../etc' })));
    const reads = s.readAll();
    expect(reads.map((r) => r.ok)).toEqual([true, true, false]);
    expect(reads[2]).toMatchObject({ ok: false, problem: expect.stringMatching(/^corrupt state file .*api-3\.json \(missing or invalid fields\); it is not trusted$/) });
  });

  it('writes are private whatever mode a file had: records, temp files, logs, set-aside records', () => {
    const s = store();
    const file = s.recordFile('api', 1);
    writeFileSync(`${file}.${process.pid}.tmp`, 'stale', { mode: 0o666 });
    chmodSync(`${file}.${process.pid}.tmp`, 0o666);
    atomicWrite(file, '{}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(s.logFile('api', 1), 'old\n', { mode: 0o644 });
    closeSync(s.openLog('api', 1));
    expect(statSync(s.logFile('api', 1)).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'garbage', { mode: 0o644 });
    chmodSync(file, 0o644);
    const aside = s.setAsideCorrupt('api', 1);
    expect(aside).toMatch(/api-1\.json\.corrupt-/);
    expect(statSync(aside as string).mode & 0o777).toBe(0o600);
    for (const d of [s.root, s.dir, s.logDir]) chmodSync(d, 0o755);
    s.ensure();
    for (const d of [s.root, s.dir, s.logDir]) expect(statSync(d).mode & 0o777).toBe(0o700);
  });
});
