#!/usr/bin/env node
// npm run chaos: does the next `surge up` heal whatever a `kill -9` of `surge up` left behind?
//   node bench/chaos.js [--trials N] [--only up|recreate] [--seed S] [--no-write] [--cli PATH]
// (--cli: another build's dist/cli/main.js, e.g. a copy of main's, for a before/after on one machine)
// Two scenarios, N trials each (default 20), on one project of 8 services (dependencies, a healthcheck, a named volume
// holding a marker file), with the built CLI (dist/) against the real engine:
//   up:       from no containers, `surge up`, SIGKILL at a random moment in 0–3 s, then `surge up` again;
//   recreate: from a converged stack, change an env var of every service, `surge up`, SIGKILL at a random moment in
//             0–3 s, then `surge up` again.
// After each trial the engine itself is inspected. Healed: the second `up` exited 0, every service has exactly its
// one container, under its own name, running the new config (db healthy), one `<project>_default` network, no
// temporary `_surge-new-` container, and `surge plan --detailed-exitcode` says no changes. Printed: healed/total,
// duplicates (containers, networks), leftovers (temporary containers), data lost (marker file gone), and how often
// `plan` said "no changes" while the stack was not whole. Writes the "Chaos" section of bench/RESULTS.md.
// Needs a built surge and the engine from `npm run engine`. Not part of `npm test` (minutes, and it is a measurement).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { CHAOS_PREFIX, chaosBoltfile, cleanupChaos, inspectStack, markerSurvives, SERVICES, writeMarker } from './lib/chaos-stack.js';
import { IMAGE } from './lib/stacks.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CLI = join(REPO, 'dist/cli/main.js');
let SURGE = DEFAULT_CLI;
const KILL_WINDOW_MS = 3000;
const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

const opts = parseArgs(process.argv.slice(2));

/** @param {string[]} args */
function parseArgs(args) {
  const o = { trials: 20, only: ['up', 'recreate'], seed: Math.floor(Math.random() * 2 ** 31), write: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => args[++i] ?? die(`${a} needs a value`);
    if (a === '--trials') o.trials = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--no-write') o.write = false;
    else if (a === '--cli') SURGE = value();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('node bench/chaos.js [--trials N] [--only up|recreate] [--seed S] [--no-write] [--cli PATH]\n');
      process.exit(0);
    } else die(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.trials) || o.trials < 1) die('--trials needs a whole number ≥ 1');
  if (!Number.isInteger(o.seed)) die('--seed needs a whole number');
  if (o.only.some((s) => s !== 'up' && s !== 'recreate')) die('--only takes up, recreate or both');
  return o;
}

/** @param {string} msg @returns {never} */
function die(msg) {
  process.stderr.write(`chaos: ${msg}\n`);
  process.exit(1);
}

/** mulberry32: the kill moments are reproducible from the printed seed. @param {number} seed */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs the built CLI in `dir`; `killAfterMs` sends SIGKILL to it then (if it is still running).
 * @param {string} dir @param {string[]} args @param {{ killAfterMs?: number, timeoutMs?: number }} [o]
 * @returns {Promise<{ code: number | null, killed: boolean, stderr: string, ms: number }>}
 */
function surge(dir, args, o = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [SURGE, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d) => (stderr += d));
    const kill = o.killAfterMs === undefined ? null : setTimeout(() => ((killed = true), child.kill('SIGKILL')), o.killAfterMs);
    const timeout = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      if (kill) clearTimeout(kill);
      clearTimeout(timeout);
      resolve({ code, killed, stderr, ms: Date.now() - t0 });
    });
  });
}

/** The lines of a failed run that say why (progress lines of what went well are left out). @param {string} stderr */
function why(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => /fail|error|cannot|bug|ambiguous|refus|skipped/i.test(l));
  return [...new Set(lines)].slice(0, 3).join(' | ').slice(0, 300);
}

/**
 * @typedef {{ scenario: string, trial: number, killAtMs: number, killed: boolean, code: number | null, healed: boolean,
 *   duplicateContainers: number, duplicateNetworks: number, leftovers: number, dataLost: boolean, planLied: boolean, healMs: number,
 *   note: string }} Trial
 */

/**
 * One trial: a killed `up`, then the `up` that must heal, then the engine's own account of the result.
 * @param {Docker} docker @param {string} project @param {string} dir @param {number} gen @param {number} killAtMs
 * @param {string} scenario @param {number} trial @returns {Promise<Trial>}
 */
async function killThenHeal(docker, project, dir, gen, killAtMs, scenario, trial) {
  const first = await surge(dir, ['up', '--progress', 'quiet'], { killAfterMs: killAtMs });
  const second = await surge(dir, ['up', '--progress', 'plain']);
  const healMs = second.ms;
  const seen = await inspectStack(docker, project, gen);
  const plan = await surge(dir, ['plan', '--detailed-exitcode']);
  const whole = seen.wrong.length === 0 && seen.temps.length === 0 && seen.duplicateContainers.length === 0 && seen.networks === 1;
  const healed = second.code === 0 && whole && plan.code === 0;
  const dataLost = !(await markerSurvives(docker, project));
  const notes = [];
  if (second.code !== 0) notes.push(`up exit ${second.code}: ${why(second.stderr)}`);
  if (seen.wrong.length) notes.push(seen.wrong.join(', '));
  if (seen.temps.length) notes.push(`left: ${seen.temps.join(', ')}`);
  if (seen.duplicateContainers.length) notes.push(`duplicates: ${seen.duplicateContainers.join(', ')}`);
  if (seen.networks !== 1) notes.push(`${seen.networks} default networks`);
  if (plan.code !== 0 && plan.code !== 2) notes.push(`plan exit ${plan.code}: ${why(plan.stderr)}`);
  return {
    scenario,
    trial,
    killAtMs,
    killed: first.killed,
    code: second.code,
    healed,
    duplicateContainers: seen.duplicateContainers.length,
    duplicateNetworks: Math.max(0, seen.networks - 1),
    leftovers: seen.temps.length,
    dataLost,
    planLied: plan.code === 0 && !whole,
    healMs,
    note: notes.join('; '),
  };
}

/** Brings the project to a converged stack at `gen`, whatever a failed trial left (surge first, then by force). */
async function converge(/** @type {Docker} */ docker, /** @type {string} */ project, /** @type {string} */ dir, /** @type {number} */ gen) {
  writeFileSync(join(dir, 'Boltfile.toml'), chaosBoltfile(project, gen));
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await surge(dir, ['up', '--progress', 'quiet']);
    const seen = await inspectStack(docker, project, gen);
    if (r.code === 0 && !seen.wrong.length && !seen.temps.length && !seen.duplicateContainers.length && seen.networks === 1) return;
    await removeContainersAndNetworks(docker, project, dir);
  }
  throw new Error(`cannot bring ${project} to a converged state even from nothing`);
}

/** Containers and networks of the project go (the named volume stays: it holds the marker). */
async function removeContainersAndNetworks(/** @type {Docker} */ docker, /** @type {string} */ project, /** @type {string} */ dir) {
  const down = await surge(dir, ['down', '-t', '1', '--remove-orphans', '--progress', 'quiet']);
  const left = await docker.listContainers({ all: true, filters: { label: [`surge.project=${project}`] } });
  const nets = await docker.listNetworks({ filters: { label: [`surge.project=${project}`] } });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  await Promise.all(nets.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
  return down.code === 0 ? null : `down exit ${down.code}: ${why(down.stderr)}`;
}

async function main() {
  if (!existsSync(SURGE)) die('dist/cli/main.js is missing: run `npm run build` (npm run chaos does)');
  const docker = new Docker();
  try {
    await docker.ping();
    await docker.getImage(IMAGE).inspect();
  } catch {
    die(`needs the Docker engine and the image ${IMAGE}: run \`npm run engine\``);
  }
  await cleanupChaos(docker);
  const project = `${CHAOS_PREFIX}${Math.random().toString(36).slice(2, 8)}`;
  const dir = join(mkdtempSync(join(tmpdir(), 'surge-chaos-')), project);
  mkdirSync(dir);
  const rand = random(opts.seed);
  const started = Date.now();
  process.on('SIGINT', () => {
    log('chaos: interrupted; removing its project');
    void cleanupChaos(docker).finally(() => process.exit(130));
  });
  log(`chaos: project ${project}, ${opts.trials} trials of ${opts.only.join(' and ')}, seed ${opts.seed}`);
  /** @type {Trial[]} */
  const trials = [];
  /** @type {string[]} */
  const downFailures = [];
  try {
    let gen = 0;
    await converge(docker, project, dir, gen);
    await writeMarker(docker, project);
    for (const scenario of opts.only) {
      let whole = false;
      for (let i = 1; i <= opts.trials; i++) {
        const killAtMs = Math.floor(rand() * KILL_WINDOW_MS);
        const t0 = Date.now();
        if (scenario === 'up') {
          const downFailed = await removeContainersAndNetworks(docker, project, dir);
          if (downFailed) downFailures.push(downFailed);
        } else {
          // A healed trial leaves the converged stack the next one starts from.
          if (!whole) await converge(docker, project, dir, gen);
          gen++;
          writeFileSync(join(dir, 'Boltfile.toml'), chaosBoltfile(project, gen));
        }
        const t = await killThenHeal(docker, project, dir, gen, killAtMs, scenario, i);
        trials.push(t);
        whole = t.healed;
        const took = `healing up ${(t.healMs / 1000).toFixed(1)} s, trial ${((Date.now() - t0) / 1000).toFixed(1)} s`;
        log(`${scenario} #${String(i).padStart(2)} kill at ${String(killAtMs).padStart(4)} ms${t.killed ? '' : ' (had finished)'}: ${t.healed ? 'healed' : `NOT HEALED — ${t.note}`}${t.dataLost ? ' — DATA LOST' : ''} (${took})`);
        if (t.dataLost) await writeMarker(docker, project);
      }
    }
  } finally {
    await cleanupChaos(docker, project);
    rmSync(dirname(dir), { recursive: true, force: true });
  }
  const minutes = (Date.now() - started) / 60_000;
  const section = report(trials, downFailures, minutes);
  process.stdout.write(`\n${section}\n`);
  if (opts.write) writeSection(section);
  const perfect = trials.every((t) => t.healed && !t.dataLost && !t.leftovers && !t.duplicateContainers && !t.duplicateNetworks);
  process.exitCode = perfect ? 0 : 1;
}

/** @param {Trial[]} trials @param {string[]} downFailures @param {number} minutes */
function report(trials, downFailures, minutes) {
  const rows = [];
  for (const scenario of opts.only) {
    const ts = trials.filter((t) => t.scenario === scenario);
    const sum = (/** @type {(t: Trial) => number} */ f) => ts.reduce((n, t) => n + f(t), 0);
    rows.push(
      `| ${scenario === 'up' ? '`up` from nothing' : 'recreate (env change)'} | ${sum((t) => Number(t.healed))}/${ts.length} | ` +
        `${sum((t) => t.duplicateContainers)} / ${sum((t) => t.duplicateNetworks)} | ${sum((t) => t.leftovers)} | ${sum((t) => Number(t.dataLost))} | ` +
        `${sum((t) => Number(t.planLied))} | ${sum((t) => Number(!t.killed))} |`,
    );
  }
  const failures = trials.filter((t) => !t.healed).map((t) => `- ${t.scenario} #${t.trial} (kill at ${t.killAtMs} ms): ${t.note || 'not healed'}`);
  return [
    '## Chaos',
    '',
    `Command: \`npm run chaos -- --seed ${opts.seed}${opts.trials === 20 ? '' : ` --trials ${opts.trials}`}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
      `surge @ ${SURGE === DEFAULT_CLI ? gitHead() : SURGE}, ${minutes.toFixed(1)} min). ${SERVICES.length} services with dependencies and a healthcheck; \`surge up\` is killed ` +
      '(SIGKILL) at a random moment in 0–3 s, then `surge up` runs again; the engine is inspected after it. Target: all healed, 0, 0, 0.',
    '',
    '| scenario | healed | duplicates (containers / networks) | leftovers (temp containers) | data lost | `plan` said "no changes" while not whole | killed `up` had already finished |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(failures.length ? ['Not healed:', '', ...failures, ''] : []),
    ...(downFailures.length ? [`\`down\` failed between trials ${downFailures.length} time(s): ${[...new Set(downFailures)].slice(0, 3).join(' | ')}`, ''] : []),
  ].join('\n');
}

function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Replaces the "## Chaos" section of bench/RESULTS.md (the rest is `npm run bench`'s, which keeps this one). */
function writeSection(/** @type {string} */ section) {
  const file = join(REPO, 'bench/RESULTS.md');
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# surge benchmarks\n';
  const at = doc.indexOf('\n## Chaos\n');
  const before = (at === -1 ? doc : doc.slice(0, at)).trimEnd();
  writeFileSync(file, `${before}\n\n${section}\n`);
  log('chaos: wrote the Chaos section of bench/RESULTS.md');
}

await main();
