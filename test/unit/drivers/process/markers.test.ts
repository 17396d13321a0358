import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { instanceId, markersFrom, newRunId, parseEnviron, RUN_ID } from '../../../../src/drivers/process/markers.js';

const root = mkdtempSync(join(tmpdir(), 'surge-markers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const good = { SURGE_PROJECT: 'shop', SURGE_SERVICE: 'api', SURGE_REPLICA: '2', SURGE_INSTANCE: '00ff00ff00ff00ff', SURGE_RUN: '0123456789abcdef' };

describe('run markers', () => {
  it('parses /proc/PID/environ text: NUL-separated, values may hold "=", the first of a repeated key wins', () => {
    expect(parseEnviron('A=1\0B=x=y\0\0NOEQ\0=bad\0A=2\0')).toEqual({ A: '1', B: 'x=y' });
    expect(parseEnviron('')).toEqual({});
  });

  it('reads the markers of a run, and none when any is missing or malformed', () => {
    expect(markersFrom(good)).toEqual({ project: 'shop', service: 'api', replica: 2, instance: '00ff00ff00ff00ff', run: '0123456789abcdef' });
    for (const key of Object.keys(good)) expect(markersFrom({ ...good, [key]: undefined }), key).toBeNull();
    expect(markersFrom({ ...good, SURGE_REPLICA: '0' })).toBeNull();
    expect(markersFrom({ ...good, SURGE_REPLICA: '1.5' })).toBeNull();
    expect(markersFrom({ ...good, SURGE_RUN: 'not-a-run-id' })).toBeNull();
  });

  it('run ids are 16 hex digits and differ', () => {
    const ids = new Set(Array.from({ length: 50 }, newRunId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(RUN_ID);
  });

  it('the instance tells folders apart when project names collide, and is the same through a symlink', () => {
    const a = join(root, 'a', 'shop');
    const b = join(root, 'b', 'shop');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    symlinkSync(a, join(root, 'link'));
    expect(instanceId(a, 'shop')).toMatch(/^[0-9a-f]{16}$/);
    expect(instanceId(a, 'shop')).not.toBe(instanceId(b, 'shop'));
    expect(instanceId(a, 'shop')).not.toBe(instanceId(a, 'other'));
    expect(instanceId(join(root, 'link'), 'shop')).toBe(instanceId(a, 'shop'));
    expect(instanceId(join(root, 'gone'), 'shop')).toBe(instanceId(join(root, 'gone'), 'shop'));
  });
});
