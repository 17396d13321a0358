// Live state of host processes, under `.surge/<project>/` beside the Boltfile: one record per replica, written
// atomically (temp file, fsync, rename), private to the user (files 0600, folders 0700, whatever mode a file had
// before). Records are checked, never trusted blindly. A run's exit file is named after the run, so an exit code
// written by any other process is never taken for the current run's.
import { chmodSync, closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_ID } from './markers.js';

export interface ProcessRecord {
  version: 1;
  project: string;
  service: string;
  replica: number;
  /** the wrapper's pid, which is also the process group id */
  pid: number;
  startTime: string;
  /** the run's id (SURGE_RUN in its processes' environment); absent in records of surge before 0.2 */
  run?: string;
  /** SURGE_INSTANCE of the folder that started it */
  instance?: string;
  configHash: string;
  config: Record<string, unknown> | null;
  command: string[];
  createdAt: string;
  startedAt: string;
  stoppedAt: string | null;
  stoppedBySurge: boolean;
  /** size of the log file when this run started: `logs --since` shows a run from there */
  logOffset?: number;
}

export type RecordRead = { ok: true; record: ProcessRecord; file: string } | { ok: false; file: string; problem: string };

export class StateStore {
  readonly root: string;
  readonly dir: string;
  readonly logDir: string;

  constructor(workingDir: string, project: string) {
    this.root = join(workingDir, '.surge');
    this.dir = join(this.root, project);
    this.logDir = join(this.dir, 'logs');
  }

  ensure(): void {
    for (const d of [this.root, this.dir, this.logDir]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
      chmodSync(d, 0o700);
    }
  }

  recordFile(service: string, replica: number): string {
    return join(this.dir, `${service}-${replica}.json`);
  }

  /** Where the wrapper of run `run` writes its exit code; `null`: the one file of records from before runs had ids. */
  exitFile(service: string, replica: number, run: string | null): string {
    return join(this.dir, run === null ? `${service}-${replica}.exit` : `${service}-${replica}.${run}.exit`);
  }

  logFile(service: string, replica: number): string {
    return join(this.logDir, `${service}-${replica}.log`);
  }

  /** Opens the replica's log for appending, private whatever mode an existing log had. */
  openLog(service: string, replica: number): number {
    const fd = openSync(this.logFile(service, replica), 'a', 0o600);
    fchmodSync(fd, 0o600);
    return fd;
  }

  write(record: ProcessRecord): void {
    this.ensure();
    atomicWrite(this.recordFile(record.service, record.replica), `${JSON.stringify(record, null, 2)}\n`);
  }

  remove(service: string, replica: number, withLog: boolean): void {
    rmSync(this.recordFile(service, replica), { force: true });
    this.clearExitCodes(service, replica);
    if (withLog) rmSync(this.logFile(service, replica), { force: true });
  }

  readExitCode(service: string, replica: number, run: string | null): number | null {
    try {
      const text = readFileSync(this.exitFile(service, replica, run), 'utf8').trim();
      return /^\d+$/.test(text) ? Number(text) : null;
    } catch {
      return null;
    }
  }

  /** Removes every exit file of the replica: the legacy one and those of all runs (and their temp files). */
  clearExitCodes(service: string, replica: number): void {
    const prefix = `${service}-${replica}.`;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (!n.startsWith(prefix)) continue;
      const rest = n.slice(prefix.length).replace(/\.tmp$/, '');
      if (rest === 'exit' || (rest.endsWith('.exit') && RUN_ID.test(rest.slice(0, -'.exit'.length)))) rmSync(join(this.dir, n), { force: true });
    }
  }

  /** What surge knows of an end the wrapper could not record itself (the whole group was killed). */
  writeExitCode(service: string, replica: number, run: string | null, code: number): void {
    atomicWrite(this.exitFile(service, replica, run), String(code));
  }

  /**
   * An unreadable record is never overwritten: it may be all that is known of a process still running. It is moved
   * aside (and its name returned) so a new process of that replica can be recorded.
   */
  setAsideCorrupt(service: string, replica: number): string | null {
    const file = this.recordFile(service, replica);
    if (!existsSync(file) || readRecord(file).ok) return null;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    chmodSync(aside, 0o600);
    return aside;
  }

  readAll(): RecordRead[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names.sort().map((n) => readRecord(join(this.dir, n)));
  }
}

export function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    // A temp file left by a crash keeps its old mode when reopened.
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function readRecord(file: string): RecordRead {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, file, problem: `corrupt state file ${file} (${(err as Error).message.split('\n')[0]}); it is not trusted` };
  }
  const r = data as Partial<ProcessRecord>;
  const valid =
    r &&
    r.version === 1 &&
    typeof r.service === 'string' &&
    typeof r.replica === 'number' &&
    typeof r.pid === 'number' &&
    r.pid > 1 &&
    typeof r.startTime === 'string' &&
    (r.run === undefined || (typeof r.run === 'string' && RUN_ID.test(r.run))) &&
    (r.instance === undefined || typeof r.instance === 'string') &&
    typeof r.configHash === 'string' &&
    Array.isArray(r.command);
  if (!valid) return { ok: false, file, problem: `corrupt state file ${file} (missing or invalid fields); it is not trusted` };
  return { ok: true, record: r as ProcessRecord, file };
}
