// Damage and inspection for host-process reliability tests. It reads /proc itself (never through the code under test),
// so what it reports about live processes is an independent witness: which processes carry a project's markers, which
// of them is the wrapper, the service's main process or a child, and how many copies of a replica run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface LiveProc {
  pid: number;
  ppid: number;
  pgid: number;
  /** /proc/PID/stat field 22: clock ticks since boot when the process started */
  startTime: string;
  cmdline: string;
  env: Record<string, string>;
}

function stat(pid: number): { ppid: number; pgid: number; startTime: string; zombie: boolean } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), pgid: Number(f[2]), startTime: f[19] ?? '', zombie: f[0] === 'Z' || f[0] === 'X' };
  } catch {
    return null;
  }
}

function environ(pid: number): Record<string, string> {
  try {
    const env: Record<string, string> = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return {};
  }
}

/** Live (not zombie) processes whose environment says they belong to `project` (and `service`, when given). */
export function processesOf(project: string, service?: string): LiveProc[] {
  const found: LiveProc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const env = environ(pid);
    if (env.SURGE_PROJECT !== project || (service !== undefined && env.SURGE_SERVICE !== service)) continue;
    const st = stat(pid);
    if (!st || st.zombie) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue;
    }
    found.push({ pid, ppid: st.ppid, pgid: st.pgid, startTime: st.startTime, cmdline, env });
  }
  return found;
}

/**
 * A replica's command for these tests: `sleep 301 & exec sleep 302`. Run through the wrapper, it makes three
 * processes that can be told apart by their command line: the wrapper (the sh that records the exit code), the
 * service's main process (`sleep 302`) and its child (`sleep 301`).
 */
export const TREE_COMMAND = 'sleep 301 & exec sleep 302';
export type Target = 'wrapper' | 'main' | 'child';

export interface Tree {
  wrapper: LiveProc[];
  main: LiveProc[];
  child: LiveProc[];
  /** process groups that hold any process of the service */
  groups: number[];
  all: LiveProc[];
}

export function tree(project: string, service: string): Tree {
  const all = processesOf(project, service);
  return {
    wrapper: all.filter((p) => p.cmdline.includes('surge-process')),
    main: all.filter((p) => p.cmdline === 'sleep 302'),
    child: all.filter((p) => p.cmdline === 'sleep 301'),
    groups: [...new Set(all.map((p) => p.pgid))].sort((a, b) => a - b),
    all,
  };
}

/** The counts a test compares: how many copies of each part of the replica run, in how many groups. */
export function copies(project: string, service: string): { wrappers: number; mains: number; children: number; groups: number } {
  const t = tree(project, service);
  return { wrappers: t.wrapper.length, mains: t.main.length, children: t.child.length, groups: t.groups.length };
}

export function pidOf(project: string, service: string, target: Target): number {
  const list = tree(project, service)[target];
  if (list.length !== 1) throw new Error(`expected one ${target} process of ${project}/${service}, found ${list.length}`);
  return (list[0] as LiveProc).pid;
}

export function killNow(pid: number): void {
  process.kill(pid, 'SIGKILL');
}

/** Kills every process group that holds a process of `project` (test cleanup, after the assertions). */
export function killProject(project: string): void {
  for (const g of new Set(processesOf(project).map((p) => p.pgid))) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Polls `check` every `everyMs` until it holds; fails after `ms` naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition', everyMs = 50): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until `pid` is gone (or a zombie nobody has reaped yet). */
export function gone(pid: number): Promise<void> {
  return until(() => {
    const st = stat(pid);
    return st === null || st.zombie;
  }, 60_000, `pid ${pid} to end`);
}

export function startTimeOf(pid: number): string {
  const st = stat(pid);
  if (!st) throw new Error(`no process ${pid}`);
  return st.startTime;
}

export function isAlive(pid: number): boolean {
  const st = stat(pid);
  return st !== null && !st.zombie;
}

export type Corruption = 'truncated' | 'empty' | 'garbage' | 'reused-pid';
export const CORRUPTIONS: Corruption[] = ['truncated', 'empty', 'garbage', 'reused-pid'];

/**
 * Damages a state record the way a crash, a full disk or a hand edit does. `reused-pid` leaves valid JSON whose pid
 * and start time now name an unrelated live process (as if the pid had been reused and the record still believed it).
 */
export function corruptRecord(file: string, kind: Corruption, unrelatedPid: number): void {
  const text = readFileSync(file, 'utf8');
  if (kind === 'truncated') writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
  else if (kind === 'empty') writeFileSync(file, '');
  else if (kind === 'garbage') writeFileSync(file, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x7b, 0x22, 0x9c, 0x0a]));
  else writeFileSync(file, JSON.stringify({ ...(JSON.parse(text) as object), pid: unrelatedPid, startTime: startTimeOf(unrelatedPid) }));
}

/** An unrelated process in a process group of its own, as a reused pid would be. Kill it with `.kill('SIGKILL')`. */
export async function unrelatedProcess(): Promise<ChildProcess> {
  const child = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
  await new Promise((r) => child.once('spawn', r));
  return child;
}
