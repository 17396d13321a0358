// Contract: one compose project through both tools, one after the other, from the same copy of a fixture folder
// (test/fixtures/compose/NAME) with the same environment: docker-compose 1.29 `up -d` (then waited on until no
// healthcheck is starting, as `surge up --wait` waits), snapshot, `down`, what is left; then `surge up --wait`, the
// same, plus `surge ps --format json`. Everything either tool created is removed by the time it returns, and by
// cleanupParity() if a test failed half-way. Project names are unique per run.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { docker, run, Stack, type Result } from './cli.js';
import { dockerCompose, leftovers, settle, snapshot, type ComposeResult, type Snapshot, type Tool } from './compose-parity.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/compose');

export interface ParityOptions {
  fixture: string;
  /** the environment of both tools (the process environment under it) */
  env?: Record<string, string>;
  /** global options of both tools before the command, e.g. `--profile debug` */
  global?: string[];
  /** docker-compose's own files when 1.29 cannot read the fixture's (e.g. the expanded equivalent of an include) */
  composeFiles?: string[];
  /** give docker-compose the fixture's compose.yaml without what 1.29 refuses (writeCompose129) */
  compose129?: boolean;
  /** surge's files when not the default lookup */
  surgeFiles?: string[];
  /** checks to run while a tool's stack is up (after its snapshot), e.g. what a secret holds */
  whileUp?: (tool: Tool, project: string, dir: string) => Promise<void>;
}

export interface PsEntry {
  service: string;
  name: string;
  state: string;
  health: string | null;
  replica: number;
}

export interface ParityRun {
  dir: string;
  names: { compose: string; surge: string };
  compose: Snapshot;
  surge: Snapshot;
  composeUp: Result;
  surgeUp: Result;
  ps: PsEntry[];
  /** what `down` (without -v) left, names normalized to `<project>` */
  afterDown: { compose: Left; surge: Left };
  /** what `down --volumes --rmi local` left: nothing, if both clean up */
  afterFullDown: { compose: Left & { images: string[] }; surge: Left & { images: string[] } };
  /** with compose129: what 1.29 said of the file as it is, and what was left out for it */
  compose129?: { refusal: ComposeResult; removed: string[] };
}

type YamlMap = Record<string, unknown>;

/**
 * docker-compose 1.29 refuses what the compose specification added after it: a top-level `name`, `environment`
 * secrets, `content` and `environment` configs ("does not match any of the regexes"). This writes the same file
 * without them beside it, for 1.29 only, and says what it left out (`secrets.api_key`, `services.api.secrets[1]`).
 */
export function writeCompose129(dir: string, from = 'compose.yaml', to = 'compose-1.29.yaml'): string[] {
  const doc = parse(readFileSync(join(dir, from), 'utf8')) as YamlMap;
  const removed: string[] = [];
  if ('name' in doc) {
    delete doc.name;
    removed.push('name');
  }
  for (const kind of ['secrets', 'configs'] as const) {
    const defined = (doc[kind] ?? {}) as Record<string, YamlMap>;
    const newer = Object.keys(defined).filter((k) => defined[k]?.environment !== undefined || defined[k]?.content !== undefined);
    for (const k of newer) {
      delete defined[k];
      removed.push(`${kind}.${k}`);
    }
    for (const [name, service] of Object.entries((doc.services ?? {}) as Record<string, YamlMap>)) {
      const refs = service[kind] as (string | YamlMap)[] | undefined;
      if (!refs) continue;
      service[kind] = refs.filter((r, i) => {
        const used = typeof r === 'string' ? r : (r.source as string);
        if (newer.includes(used)) removed.push(`services.${name}.${kind}[${i}]`);
        return !newer.includes(used);
      });
    }
  }
  writeFileSync(join(dir, to), stringify(doc));
  return removed;
}

type Left = { containers: string[]; networks: string[]; volumes: string[] };

const started: { composeArgs: string[]; surgeArgs: string[]; names: { compose: string; surge: string }; dir: string }[] = [];

async function images(project: string): Promise<string[]> {
  const all = await docker.listImages();
  return all.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${project}_`) || t.startsWith(`${project}-`)).sort();
}

function named(left: Left, project: string): Left {
  const r = (l: string[]) => l.map((n) => n.split(project).join('<project>'));
  return { containers: r(left.containers), networks: r(left.networks), volumes: r(left.volumes) };
}

export async function runParity(o: ParityOptions): Promise<ParityRun> {
  const stack = new Stack('par');
  cpSync(join(FIXTURES, o.fixture), stack.dir, { recursive: true });
  const names = { compose: `${stack.name}dc`, surge: `${stack.name}sg` };
  const env = o.env ?? {};
  const global = o.global ?? [];
  let compose129: ParityRun['compose129'];
  if (o.compose129) {
    const refusal = await dockerCompose(['-p', names.compose, ...global, 'config', '-q'], stack.dir, env);
    compose129 = { refusal, removed: writeCompose129(stack.dir) };
  }
  const composeFiles = o.compose129 ? ['compose-1.29.yaml'] : (o.composeFiles ?? []);
  const composeArgs = ['-p', names.compose, ...composeFiles.flatMap((f) => ['-f', f]), ...global];
  const surgeArgs = ['-p', names.surge, ...(o.surgeFiles ?? []).flatMap((f) => ['-f', f]), ...global];
  started.push({ composeArgs, surgeArgs, names, dir: stack.dir });

  const composeUp = await dockerCompose([...composeArgs, 'up', '-d'], stack.dir, env);
  if (composeUp.code !== 0) throw new Error(`docker-compose up failed:\n${composeUp.stderr}`);
  await settle('compose', names.compose);
  const composeSnapshot = await snapshot('compose', names.compose);
  await o.whileUp?.('compose', names.compose, stack.dir);
  await dockerCompose([...composeArgs, 'down', '-t', '1'], stack.dir, env);
  const composeLeft = named(await leftovers('compose', names.compose), names.compose);
  await dockerCompose([...composeArgs, 'down', '-v', '--rmi', 'local', '-t', '1'], stack.dir, env);
  const composeGone = { ...(await leftovers('compose', names.compose)), images: await images(names.compose) };

  const surgeUp = await run([...surgeArgs, 'up', '--wait', '--wait-timeout', '240', '--progress', 'plain'], stack.dir, env);
  if (surgeUp.code !== 0) throw new Error(`surge up failed:\n${surgeUp.stderr}`);
  const surgeSnapshot = await snapshot('surge', names.surge);
  await o.whileUp?.('surge', names.surge, stack.dir);
  const ps = JSON.parse((await run([...surgeArgs, 'ps', '--format', 'json'], stack.dir, env)).stdout) as PsEntry[];
  const down = await run([...surgeArgs, 'down', '-t', '1', '--progress', 'quiet'], stack.dir, env);
  if (down.code !== 0) throw new Error(`surge down failed:\n${down.stderr}`);
  const surgeLeft = named(await leftovers('surge', names.surge), names.surge);
  const fullDown = await run([...surgeArgs, 'down', '--volumes', '--rmi', 'local', '-t', '1', '--progress', 'quiet'], stack.dir, env);
  if (fullDown.code !== 0) throw new Error(`surge down --volumes failed:\n${fullDown.stderr}`);
  const surgeGone = { ...(await leftovers('surge', names.surge)), images: await images(names.surge) };

  return {
    dir: stack.dir,
    names,
    compose: composeSnapshot,
    surge: surgeSnapshot,
    composeUp,
    surgeUp,
    ps,
    afterDown: { compose: composeLeft, surge: surgeLeft },
    afterFullDown: { compose: composeGone, surge: surgeGone },
    ...(compose129 ? { compose129 } : {}),
  };
}

/** For afterAll: whatever a failed run left of either project (containers, networks, volumes, built images). */
export async function cleanupParity(): Promise<void> {
  for (const p of started.splice(0)) {
    await dockerCompose([...p.composeArgs, 'down', '-v', '--rmi', 'local', '-t', '1'], p.dir).catch(() => undefined);
    await run([...p.surgeArgs, 'down', '--volumes', '--remove-orphans', '--rmi', 'local', '-t', '1', '--progress', 'quiet'], p.dir).catch(() => undefined);
    for (const tag of [...(await images(p.names.compose)), ...(await images(p.names.surge))]) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  }
}
