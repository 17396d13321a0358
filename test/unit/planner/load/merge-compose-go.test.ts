// compose-go's merge tables (override/merge_*_test.go, override/uncity_test.go), ported: two compose documents
// merged as two -f files are, then made unique, must equal the document compose-go's test expects. Mappings written
// as lists or tables (environment, labels, depends_on, networks…) are compared as tables: surge keeps a table where
// both sides wrote one, compose-go always makes a list, and both mean the same mapping.
import { describe, expect, it } from 'vitest';
import { shapeComposeDocument } from '../../../../src/planner/load/compose-shape.js';
import { applyMarkers } from '../../../../src/planner/load/load-document.js';
import { dropResets, mappingKind, mergeInto } from '../../../../src/planner/load/merge-files.js';
import { enforceUnicity } from '../../../../src/planner/load/merge-unicity.js';
import { markTree } from '../../../../src/planner/load/provenance.js';
import type { Path } from '../../../../src/planner/load/schema-walk.js';
import { isPlainObject } from '../../../../src/planner/load/tree.js';
import { parseYaml } from '../../../../src/planner/load/yaml-source.js';

function layer(yaml: string): Record<string, unknown> {
  const [doc] = parseYaml(yaml, 'test.yaml');
  if (!doc) throw new Error('no document');
  markTree(doc.data, { display: 'test.yaml', locations: doc.locations });
  applyMarkers(doc.data, doc.resets, doc.overrides);
  shapeComposeDocument(doc.data, { warn: () => undefined });
  return doc.data;
}

/** Mappings as tables: "K=V" → { K: "V" }, a bare "K" → { K: null }; names → { name: {} }. */
function canonical(value: unknown, path: Path = []): unknown {
  const kind = path.length ? mappingKind(path) : null;
  if (kind === 'names') {
    const table: Record<string, unknown> = {};
    if (Array.isArray(value)) for (const n of value) table[String(n)] = {};
    else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) table[k] = v === null ? {} : canonical(v, [...path, k]);
    return table;
  }
  if (kind) {
    const table: Record<string, unknown> = {};
    if (Array.isArray(value)) {
      for (const e of value) {
        const s = String(e);
        const eq = s.indexOf('=');
        if (eq < 0) table[s] = null;
        else table[s.slice(0, eq)] = s.slice(eq + 1);
      }
    } else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) table[k] = v === null ? null : String(v);
    return table;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonical(v, [...path, i]));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v, [...path, k])]));
  return value;
}

function merged(right: string, left: string): unknown {
  const m = mergeInto(layer(right), layer(left));
  dropResets(m);
  enforceUnicity(m);
  return canonical(m);
}

function expected(yaml: string): unknown {
  const d = layer(yaml);
  enforceUnicity(d);
  return canonical(d);
}

const svc = (body: string): string => `services:\n  test:\n${body.replace(/^/gm, '    ')}\n`;

// [compose-go test, earlier file, later file, expected]
const CASES: [string, string, string, string][] = [
  ['merge_test.go Test_mergeOverrides', svc('image: foo\nscale: 1'), svc('image: bar\nscale: 2'), svc('image: bar\nscale: 2')],
  [
    'merge_build_test.go Test_mergeYamlBuildSequence',
    svc('build:\n  context: .\n  args: [FOO=BAR]\n  additional_contexts: [resources=/path/to/resources, app=docker-image://my-app:latest]\n  platform: [linux/amd64]\n  tags: ["myimage:mytag"]\n  extra_hosts: [somehost=162.242.195.82, otherhost=50.31.209.229]'),
    svc('build:\n  context: .\n  args: [GIT_COMMIT=cdc3b19, EMPTY=, NIL]\n  additional_contexts: [source=https://github.com/myuser/project.git]\n  platform: [linux/arm64, linux/amd64, unsupported/unsupported]\n  tags: ["myimage:mytag", "registry/username/myrepos:my-other-tag"]\n  extra_hosts: [otherhost=50.31.209.230, "myhostv6=::1"]'),
    svc('build:\n  context: .\n  args: [FOO=BAR, GIT_COMMIT=cdc3b19, EMPTY=, NIL]\n  additional_contexts: [resources=/path/to/resources, app=docker-image://my-app:latest, source=https://github.com/myuser/project.git]\n  platform: [linux/amd64, linux/arm64, unsupported/unsupported]\n  tags: ["myimage:mytag", "registry/username/myrepos:my-other-tag"]\n  extra_hosts: [somehost=162.242.195.82, otherhost=50.31.209.229, otherhost=50.31.209.230, "myhostv6=::1"]'),
  ],
  [
    'merge_build_test.go Test_mergeYamlArgsMapping',
    svc('build:\n  context: .\n  args: {FOO: BAR}\n  additional_contexts: {source: "https://github.com/myuser/project.git"}'),
    svc('build:\n  context: .\n  args: {EMPTY: "", NIL: null, QIX: ZOT}\n  additional_contexts: {app: "docker-image://my-app:latest", resources: /path/to/resources}'),
    svc('build:\n  context: .\n  args: [FOO=BAR, EMPTY=, NIL, QIX=ZOT]\n  additional_contexts: [source=https://github.com/myuser/project.git, app=docker-image://my-app:latest, resources=/path/to/resources]'),
  ],
  [
    'merge_build_test.go Test_mergeYamlArgsMixed',
    svc('build:\n  context: .\n  args: {FOO: BAR}\n  additional_contexts: [resources=/path/to/resources, app=docker-image://my-app:latest]\n  platform: linux/amd64\n  tags: ["myimage:mytag"]'),
    svc('build:\n  args: [QIX=ZOT]\n  additional_contexts: {app: "docker-image://new-app:latest", source: "https://github.com/myuser/project.git"}\n  tags: ["registry/username/myrepos:my-other-tag"]'),
    svc('build:\n  context: .\n  args: [FOO=BAR, QIX=ZOT]\n  additional_contexts: [resources=/path/to/resources, app=docker-image://new-app:latest, source=https://github.com/myuser/project.git]\n  platform: linux/amd64\n  tags: ["myimage:mytag", "registry/username/myrepos:my-other-tag"]'),
  ],
  ['merge_build_test.go Test_mergeYamlArgsNumber', svc('build:\n  context: .\n  args: {FOO: 1}'), svc('build:\n  context: .\n  args: {FOO: 3}'), svc('build:\n  context: .\n  args: [FOO=3]')],
  [
    'merge_cap_test.go TestMergeCAPSequence',
    svc('image: foo\ncap_add: [CAP_BPF, CAP_CHOWN]\ncap_drop: [NET_ADMIN, SYS_ADMIN]'),
    svc('cap_add: [CAP_KILL, CAP_CHOWN]\ncap_drop: [NET_ADMIN, CAP_FOWNER]'),
    svc('image: foo\ncap_add: [CAP_BPF, CAP_CHOWN, CAP_KILL]\ncap_drop: [NET_ADMIN, SYS_ADMIN, CAP_FOWNER]'),
  ],
  [
    'merge_devices_test.go Test_mergeYamlDevices',
    svc("image: foo\ndevices: ['/dev/sda:/dev/sda', '/dev/sdb:/dev/sdb']"),
    svc("devices: ['/dev/sde:/dev/sde', '/dev/sdf:/dev/sdf']"),
    svc("image: foo\ndevices: ['/dev/sda:/dev/sda', '/dev/sdb:/dev/sdb', '/dev/sde:/dev/sde', '/dev/sdf:/dev/sdf']"),
  ],
  [
    'merge_devices_test.go Test_mergeYamlDevicesOverride',
    svc("image: foo\ndevices: ['/dev/sda:/dev/sda', '/dev/sdb:/dev/sdb', '/dev/sdc:/dev/sdc', '/dev/sdd:/dev/sdd']"),
    svc("devices: ['/dev/nvme0n1p1:/dev/sda', '/dev/nvme1n1p1:/dev/sdb', '/dev/nvme2n1p1:/dev/sdc']"),
    svc("image: foo\ndevices: ['/dev/nvme0n1p1:/dev/sda', '/dev/nvme1n1p1:/dev/sdb', '/dev/nvme2n1p1:/dev/sdc', '/dev/sdd:/dev/sdd']"),
  ],
  [
    'merge_dns_test.go Test_mergeYamlDNSSequence',
    svc('image: foo\ndns: [8.8.8.8]\ndns_opt: [use-vc]\ndns_search: [dc1.example.com]'),
    svc('dns: [9.9.9.9]\ndns_opt: [no-tld-query]\ndns_search: [dc2.example.com]'),
    svc('image: foo\ndns: [8.8.8.8, 9.9.9.9]\ndns_opt: [use-vc, no-tld-query]\ndns_search: [dc1.example.com, dc2.example.com]'),
  ],
  [
    'merge_dns_test.go Test_mergeYamlDNSMixed',
    svc('image: foo\ndns: [8.8.8.8, 10.10.10.10, 9.9.9.9]\ndns_opt: [use-vc, no-tld-query]\ndns_search: [dc1.example.com, dc2.example.com]'),
    svc('dns: 9.9.9.9\ndns_opt: [no-tld-query]\ndns_search: dc2.example.com'),
    svc('image: foo\ndns: [8.8.8.8, 10.10.10.10, 9.9.9.9]\ndns_opt: [use-vc, no-tld-query]\ndns_search: [dc1.example.com, dc2.example.com]'),
  ],
  ['merge_env_file_test.go TestMergeEnvFilesSequence', svc('image: foo\nenv_file: [foo.env]'), svc('env_file: [bar.env, baz.env]'), svc('image: foo\nenv_file: [foo.env, bar.env, baz.env]')],
  ['merge_env_file_test.go TestMergeEnvFilesString', svc('image: foo\nenv_file: foo.env'), svc('env_file: bar.env'), svc('image: foo\nenv_file: [foo.env, bar.env]')],
  ['merge_env_file_test.go TestMergeEnvFilesMixed/SequenceThenString', svc('env_file: foo.env'), svc('env_file: [bar.env, foo.env]'), svc('env_file: [foo.env, bar.env]')],
  ['merge_env_file_test.go TestMergeEnvFilesMixed/StringThenSequence', svc('env_file: [bar.env, foo.env]'), svc('env_file: foo.env'), svc('env_file: [bar.env, foo.env]')],
  [
    'merge_env_file_test.go TestMergeEnvFilesMixed/Unicity between string and mapping',
    svc('env_file: [bar.env, foo.env]'),
    svc('env_file:\n  - path: foo.env\n    required: true'),
    svc('env_file:\n  - bar.env\n  - path: foo.env\n    required: true'),
  ],
  ['merge_environment_test.go Test_mergeYamlEnvironmentSequence', svc('image: foo\nenvironment: [FOO=BAR]'), svc('environment: [QIX=ZOT, EMPTY=, NIL]'), svc('image: foo\nenvironment: [FOO=BAR, QIX=ZOT, EMPTY=, NIL]')],
  ['merge_environment_test.go Test_mergeYamlEnvironmentMapping', svc('image: foo\nenvironment: {FOO: BAR}'), svc('environment: {EMPTY: "", NIL: null, QIX: ZOT}'), svc('image: foo\nenvironment: [FOO=BAR, EMPTY=, NIL, QIX=ZOT]')],
  ['merge_environment_test.go Test_mergeYamlEnvironmentMixed', svc('image: foo\nenvironment: {FOO: BAR}'), svc('environment: [QIX=ZOT]'), svc('image: foo\nenvironment: [FOO=BAR, QIX=ZOT]')],
  ['merge_environment_test.go Test_mergeYamlEnvironmentNumber', svc('environment: {FOO: 1}'), svc('environment: {FOO: 3}'), svc('environment: [FOO=3]')],
  [
    'merge_extra_hosts_test.go TestMergeExtraHostsSequence',
    svc('image: foo\nextra_hosts: [example.com=1.2.3.4]'),
    svc('extra_hosts: [localhost=127.0.0.1, example.com=1.2.3.4, example.com=4.3.2.1]'),
    svc('image: foo\nextra_hosts: [example.com=1.2.3.4, localhost=127.0.0.1, example.com=4.3.2.1]'),
  ],
  [
    'merge_extra_hosts_test.go TestMergeExtraHostsMapping',
    svc('image: foo\nextra_hosts: {"example.com": "1.2.3.4"}'),
    svc('extra_hosts: {"localhost": "127.0.0.1", "example.com": ["1.2.3.4", "4.3.2.1"]}'),
    svc('image: foo\nextra_hosts: [example.com=1.2.3.4, example.com=4.3.2.1, localhost=127.0.0.1]'),
  ],
  [
    'merge_extra_hosts_test.go TestMergeExtraHostsMixed',
    svc('image: foo\nextra_hosts: {"example.com": "1.2.3.4"}'),
    svc('extra_hosts: [localhost=127.0.0.1, example.com=1.2.3.4, example.com=4.3.2.1]'),
    svc('image: foo\nextra_hosts: [example.com=1.2.3.4, localhost=127.0.0.1, example.com=4.3.2.1]'),
  ],
  ['merge_labels_test.go Test_mergeYamlLabelsSequence', svc('image: foo\nlabels: [foo=bar]'), svc('labels: [foo=baz, empty=]'), svc('image: foo\nlabels: [foo=baz, empty=]')],
  ['merge_labels_test.go Test_mergeYamlLabelsMapping', svc('image: foo\nlabels: {foo: bar}'), svc('labels: {foo: baz, empty: ""}'), svc('image: foo\nlabels: {foo: baz, empty: ""}')],
  ['merge_labels_test.go Test_mergeYamlLabelsMixed', svc('image: foo\nlabels: {foo: bar}'), svc('labels: [foo=baz]'), svc('image: foo\nlabels: [foo=baz]')],
  ['merge_labels_test.go Test_mergeYamlLabelsNumber', svc('labels: {foo: 1}'), svc('labels: {foo: 3}'), svc('labels: [foo=3]')],
  ['merge_labels_test.go Test_mergeYamlDeployLabelsMixed', svc('deploy:\n  labels: {foo: bar}'), svc('deploy:\n  labels: [foo=baz]'), svc('deploy:\n  labels: [foo=baz]')],
  ['merge_labels_test.go Test_mergeYamlBuildLabelsMixed', svc('build:\n  labels: {foo: bar}'), svc('build:\n  labels: [foo=baz, new=1]'), svc('build:\n  labels: [foo=baz, new=1]')],
  ['merge_links_test.go TestMergeExtraLinksSequence', svc('image: foo\nlinks: [service1, service2]'), svc('links: [service2=alias1]'), svc('image: foo\nlinks: [service1, service2=alias1]')],
  [
    'merge_logging_test.go Test_mergeYamlLoggingSameDriver',
    svc('image: foo\nlogging:\n  driver: syslog\n  options: {syslog-address: "tcp://192.168.0.42:123"}'),
    svc('logging:\n  driver: syslog\n  options: {syslog-address: "tcp://127.0.0.1:123"}'),
    svc('image: foo\nlogging:\n  driver: syslog\n  options: {syslog-address: "tcp://127.0.0.1:123"}'),
  ],
  [
    'merge_logging_test.go Test_mergeYamlLoggingDistinctDriver',
    svc('image: foo\nlogging:\n  driver: local\n  options: {max-size: "10m"}'),
    svc('logging:\n  driver: syslog\n  options: {syslog-address: "tcp://127.0.0.1:123"}'),
    svc('image: foo\nlogging:\n  driver: syslog\n  options: {syslog-address: "tcp://127.0.0.1:123"}'),
  ],
  [
    'merge_logging_test.go Test_mergeYamlLoggingImplicitDriver',
    svc('image: foo\nlogging:\n  options: {max-size: "10m"}'),
    svc('logging:\n  options: {max-file: 3}'),
    svc('image: foo\nlogging:\n  options: {max-size: "10m", max-file: 3}'),
  ],
  ['merge_mem_test.go TestMemLimitMixed/StringThenInt', svc('mem_limit: 1'), svc("mem_limit: '256m'"), svc('mem_limit: 256m')],
  ['merge_mem_test.go TestMemLimitMixed/IntThenString', svc("mem_limit: '256m'"), svc('mem_limit: 1'), svc('mem_limit: 1')],
  [
    'merge_mounts_test.go Test_mergeYamlServiceMount',
    svc('image: foo\nsecrets: [foo, bar, zot]'),
    svc('image: foo\nsecrets:\n  - source: zot\n    target: /run/secrets/foo'),
    svc('image: foo\nsecrets:\n  - source: zot\n    target: /run/secrets/foo\n  - bar\n  - zot'),
  ],
  [
    'merge_networks_test.go Test_mergeYamlServiceNetworkSequence',
    svc('image: foo\nnetworks: [front-network, back-network]'),
    svc('networks: [front-network]'),
    svc('image: foo\nnetworks:\n  front-network:\n  back-network:'),
  ],
  [
    'merge_networks_test.go Test_mergeYamlServiceNetworksMapping',
    svc('image: foo\nnetworks:\n  network1:\n    aliases: [alias1, alias2]\n    link_local_ips: [57.123.22.11, 57.123.22.13]\n  network2:\n    aliases: [alias1, alias3]'),
    svc('networks:\n  network1:\n    aliases: [alias3, alias1]\n    link_local_ips: [57.123.22.12, 57.123.22.13]'),
    svc('image: foo\nnetworks:\n  network1:\n    aliases: [alias1, alias2, alias3]\n    link_local_ips: [57.123.22.11, 57.123.22.13, 57.123.22.12]\n  network2:\n    aliases: [alias1, alias3]'),
  ],
  [
    'merge_networks_test.go Test_mergeYamlServiceNetworksMixed',
    svc('image: foo\nnetworks: [front-network, back-network, network1]'),
    svc('image: foo\nnetworks:\n  network1:\n    aliases: [alias1, alias2]\n  network2:\n    aliases: [alias1, alias3]'),
    svc('image: foo\nnetworks:\n  front-network:\n  back-network:\n  network1:\n    aliases: [alias1, alias2]\n  network2:\n    aliases: [alias1, alias3]'),
  ],
  [
    'merge_networks_test.go Test_mergeYamlNetworks',
    'networks:\n  network1:\n    ipam:\n      config:\n        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.0/24, gateway: 172.28.5.254, aux_addresses: {host1: 172.28.1.5, host2: 172.28.1.6, host3: 172.28.1.7}}\n      options: {foo: bar, baz: "0"}\n    labels: {com.example.description: "Financial transaction network", com.example.department: "Finance", com.example.label-with-empty-value: ""}\n',
    'networks:\n  network1:\n    ipam:\n      config:\n        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.1/24, gateway: 172.28.5.254, aux_addresses: {host1: 172.28.1.5, host2: 172.28.1.4, host4: 172.28.1.10}}\n        - {subnet: 172.28.10.0/16, ip_range: 172.28.10.1/24, gateway: 172.28.10.254, aux_addresses: {host1: 172.28.10.5, host2: 172.28.10.4, host3: 172.28.10.10}}\n      options: {bar: foo, baz: "0"}\n    labels: ["com.example.department-new=New", "com.example.description=Financial transaction network", "com.example.label-with-empty-value="]\n  network2:\n',
    'networks:\n  network1:\n    ipam:\n      config:\n        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.1/24, gateway: 172.28.5.254, aux_addresses: {host1: 172.28.1.5, host2: 172.28.1.4, host3: 172.28.1.7, host4: 172.28.1.10}}\n        - {subnet: 172.28.10.0/16, ip_range: 172.28.10.1/24, gateway: 172.28.10.254, aux_addresses: {host1: 172.28.10.5, host2: 172.28.10.4, host3: 172.28.10.10}}\n      options: {foo: bar, bar: foo, baz: "0"}\n    labels: ["com.example.department=Finance", "com.example.description=Financial transaction network", "com.example.label-with-empty-value=", "com.example.department-new=New"]\n  network2:\n',
  ],
  ['merge_profiles_test.go TestMergeProfilesUnicity', svc('image: foo\nprofiles: [profile1, profile2]'), svc('profiles: [profile2, profile3]'), svc('image: foo\nprofiles: [profile1, profile2, profile3]')],
  ['merge_sysctls_test.go TestMergeSysctlsSequence', svc('image: foo\nsysctls: [net.ipv6.conf.all.disable_ipv6=1]'), svc('sysctls: [net.ipv4.tcp_keepalive_time=300]'), svc('image: foo\nsysctls: [net.ipv6.conf.all.disable_ipv6=1, net.ipv4.tcp_keepalive_time=300]')],
  ['merge_sysctls_test.go TestMergeSysctlsMapping', svc('image: foo\nsysctls: {"net.ipv6.conf.all.disable_ipv6": 1}'), svc('sysctls: {"net.ipv4.tcp_keepalive_time": "300"}'), svc('image: foo\nsysctls: [net.ipv6.conf.all.disable_ipv6=1, net.ipv4.tcp_keepalive_time=300]')],
  ['merge_sysctls_test.go TestMergeSysctlsMixed', svc('image: foo\nsysctls: {"net.ipv6.conf.all.disable_ipv6": 1}'), svc('sysctls: [net.ipv4.tcp_keepalive_time=300]'), svc('image: foo\nsysctls: [net.ipv6.conf.all.disable_ipv6=1, net.ipv4.tcp_keepalive_time=300]')],
  ['merge_sysctls_test.go TestMergeSysctlsNumbers', svc('sysctls: {"net.ipv4.tcp_keepalive_time": 1}'), svc('sysctls: {"net.ipv4.tcp_keepalive_time": 3}'), svc('sysctls: [net.ipv4.tcp_keepalive_time=3]')],
  ['merge_annotations_test.go TestMergeAnnotationsMixed', svc('image: foo\nannotations: {com.example.foo: bar}'), svc('annotations: [com.example.foo=baz, com.example.new=1]'), svc('image: foo\nannotations: [com.example.foo=baz, com.example.new=1]')],
  ['merge_tmpfs_test.go TestMergeTmpfsSequence', svc('image: foo\ntmpfs: [/foo]'), svc('tmpfs: [/bar, /baz, /foo]'), svc('image: foo\ntmpfs: [/foo, /bar, /baz]')],
  ['merge_tmpfs_test.go TestMergeTmpfsString', svc('image: foo\ntmpfs: /foo'), svc('tmpfs: /bar'), svc('image: foo\ntmpfs: [/foo, /bar]')],
  ['merge_tmpfs_test.go TestMergeTmpfsMixed/SequenceThenString', svc('image: foo\ntmpfs: /foo'), svc('tmpfs: [/bar, /foo]'), svc('image: foo\ntmpfs: [/foo, /bar]')],
  ['merge_tmpfs_test.go TestMergeTmpfsMixed/StringThenSequence', svc('tmpfs: [/bar, /foo]'), svc('image: foo\ntmpfs: /foo'), svc('image: foo\ntmpfs: [/bar, /foo]')],
  [
    'merge_ulimits_test.go Test_mergeYamlUlimits',
    svc('image: foo\nulimits:\n  nofile: {soft: 20000, hard: 40000}\n  nproc: 65535\n  locks: {soft: 20000, hard: 40000}'),
    svc('image: foo\nulimits:\n  nofile: {soft: 10000, hard: 40000}\n  nproc: {soft: 65535}\n  locks: {hard: 65535}'),
    svc('image: foo\nulimits:\n  nofile: {soft: 10000, hard: 40000}\n  nproc: {soft: 65535}\n  locks: {hard: 65535}'),
  ],
  [
    'merge_volumes_test.go TestMergeVolumes',
    svc('image: foo\nvolumes:\n  - a:/a\n  - {type: bind, source: ./b, target: /b}'),
    svc('volumes: [c:/c]'),
    svc('image: foo\nvolumes:\n  - a:/a\n  - {type: bind, source: ./b, target: /b}\n  - c:/c'),
  ],
];

// override/uncity_test.go: one document made unique
const UNICITY: [string, string, string][] = [
  ['Test_EnvironmentUnicity', svc('image: foo\nenvironment: [FOO=BAR, BAR=QIX, QIX=, ZOT, FOO=ZOT, QIX, ZOT=]'), svc('image: foo\nenvironment: [FOO=ZOT, BAR=QIX, QIX, ZOT=]')],
  ['Test_VolumeUnicity', svc('image: foo\nvolumes: [.:/foo, foo:/bar, src:/foo]'), svc('image: foo\nvolumes: [src:/foo, foo:/bar]')],
  [
    'Test_PortsShortUnicity',
    svc('image: foo\nports: ["9080:80", "9081:81", "9080:80", "5000", "6060:6060/udp", "9080:6060/udp"]'),
    svc('image: foo\nports: ["9080:80", "9081:81", "5000", "6060:6060/udp", "9080:6060/udp"]'),
  ],
  [
    'Test_PortsLongtUnicity',
    svc('image: foo\nports:\n  - {target: 80, host_ip: 127.0.0.1, published: "8080", protocol: tcp, mode: host}\n  - {target: 81, published: "8080", protocol: tcp}\n  - {target: 80, host_ip: 127.0.0.2, published: "8080", protocol: tcp}\n  - {target: 81, published: "8080", protocol: tcp}'),
    svc('image: foo\nports:\n  - {target: 80, host_ip: 127.0.0.1, published: "8080", protocol: tcp, mode: host}\n  - {target: 81, published: "8080", protocol: tcp}\n  - {target: 80, host_ip: 127.0.0.2, published: "8080", protocol: tcp}'),
  ],
];

describe("compose-go's merge tables", () => {
  it.each(CASES)('%s', (_name, right, left, want) => {
    expect(merged(right, left)).toEqual(expected(want));
  });

  it.each(UNICITY)('uncity_test.go %s', (_name, before, want) => {
    const d = layer(before);
    enforceUnicity(d);
    expect(d).toEqual(layer(want));
  });
});

describe('where surge goes past the tables', () => {
  it('a short and a long port for the same mapping are one port, as after compose canonicalizes them', () => {
    expect(merged(svc('ports: ["8080:80"]'), svc('ports: [{target: 80, published: 8080}]'))).toEqual(expected(svc('ports: [{target: 80, published: 8080}]')));
  });

  it('Boltfile aliases: a later file writing `env` for `environment` (or `health`, `cpus`, `mem_limit`) still merges', () => {
    expect(merged(svc('environment: {A: "1"}\nmemory_limit: 1g'), svc('env: {B: "2"}\nmem_limit: 2g'))).toEqual(expected(svc('environment: {A: "1", B: "2"}\nmemory_limit: 2g')));
  });

  it('the Boltfile table form of volumes merges by container path too', () => {
    expect(merged(svc('volumes: {"./a": "/data", "./b": "/b"}'), svc('volumes: ["./c:/data"]'))).toEqual(expected(svc('volumes: ["./c:/data", "./b:/b"]')));
  });

  it('a value the later file writes as null keeps the earlier one; a table over a list is a problem', () => {
    expect(merged(svc('image: foo'), svc('image:'))).toEqual(expected(svc('image: foo')));
    const problems: string[] = [];
    mergeInto(layer(svc('ports: ["80"]')), layer(svc('ports: {a: 1}')), { problem: (p) => problems.push(`${p.path.join('.')}: ${p.message}`) });
    expect(problems).toEqual(['services.test.ports: cannot override a list with a table']);
  });
});
