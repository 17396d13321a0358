import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseMount, parseMountTableEntry } from '../../../../src/planner/load/mounts.js';

const wd = '/srv/app';

describe('parseMount', () => {
  it.each([
    ['data:/var/lib/data', { type: 'volume', source: 'data', target: '/var/lib/data', read_only: false }],
    ['./site:/usr/share/nginx/html:ro', { type: 'bind', source: '/srv/app/site', target: '/usr/share/nginx/html', read_only: true }],
    ['/abs:/path', { type: 'bind', source: '/abs', target: '/path', read_only: false }],
    ['/tmp/.X11-unix:/tmp/.X11-unix:rw', { type: 'bind', source: '/tmp/.X11-unix', target: '/tmp/.X11-unix', read_only: false }],
    ['~/.cache:/cache', { type: 'bind', source: `${homedir()}/.cache`, target: '/cache', read_only: false }],
    ['/var/cache', { type: 'volume', source: null, target: '/var/cache', read_only: false }],
    ['./x:/y:ro,z', { type: 'bind', source: '/srv/app/x', target: '/y', read_only: true }],
  ] as const)('%s', (input, expected) => {
    expect(parseMount(input, wd)).toEqual({ ok: true, value: expected });
  });

  it('reads the long form', () => {
    expect(parseMount({ type: 'bind', source: './conf', target: '/etc/conf', read_only: true }, wd)).toEqual({
      ok: true,
      value: { type: 'bind', source: '/srv/app/conf', target: '/etc/conf', read_only: true },
    });
    expect(parseMount({ source: 'data', target: '/data' }, wd)).toEqual({ ok: true, value: { type: 'volume', source: 'data', target: '/data', read_only: false } });
    expect(parseMount({ type: 'tmpfs', target: '/run' }, wd)).toEqual({ ok: true, value: { type: 'tmpfs', source: null, target: '/run', read_only: false } });
  });

  it('reads the `source = "target:mode"` table form', () => {
    expect(parseMountTableEntry('/proc', '/host/proc:ro', wd)).toEqual({ ok: true, value: { type: 'bind', source: '/proc', target: '/host/proc', read_only: true } });
    expect(parseMountTableEntry('gpanel_data', '/data', wd)).toEqual({ ok: true, value: { type: 'volume', source: 'gpanel_data', target: '/data', read_only: false } });
  });

  it.each([
    ['data:relative', 'the container path must be absolute'],
    ['a:/b:bogus', 'invalid volume mode "bogus"'],
    ['a:/b:ro:x', 'invalid volume'],
  ])('rejects %j', (input, fragment) => {
    const r = parseMount(input, wd);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(fragment);
  });
});
