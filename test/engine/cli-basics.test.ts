// The read-only CLI as a new user meets it: built binary, real files, exit codes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { run, Stack } from './cli.js';

const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

describe('surge CLI basics', () => {
  it('--version and --help', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await run(['--version'], '/')).stdout).toBe(`${pkg.version}\n`);
    const help = await run(['plan', '--help'], '/');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--detailed-exitcode');
    const typo = await run(['pln'], '/');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Did you mean plan?');
    const noValue = await run(['ps', '-f'], '/');
    expect(noValue.code).toBe(1);
    expect(noValue.stderr).toContain('Not enough arguments following: f');
    expect(noValue.stderr).not.toContain('internal error');
  });

  it('a second run takes the code cache the first one left (V8 accepts it: no rewrite)', async () => {
    const s = new Stack('ccache');
    s.write('[services.job]\ncommand = ["true"]\n');
    const cacheHome = join(s.dir, 'cache');
    const cacheDir = join(cacheHome, 'surge', 'v8');
    const first = await run(['config'], s.dir, { XDG_CACHE_HOME: cacheHome });
    expect(first.code).toBe(0);
    const [file] = readdirSync(cacheDir).filter((f) => f.endsWith('.v8'));
    expect(file).toBeDefined();
    const written = statSync(join(cacheDir, file!)).mtimeMs;
    // A rejected cache (V8's flags at start differ from those it was made with) would be written again at exit.
    for (let i = 0; i < 2; i++) expect((await run(['config'], s.dir, { XDG_CACHE_HOME: cacheHome })).code).toBe(0);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.v8'))).toEqual([file]);
    expect(statSync(join(cacheDir, file!)).mtimeMs).toBe(written);
  });

  it('--env-file is surge\'s, not Node\'s: a missing file is surge\'s error, a present one feeds interpolation only', async () => {
    const s = new Stack('envf');
    s.write('[services.job]\nimage = "busybox:${TAG}"\n');
    s.file('my.env', 'TAG=from-file\n');
    const missing = await s.surge('--env-file', 'nope.env', 'validate');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('nope.env: env file not found\n');
    const present = await s.surge('--env-file', 'my.env', 'config');
    expect((JSON.parse(present.stdout) as { services: { job: { image: string; environment: Record<string, string> } } }).services.job).toMatchObject({ image: 'busybox:from-file', environment: {} });
  });

  it('validate: 0 with warnings on stderr, 1 with every located error and no stack trace', async () => {
    const s = new Stack('val');
    s.write('[services.job]\ncommand = "true"\ncapsule = "x"\n');
    const ok = await s.surge('validate');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('Boltfile.toml:4:1: warning: services.job.capsule: not applied by surge (Bolt runtime setting)');
    s.write('[services.job]\ncomand = "true"\n[services.other]\ncommand = "true"\ndepends_on = ["nope"]\n');
    const bad = await s.surge('validate');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Boltfile.toml:3:1: services.job.comand: unknown key `comand`; did you mean `command`?\n' +
        'Boltfile.toml:6:15: services.other.depends_on[0]: service "other" depends on "nope", which is not a service in this project\n2 errors.\n',
    );
    s.write('[services.job]\ncommand = "true"\ndepends_on = ["nope", "job"]\n');
    const two = await s.surge('validate');
    expect(two.stderr).toContain('Boltfile.toml:4:15: services.job.depends_on[0]: service "job" depends on "nope", which is not a service in this project');
    s.write('[services.job\n');
    const broken = await s.surge('validate');
    expect(broken.stderr).toMatch(/^Boltfile\.toml:2:\d+: invalid TOML: /);
    expect(broken.stderr).not.toContain('    at ');
  });

  it('-f repeats and overrides key by key; config prints the normalized model as JSON or TOML', async () => {
    const s = new Stack('cfg');
    s.write('[services.web]\nimage = "nginx:1.27"\nenv.A = "1"\nports = ["8080:80"]\n');
    s.file('prod.toml', '[services.web]\nenv.A = "2"\nenv.B = "3"\n');
    const r = await s.surge('-f', 'Boltfile.toml', '-f', 'prod.toml', 'config');
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(r.stdout) as { name: string; services: Record<string, Record<string, unknown>> };
    expect(model.name).toBe(s.name);
    expect(model.services.web).toMatchObject({
      image: 'nginx:1.27',
      build: null,
      command: null,
      environment: { A: '2', B: '3' },
      depends_on: {},
      ports: [{ target: '80', published: '8080', host_ip: null, protocol: 'tcp' }],
      volumes: [],
      healthcheck: null,
      gpu: null,
    });
    const toml = await s.surge('config', '--format', 'toml');
    expect((parse(toml.stdout) as { services: { web: { image: string } } }).services.web.image).toBe('nginx:1.27');
    const named = await s.surge('-p', 'Other_Name', 'config');
    expect(JSON.parse(named.stdout).name).toBe('other_name');
  });

  it('graph: nodes and edges where from is applied before to', async () => {
    const s = new Stack('gra');
    s.write('[volumes.data]\n[services.db]\nimage = "x"\nvolumes = ["data:/d"]\n[services.web]\nimage = "x"\ndepends_on = ["db"]\n');
    const r = await s.surge('graph', '--format', 'json');
    const g = JSON.parse(r.stdout) as { nodes: string[]; edges: { from: string; to: string }[] };
    expect(g.nodes).toEqual(['network:default', 'service:db', 'service:web', 'volume:data']);
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { from: 'service:db', to: 'service:web' },
        { from: 'volume:data', to: 'service:db' },
        { from: 'network:default', to: 'service:web' },
      ]),
    );
    expect((await s.surge('graph')).stdout).toContain('"service:db" -> "service:web";');
    expect((await s.surge('graph', '--format', 'mermaid')).stdout).toContain('service_db --> service_web');
  });

  it('plan: JSON shape, detailed exit codes and a saved plan, for a process-only stack without any engine', async () => {
    const s = new Stack('pln');
    s.write('[services.job]\ncommand = ["sleep", "60"]\nenvironment = { API_TOKEN = "s3cret", MODE = "x" }\n');
    const text = await run(['plan'], s.dir, NO_ENGINE);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('environment = { API_TOKEN = (sensitive), MODE = "x" }');
    expect(text.stdout).not.toContain('s3cret');
    // compose's habit: `up -d` is accepted (up returns once converged anyway).
    const dry = await run(['up', '-d', '--dry-run'], s.dir, NO_ENGINE);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+ service:job#1  create');
    const json = await run(['plan', '--json', '--detailed-exitcode', '-o', 'plan.json'], s.dir, NO_ENGINE);
    expect(json.code).toBe(2);
    const plan = JSON.parse(json.stdout) as { project: string; actions: { id: string; kind: string; name: string; op: string; reason: string; dependsOn: string[] }[]; summary: Record<string, number> };
    expect(plan.project).toBe(s.name);
    expect(plan.actions).toEqual([expect.objectContaining({ id: 'service:job#1', kind: 'service', name: 'job', op: 'create', reason: 'not found', dependsOn: [] })]);
    expect(plan.summary).toEqual({ create: 1, recreate: 0, update: 0, start: 0, stop: 0, remove: 0, unchanged: 0 });
    expect(statSync(join(s.dir, 'plan.json')).mode & 0o777).toBe(0o600);
    expect((await run(['apply', 'plan.json', '--progress', 'quiet'], s.dir, NO_ENGINE)).code).toBe(0);
    expect((await run(['plan', '--detailed-exitcode'], s.dir, NO_ENGINE)).code).toBe(0);
    expect((await run(['down', '--progress', 'quiet'], s.dir, NO_ENGINE)).code).toBe(0);
  });

  it('plan -o to a path that cannot be written is a user error, not a bug', async () => {
    const s = new Stack('plo');
    s.write('[services.job]\ncommand = ["sleep", "60"]\n');
    const r = await run(['plan', '--detailed-exitcode', '-o', 'missing/plan.json'], s.dir, NO_ENGINE);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('surge: cannot save the plan to missing/plan.json: its folder does not exist\n');
  });

  it('says where to start when there is no Boltfile', async () => {
    const s = new Stack('none');
    const r = await s.surge('plan');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`no Boltfile.toml, surge.toml or compose.yaml in ${s.dir}: create one, or name it with -f FILE\n`);
  });
});

describe('usage errors', () => {
  it('an option missing its value is a usage error (exit 1), not an internal error', async () => {
    const r = await run(['ps', '-f'], '/');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not enough arguments following: f');
    expect(r.stderr).not.toContain('internal error');
  });
});
