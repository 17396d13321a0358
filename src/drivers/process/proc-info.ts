// Is this pid still the process surge started? A pid alone can be reused by an unrelated process, so surge
// records the process start time and compares it before trusting (or signalling) a pid. On Linux it also reads the
// run markers a process carries in its environment (markers.ts), which find a replica's processes with no record.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { MARKER, markersFrom, parseEnviron, type MarkedProcess } from './markers.js';

export interface ProcStat {
  /** opaque start-time token: clock ticks since boot (Linux) or `ps -o lstart` text */
  startTime: string;
  zombie: boolean;
}

interface LinuxStat extends ProcStat {
  ppid: number;
  pgid: number;
}

/** /proc/PID/stat; the command name (field 2) may hold spaces and parentheses, so fields resume after the last ')'. */
function linuxStat(pid: number | string): LinuxStat | null {
  const text = readProcFile(`/proc/${pid}/stat`).toString('latin1');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { startTime: rest[19] ?? '', zombie: rest[0] === 'Z' || rest[0] === 'X', ppid: Number(rest[1]), pgid: Number(rest[2]) };
}

export function procStat(pid: number): ProcStat | null {
  try {
    return linuxStat(pid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return null;
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=,stat=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (!out) return null;
    const stat = out.slice(-4).trim();
    return { startTime: out.slice(0, -4).trim(), zombie: stat.startsWith('Z') };
  } catch {
    return null;
  }
}

/** True when `pid` is alive, not a zombie, and started at `startTime`. */
export function isSameProcess(pid: number, startTime: string): boolean {
  const s = procStat(pid);
  return s !== null && !s.zombie && s.startTime === startTime;
}

/** The process group surge itself runs in (Linux), so it never signals itself. */
export function ownProcessGroup(): number | null {
  try {
    return linuxStat('self')?.pgid ?? null;
  } catch {
    return null;
  }
}

/** Whether this machine shows processes' environments (Linux /proc): without it only records identify processes. */
export function canReadMarkers(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    readFileSync('/proc/self/environ');
    return true;
  } catch {
    return false;
  }
}

/** The run id in a live process's environment; null when it carries none or cannot be read (not ours to judge). */
export function runOf(pid: number): string | null {
  try {
    return markersFrom(parseEnviron(readProcFile(`/proc/${pid}/environ`).toString('latin1')))?.run ?? null;
  } catch {
    return null;
  }
}

let scratch = Buffer.alloc(64 * 1024);
const RUN_KEY = Buffer.from(`${MARKER.run}=`);

/**
 * A /proc file read whole into a reused buffer: readFileSync is several times slower on procfs (it has no size), and
 * a scan reads one environ per process.
 */
function readProcFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.alloc(scratch.length * 2);
        scratch.copy(bigger);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) return scratch.subarray(0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Every live process whose environment carries run markers, from one pass over /proc. Processes whose environment
 * cannot be read (another user's) are not ours and are skipped. Empty where /proc is not available.
 */
export function scanMarked(): MarkedProcess[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: MarkedProcess[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const environ = readProcFile(`/proc/${e}/environ`);
      if (environ.indexOf(RUN_KEY) < 0) continue;
      const markers = markersFrom(parseEnviron(environ.toString('latin1')));
      if (!markers) continue;
      const st = linuxStat(e);
      if (!st || st.zombie) continue;
      found.push({ ...markers, pid: Number(e), ppid: st.ppid, pgid: st.pgid, startTime: st.startTime });
    } catch {
      /* gone meanwhile, or not readable */
    }
  }
  return found;
}

/**
 * Whether any live process is left in the process group. Zombies do not count: they are dead, and whoever reaps
 * them (init, or a slow container init) may take its time.
 */
export function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      entries = [];
    }
    if (entries.length) {
      for (const e of entries) {
        if (!/^\d+$/.test(e)) continue;
        let st: LinuxStat | null;
        try {
          st = linuxStat(e);
        } catch {
          continue;
        }
        if (st && st.pgid === pgid && !st.zombie) return true;
      }
      return false;
    }
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
