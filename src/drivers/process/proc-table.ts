// What `top` and `stats` show of a host process, read from /proc (Linux): the members of its process group (the
// command and its children; the wrapper that records the exit code is surge's, not the user's, and is left out),
// with ps's columns, and CPU, memory and block I/O figures. Elsewhere there is no /proc: those commands say so.
import { readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { UserError } from '../../model/errors.js';
import type { ProcessTable } from '../inspect-types.js';

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux architecture Node runs on. */
const CLK_TCK = 100;

export interface ProcStatFields {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  ttyNr: number;
  /** user + system CPU time, clock ticks */
  cpuTicks: number;
  /** start time, clock ticks after boot */
  startTicks: number;
}

export function hasProc(): boolean {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
}

export function requireProc(what: string): void {
  if (!hasProc()) throw new UserError(`${what} of a host process reads /proc, which this system (${process.platform}) does not have`, 'precondition');
}

/** /proc/PID/stat, split after the command name (which may hold spaces and parentheses); null when it is gone. */
export function readProcStat(pid: number): ProcStatFields | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  const n = (i: number): number => Number(f[i] ?? 0);
  return { pid, comm, state: f[0] ?? '?', ppid: n(1), pgrp: n(2), ttyNr: n(4), cpuTicks: n(11) + n(12), startTicks: n(19) };
}

/** Live members of process group `pgid`, the group leader (surge's wrapper) left out; sorted by pid. */
export function groupMembers(pgid: number): ProcStatFields[] {
  const out: ProcStatFields[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === pgid) continue;
    const s = readProcStat(pid);
    if (s && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X') out.push(s);
  }
  return out.sort((a, b) => a.pid - b.pid);
}

function uptimeSeconds(): number {
  try {
    return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}

let userNames: Map<number, string> | null = null;
function userName(uid: number): string {
  if (!userNames) {
    userNames = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id !== undefined && !userNames.has(Number(id))) userNames.set(Number(id), name);
      }
    } catch {
      const me = userInfo();
      userNames.set(me.uid, me.username);
    }
  }
  return userNames.get(uid) ?? String(uid);
}

function uidOf(pid: number): number {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

/** Resident memory, bytes (VmRSS). */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Bytes read from and written to storage (/proc/PID/io); null when the kernel does not let us read it. */
export function blockIo(pid: number): { read: number; write: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'utf8');
    const get = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { read: get('read_bytes'), write: get('write_bytes') };
  } catch {
    return null;
  }
}

function commandLine(s: ProcStatFields): string {
  try {
    const raw = readFileSync(`/proc/${s.pid}/cmdline`, 'utf8');
    const words = raw.split('\0').filter(Boolean);
    return words.length ? words.join(' ') : `[${s.comm}]`;
  } catch {
    return `[${s.comm}]`;
  }
}

function tty(nr: number): string {
  if (nr === 0) return '?';
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major === 136) return `pts/${minor}`;
  if (major === 4) return `tty${minor}`;
  return '?';
}

const two = (n: number): string => String(n).padStart(2, '0');

/** ps's TIME: cumulative CPU time as [DD-]HH:MM:SS. */
export function cpuTime(ticks: number): string {
  let s = Math.floor(ticks / CLK_TCK);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const text = `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return days ? `${days}-${text}` : text;
}

/** ps's STIME: HH:MM when it started today, else "Mon DD". */
export function startTime(startedAt: Date, now: Date = new Date()): string {
  if (startedAt.toDateString() === now.toDateString()) return `${two(startedAt.getHours())}:${two(startedAt.getMinutes())}`;
  return `${startedAt.toLocaleString('en-US', { month: 'short' })}${two(startedAt.getDate())}`;
}

/** The columns of `ps -ef`, as `docker top` shows them, for the members of a host process's group. */
export function processTable(pgid: number, now = Date.now()): ProcessTable {
  const up = uptimeSeconds();
  const bootMs = now - up * 1000;
  const processes = groupMembers(pgid).map((s) => {
    const started = new Date(bootMs + (s.startTicks / CLK_TCK) * 1000);
    const elapsed = Math.max(up - s.startTicks / CLK_TCK, 0.01);
    const c = Math.floor(((s.cpuTicks / CLK_TCK) / elapsed) * 100);
    return [userName(uidOf(s.pid)), String(s.pid), String(s.ppid), String(c), startTime(started, new Date(now)), tty(s.ttyNr), cpuTime(s.cpuTicks), commandLine(s)];
  });
  return { titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes };
}

export interface GroupSample {
  cpuTicks: number;
  pids: number[];
  rss: number;
  read: number | null;
  write: number | null;
}

/** CPU ticks, memory and I/O of a group's members now. */
export function sampleGroup(pgid: number): GroupSample {
  const members = groupMembers(pgid);
  let read: number | null = null;
  let write: number | null = null;
  for (const m of members) {
    const io = blockIo(m.pid);
    if (io) {
      read = (read ?? 0) + io.read;
      write = (write ?? 0) + io.write;
    }
  }
  return {
    cpuTicks: members.reduce((n, m) => n + m.cpuTicks, 0),
    pids: members.map((m) => m.pid),
    rss: members.reduce((n, m) => n + rssBytes(m.pid), 0),
    read,
    write,
  };
}

/** CPU use between two samples, percent of one CPU (as `docker stats` counts it: 200% is two cores busy). */
export function cpuPercent(before: GroupSample, after: GroupSample, elapsedMs: number): number {
  const delta = Math.max(0, after.cpuTicks - before.cpuTicks);
  return elapsedMs > 0 ? (delta / CLK_TCK / (elapsedMs / 1000)) * 100 : 0;
}
