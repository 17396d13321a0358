// `surge config --format toml` writes a Boltfile that validates and loads to the same model: every example, every
// real Boltfile of the corpus, and the forms one at a time.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../../../src/model/model.js';
import { formatBytes, formatDuration, writeBoltfile } from '../../../../src/planner/load/boltfile-writer.js';
import { loadProject } from '../../../../src/planner/load/load-project.js';
import { parseByteSize, parseDuration } from '../../../../src/model/units.js';
import { findCorpus } from '../../../fixtures/corpus.js';
import { loadFiles } from '../../../fixtures/load-files.js';
import { tempProjectDir } from '../../../fixtures/load-toml.js';

const root = resolve(import.meta.dirname, '../../../..');

function model(p: Project): unknown {
  return { name: p.name, services: p.services, networks: p.networks, volumes: p.volumes };
}

/** Writes the project as a Boltfile into a fresh folder, loads that, and returns both models and the text. */
function roundTrip(project: Project, env: Record<string, string> = {}): { before: unknown; after: unknown; text: string; warnings: number } {
  const text = writeBoltfile(project);
  const dir = tempProjectDir('written');
  writeFileSync(join(dir, 'Boltfile.toml'), text);
  const loaded = loadProject({ files: [], cwd: dir, envFiles: [], env });
  return { before: model(project), after: model(loaded.project), text, warnings: loaded.warnings.length };
}

const examples = [
  'Boltfile.toml',
  ...readdirSync(join(root, 'examples/bolt'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'examples/bolt', d.name, 'Boltfile.toml')))
    .map((d) => join('examples/bolt', d.name, 'Boltfile.toml')),
];

const corpusDir = findCorpus();
const corpus = readdirSync(corpusDir).filter((f) => f.endsWith('.toml') && !f.includes('ollama_ai_profile'));

describe('config --format toml round trip', () => {
  it.each(examples)('%s', (file) => {
    const { project } = loadProject({ files: [join(root, file)], cwd: root, envFiles: [], env: {} });
    const { before, after } = roundTrip(project);
    expect(after).toEqual(before);
  });

  it.each(corpus)('corpus: %s', (file) => {
    const { project } = loadProject({ files: [join(corpusDir, file)], cwd: corpusDir, envFiles: [], env: {} });
    const { before, after } = roundTrip(project);
    expect(after).toEqual(before);
  });

  it('every form, written short', () => {
    const { project } = loadFiles({
      'Boltfile.toml': [
        'project = "forms"',
        '[services.web]',
        'image = "nginx:${TAG}"',
        'command = "echo $$HOME and $${X}"',
        'ports = ["80", "8080:80", "127.0.0.1:8443:443/udp", "127.0.0.1::90", "[::1]:9000:9000", "[::1]::9001", "9000-9002:9000-9002"]',
        'volumes = ["data:/data:ro", "./src:/src", "/abs:/abs", "/anon", { type = "tmpfs", target = "/tmp" }, { type = "bind", source = "./a:b", target = "/ab" }]',
        'healthcheck = { test = "curl -f localhost", interval = "1m30s", timeout = "500ms", retries = 3 }',
        'depends_on = { db = { condition = "service_healthy" }, cache = { condition = "service_started", required = false, restart = true } }',
        'memory_limit = "512m"',
        'cpu_limit = 1.5',
        'devices = ["/dev/a", "/dev/b:/dev/c:r"]',
        'extra_hosts = { db = "10.0.0.1" }',
        'stop_grace_period = "2s"',
        'networks = { front = { aliases = ["w"] }, back = {} }',
        'restart = "on-failure:3"',
        'replicas = 2',
        '[services.web.environment]',
        'A = "1"',
        '"WITH SPACE" = "x"',
        '[services.web.labels]',
        '"com.example.x" = "y"',
        '[services.db]',
        'image = "postgres"',
        'healthcheck = { disable = true }',
        '[services.cache]',
        'image = "redis"',
        'network.quic_enabled = true',
        '[services.job]',
        'command = "sleep 1"',
        'working_dir = "./work"',
        '[services.builder]',
        'build = { context = "./app", args = { V = "1" }, target = "prod", no_cache = true }',
        'driver = "process"',
        'command = ["make"]',
        '[networks.front]',
        'subnet = "10.1.0.0/16"',
        'labels = ["a=b"]',
        '[networks.back]',
        'external = true',
        'name = "shared-back"',
        '[volumes.data]',
        'driver_opts = { type = "none" }',
      ].join('\n'),
    }, { env: { TAG: '1.27' } });
    const { before, after, text } = roundTrip(project);
    expect(after).toEqual(before);
    expect(text).toContain('[services.web]\n');
    expect(text).toContain('[services.web.environment]\nA = "1"\n"WITH SPACE" = "x"\n');
    expect(text).toContain('image = "nginx:1.27"');
    expect(text).toContain('command = ["echo", "$$HOME", "and", "$${X}"]');
    expect(text).toContain('ports = [\n  "80",\n  "8080:80",\n  "127.0.0.1:8443:443/udp",\n  "127.0.0.1::90",\n  "[::1]:9000:9000",\n  "[::1]::9001",\n  "9000-9002:9000-9002",\n]\n');
    expect(text).toContain('[services.web.depends_on]\ndb = { condition = "service_healthy" }\ncache = { condition = "service_started", required = false, restart = true }\n');
    expect(text).toContain('memory_limit = "512m"');
    expect(text).toContain('interval = "1m30s"');
  });
});

describe('units written back', () => {
  it.each([0, 1, 500, 1000, 1500, 90_000, 3_600_000, 3_723_004])('duration %d ms', (ms) => {
    expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
  });
  it.each([1, 1023, 1024, 536_870_912, 8 * 1024 ** 3, 4_000_000_000])('size %d bytes', (n) => {
    expect(parseByteSize(formatBytes(n))).toEqual({ ok: true, value: n });
  });
});
