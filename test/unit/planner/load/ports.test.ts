import { describe, expect, it } from 'vitest';
import { formatPort, parsePort } from '../../../../src/planner/load/ports.js';

describe('parsePort', () => {
  it.each([
    ['80', { target: '80', published: null, host_ip: null, protocol: 'tcp' }],
    ['8080:80', { target: '80', published: '8080', host_ip: null, protocol: 'tcp' }],
    ['127.0.0.1:8080:80', { target: '80', published: '8080', host_ip: '127.0.0.1', protocol: 'tcp' }],
    ['127.0.0.1::80', { target: '80', published: null, host_ip: '127.0.0.1', protocol: 'tcp' }],
    ['4433:4433/udp', { target: '4433', published: '4433', host_ip: null, protocol: 'udp' }],
    ['27015:27015/UDP', { target: '27015', published: '27015', host_ip: null, protocol: 'udp' }],
    ['8000-8002:9000-9002', { target: '9000-9002', published: '8000-8002', host_ip: null, protocol: 'tcp' }],
    ['[::1]:8080:80/tcp', { target: '80', published: '8080', host_ip: '::1', protocol: 'tcp' }],
    [53, { target: '53', published: null, host_ip: null, protocol: 'tcp' }],
    [{ target: 80, published: 8080, protocol: 'udp' as const }, { target: '80', published: '8080', host_ip: null, protocol: 'udp' }],
  ] as const)('%j', (input, expected) => {
    expect(parsePort(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['abc', 'invalid container port "abc"'],
    ['80/icmp', 'invalid protocol "icmp"'],
    ['70000', '(ports are 1-65535)'],
    ['8000-8002:9000-9005', 'differ in size'],
    ['1:2:3:4', 'use "C", "H:C" or "IP:H:C"'],
  ])('rejects %j', (input, fragment) => {
    const r = parsePort(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(fragment);
  });

  it('formats for display', () => {
    expect(formatPort({ target: '80', published: '8080', host_ip: null, protocol: 'tcp' })).toBe('0.0.0.0:8080->80/tcp');
    expect(formatPort({ target: '53', published: null, host_ip: null, protocol: 'udp' })).toBe('53/udp');
    expect(formatPort({ target: '80', published: null, host_ip: '127.0.0.1', protocol: 'tcp' })).toBe('127.0.0.1::80/tcp');
  });
});
