// Fuzzing the loader: thousands of mutated real Boltfiles, each loaded in a worker process with a heap limit and a
// time limit. A case passes when the loader returns a project or throws a user error (ConfigError/UserError) in
// time; anything else (another error, a timeout, a crashed worker, a slow case) is a bug and fails the run.
// "Slow" is judged on the case's CPU time (a loaded machine stretches wall time); the timeout is wall time.
//
//   npm run fuzz -- [--cases 6000] [--seed 1] [--workers 2] [--timeout-ms 30000] [--slow-ms 5000] [--heap-mb 512]
//                   [--save DIR] [--only 17,42]
//
// Same seed, same cases: `--only N` replays case N. `--save DIR` writes every failing input there.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCorpus, runCase, type CaseResult } from './fuzz-case.js';
import { mutateCase } from './mutate.js';

interface Options {
  cases: number;
  seed: number;
  workers: number;
  timeoutMs: number;
  slowMs: number;
  heapMb: number;
  save: string | null;
  only: number[] | null;
}

function options(argv: string[]): Options {
  const o: Options = { cases: 6000, seed: 1, workers: Math.min(4, availableParallelism()), timeoutMs: 30_000, slowMs: 5_000, heapMb: 512, save: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    i++;
    if (flag === '--cases') o.cases = Number(value);
    else if (flag === '--seed') o.seed = Number(value);
    else if (flag === '--workers') o.workers = Number(value);
    else if (flag === '--timeout-ms') o.timeoutMs = Number(value);
    else if (flag === '--slow-ms') o.slowMs = Number(value);
    else if (flag === '--heap-mb') o.heapMb = Number(value);
    else if (flag === '--save') o.save = value;
    else if (flag === '--only') o.only = value.split(',').map(Number);
    else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

type Verdict = CaseResult['outcome'] | 'timeout' | 'crash';
interface Row {
  index: number;
  verdict: Verdict;
  detail: string | null;
  ms: number;
  cpuMs: number;
  rssMb: number;
}

/** Worker side: regenerate each case from its index (nothing big crosses the pipe), run it, answer. */
function worker(seed: number, root: string): void {
  const corpus = readCorpus();
  process.on('disconnect', () => process.exit(0));
  process.on('message', (index: number) => {
    const r = runCase(mutateCase(seed, index, corpus), root);
    process.send?.({ ...r, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
  });
}

async function parent(o: Options): Promise<number> {
  const corpus = readCorpus();
  const queue = o.only ?? Array.from({ length: o.cases }, (_, i) => i);
  const rows: Row[] = [];
  const self = fileURLToPath(import.meta.url);
  const started = performance.now();
  // One folder for every worker's cases, removed here: a worker killed mid-case cannot clean up after itself.
  const root = mkdtempSync(join(tmpdir(), 'surge-fuzz-'));
  let next = 0;

  const runWorker = (): Promise<void> =>
    new Promise((done) => {
      let child: ChildProcess;
      let current: number | null = null;
      let timer: NodeJS.Timeout | null = null;
      let stderr = '';
      let caseStart = 0;
      const spawnChild = (): void => {
        stderr = '';
        child = fork(self, ['--worker', String(o.seed), root], { execArgv: [`--max-old-space-size=${o.heapMb}`], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
        child.on('message', (m: CaseResult & { rssMb: number }) => {
          if (timer) clearTimeout(timer);
          rows.push({ index: m.index, verdict: m.outcome, detail: m.error, ms: m.ms, cpuMs: m.cpuMs, rssMb: m.rssMb });
          current = null;
          feed();
        });
        child.on('exit', (code, signal) => {
          if (timer) clearTimeout(timer);
          if (current === null) return;
          const why = signal === 'SIGKILL' && performance.now() - caseStart >= o.timeoutMs ? null : `exit ${code ?? signal}: ${lastLine(stderr)}`;
          rows.push({ index: current, verdict: why ? 'crash' : 'timeout', detail: why ?? `over ${o.timeoutMs} ms`, ms: performance.now() - caseStart, cpuMs: performance.now() - caseStart, rssMb: 0 });
          current = null;
          spawnChild();
          feed();
        });
      };
      const feed = (): void => {
        if (next >= queue.length) {
          child.disconnect();
          done();
          return;
        }
        current = queue[next++] as number;
        caseStart = performance.now();
        timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
        child.send(current);
      };
      spawnChild();
      feed();
    });

  await Promise.all(Array.from({ length: Math.max(1, o.workers) }, runWorker));
  rmSync(root, { recursive: true, force: true });
  rows.sort((a, b) => a.index - b.index);
  report(rows, o, corpus, performance.now() - started);
  const bad = rows.filter((r) => isBad(r, o));
  return bad.length ? 1 : 0;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((l) => l.trim() && !l.startsWith('    at '));
  return (lines.find((l) => /heap out of memory|Maximum call stack|FATAL|Error/.test(l)) ?? lines.at(-1) ?? '').slice(0, 200);
}

function isBad(r: Row, o: Options): boolean {
  return r.verdict === 'other-error' || r.verdict === 'timeout' || r.verdict === 'crash' || r.cpuMs > o.slowMs;
}

function report(rows: Row[], o: Options, corpus: { name: string; text: string }[], totalMs: number): void {
  const count = (v: Verdict): number => rows.filter((r) => r.verdict === v).length;
  const slow = rows.filter((r) => r.cpuMs > o.slowMs && r.verdict !== 'timeout');
  const times = rows.map((r) => r.cpuMs).sort((a, b) => a - b);
  const at = (q: number): number => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
  const out = (s: string): void => void process.stdout.write(`${s}\n`);
  out(`loader fuzz: ${rows.length} cases (seed ${o.seed}, ${corpus.length} corpus files) in ${(totalMs / 1000).toFixed(1)} s`);
  out(`  project     ${count('project')}`);
  out(`  user error  ${count('user-error')}`);
  out(`  other error ${count('other-error')}`);
  out(`  timeout     ${count('timeout')} (over ${o.timeoutMs} ms)`);
  out(`  crash       ${count('crash')}`);
  out(`  slow        ${slow.length} (over ${o.slowMs} ms of CPU)`);
  out(`  CPU time per case: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${Math.round(times.at(-1) ?? 0)} ms; wall max ${Math.round(Math.max(0, ...rows.map((r) => r.ms)))} ms; worker RSS max ${Math.max(0, ...rows.map((r) => r.rssMb))} MiB`);
  const groups = new Map<string, number[]>();
  for (const r of rows.filter((x) => isBad(x, o))) {
    const key = `${r.verdict}${r.detail ? `: ${r.detail}` : ''}${r.cpuMs > o.slowMs && r.verdict !== 'timeout' ? ' (slow)' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r.index]);
  }
  for (const [key, indexes] of [...groups.entries()].sort((a, b) => b[1].length - a[1].length)) {
    const sample = indexes.slice(0, 3).map((i) => {
      const c = mutateCase(o.seed, i, corpus);
      return `#${i} (${c.ops.join('+')}, ${Math.round(rows.find((r) => r.index === i)?.cpuMs ?? 0)} ms CPU)`;
    });
    out(`  ${indexes.length} × ${key}\n      e.g. ${sample.join(', ')}`);
  }
  if (o.save) {
    mkdirSync(o.save, { recursive: true });
    for (const r of rows.filter((x) => isBad(x, o))) writeFileSync(join(o.save, `case-${r.index}.toml`), mutateCase(o.seed, r.index, corpus).bytes);
    out(`  failing inputs saved in ${o.save}`);
  }
}

if (process.argv[2] === '--worker') worker(Number(process.argv[3]), process.argv[4] as string);
else process.exitCode = await parent(options(process.argv.slice(2)));
