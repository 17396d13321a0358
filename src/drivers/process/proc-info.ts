// Is this pid still the process surge started? A pid alone can be reused by an unrelated process, so surge
// records the process start time and compares it before trusting (or signalling) a pid.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  /** opaque start-time token: clock ticks since boot (Linux) or `ps -o lstart` text */
  startTime: string;
  zombie: boolean;
}

export function procStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { startTime: rest[19] ?? '', zombie: rest[0] === 'Z' || rest[0] === 'X' };
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
        let text: string;
        try {
          text = readFileSync(`/proc/${e}/stat`, 'utf8');
        } catch {
          continue;
        }
        const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
        if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') return true;
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
