// compose-go's extra_hosts cases (types/hostList_test.go with both separators, loader/tests/extra_hosts_test.go):
// every form becomes the engine's "host:ip", one per address, brackets removed.
import { describe, expect, it } from 'vitest';
import { parseExtraHosts } from '../../../../src/planner/load/extra-hosts.js';
import { loadError, loadToml } from '../../../fixtures/load-toml.js';

describe.each(['=', ':'])('extra_hosts list with "%s"', (sep) => {
  it.each([
    ['IPv4', [`myhost${sep}192.168.0.1`], ['myhost:192.168.0.1']],
    ['IPv4 with brackets', [`myhost${sep}[192.168.0.1]`], ['myhost:192.168.0.1']],
    ['host and domain', [`host.invalid${sep}10.0.2.1`], ['host.invalid:10.0.2.1']],
    ['IPv6', [`anipv6host${sep}2003:ab34:e::1`], ['anipv6host:2003:ab34:e::1']],
    ['IPv6, brackets', [`anipv6host${sep}[2003:ab34:e::1]`], ['anipv6host:2003:ab34:e::1']],
    ['IPv6 localhost', [`ipv6local${sep}::1`], ['ipv6local:::1']],
    ['IPv6 localhost, brackets', [`ipv6local${sep}[::1]`], ['ipv6local:::1']],
    ['host-gateway', [`host.docker.internal${sep}host-gateway`], ['host.docker.internal:host-gateway']],
    ['several', [`myhost${sep}192.168.0.1`, `anipv6host${sep}[2003:ab34:e::1]`], ['myhost:192.168.0.1', 'anipv6host:2003:ab34:e::1']],
  ])('%s', (_doc, input, expected) => {
    expect(parseExtraHosts(input)).toEqual({ ok: true, value: expected });
  });
});

describe('extra_hosts, the other forms', () => {
  it.each([
    ['both IPv4 and IPv6 for one host', ['foo:127.0.0.2', 'foo:ff02::1'], ['foo:127.0.0.2', 'foo:ff02::1']],
    ['a list of addresses', ['foo=127.0.0.2,127.0.0.3'], ['foo:127.0.0.2', 'foo:127.0.0.3']],
    ['a table', { alpha: '50.31.209.229', zulu: '162.242.195.82' }, ['alpha:50.31.209.229', 'zulu:162.242.195.82']],
    ['a table with several addresses', { myhost: ['0.0.0.1', '0.0.0.2'] }, ['myhost:0.0.0.1', 'myhost:0.0.0.2']],
  ])('%s', (_doc, input, expected) => {
    expect(parseExtraHosts(input)).toEqual({ ok: true, value: expected });
  });

  it.each([['::::1'], ['=::1'], ['nohost']])('rejects %j', (entry) => {
    expect(parseExtraHosts([entry]).ok).toBe(false);
  });

  it('is located in the Boltfile', () => {
    expect(loadError('[services.web]\nimage = "x"\nextra_hosts = ["ok=1.2.3.4", "=::1"]')).toMatch(/^Boltfile\.toml:3:\d+: services\.web\.extra_hosts\[1\]: bad host name ""/);
    expect(loadToml('[services.web]\nimage = "x"\nextra_hosts = ["zulu:127.0.0.2", "zulu:ff02::1"]').project.services.web?.extra_hosts).toEqual(['zulu:127.0.0.2', 'zulu:ff02::1']);
  });
});
