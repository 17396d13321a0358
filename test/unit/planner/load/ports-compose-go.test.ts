// compose-go's port cases (types/types_test.go TestParsePortConfig, transform/ports_test.go, loader/tests/ports_test.go)
// as the model surge normalizes them to. surge keeps a range as one mapping ("9000-9002") where compose-go splits it
// per port: the engine request (container-spec) expands it the same way.
import { describe, expect, it } from 'vitest';
import { parsePort } from '../../../../src/planner/load/ports.js';

const tcp = (target: string, published: string | null = null, host_ip: string | null = null) => ({ target, published, host_ip, protocol: 'tcp' });

describe('ports, compose-go cases', () => {
  it.each([
    ['80', tcp('80')],
    ['80:8080', tcp('8080', '80')],
    ['80-90:8080', tcp('8080', '80-90')],
    ['8080:80/tcp', tcp('80', '8080')],
    ['80:8080/udp', { ...tcp('8080', '80'), protocol: 'udp' }],
    ['80-81:8080-8081/tcp', tcp('8080-8081', '80-81')],
    ['80-82:8080-8082/udp', { ...tcp('8080-8082', '80-82'), protocol: 'udp' }],
    ['80-82:8080/udp', { ...tcp('8080', '80-82'), protocol: 'udp' }],
    ['80-80:8080/tcp', tcp('8080', '80')],
    ['1.1.1.1:80:80', tcp('80', '80', '1.1.1.1')],
    ['127.0.0.1:8080:80', tcp('80', '8080', '127.0.0.1')],
    ['127.0.0.1::80', tcp('80', null, '127.0.0.1')],
    ['[::1]:8080:80', tcp('80', '8080', '::1')],
    ['::1:8080:80', tcp('80', '8080', '::1')],
    ['[::1]::80', tcp('80', null, '::1')],
    ['9000:9000/sctp', { ...tcp('9000', '9000'), protocol: 'sctp' }],
    [8600, tcp('8600')],
  ] as const)('%j', (input, expected) => {
    expect(parsePort(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['9999999', 'invalid container port "9999999"'],
    ['80/xyz', 'invalid protocol "xyz"'],
    ['tcp', 'invalid container port "tcp"'],
    ['', 'no port specified'],
    ['127.0.1:8080:80', 'invalid IP address "127.0.1"'],
    ['80:8080-8081', 'differ in size'],
  ])('rejects %j', (input, fragment) => {
    const r = parsePort(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(fragment);
  });

  it('long form: mode, name and app_protocol are kept; published may be a range', () => {
    expect(parsePort({ target: 80, published: 8080, protocol: 'tcp', mode: 'host' })).toEqual({ ok: true, value: { ...tcp('80', '8080'), mode: 'host' } });
    expect(parsePort({ name: 'http', published: 8080, target: 80 })).toEqual({ ok: true, value: { ...tcp('80', '8080'), name: 'http' } });
    expect(parsePort({ published: 8080, target: 80, protocol: 'tcp', app_protocol: 'http' })).toEqual({ ok: true, value: { ...tcp('80', '8080'), app_protocol: 'http' } });
    expect(parsePort({ target: 80, published: '8000-8010', host_ip: '127.0.0.1' })).toEqual({ ok: true, value: tcp('80', '8000-8010', '127.0.0.1') });
    expect(parsePort({ target: 80, host_ip: '300.1.1.1' }).ok).toBe(false);
  });
});
