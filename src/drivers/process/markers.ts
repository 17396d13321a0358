// The identity a host process carries in its own environment, so surge can find it without trusting any file. Every
// process of a replica's run inherits these variables (children too, unless they clear their environment), and
// /proc/PID/environ shows them as the process was started: a record that is lost, truncated or wrong can always be
// checked against the live processes.
//
// - SURGE_PROJECT / SURGE_SERVICE / SURGE_REPLICA: documented, for the service's own use.
// - SURGE_INSTANCE: which project folder started it. Project names collide between folders (two checkouts of one
//   repository), so the name alone never says a process is ours; the digest of the state folder's real path does.
// - SURGE_RUN: one start of one replica, a random token. Only a replica's own processes carry it (exec'd commands and
//   healthchecks do not), the record names it, and so does the exit file the wrapper writes.
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../model/config-hash.js';

export const MARKER = {
  project: 'SURGE_PROJECT',
  service: 'SURGE_SERVICE',
  replica: 'SURGE_REPLICA',
  instance: 'SURGE_INSTANCE',
  run: 'SURGE_RUN',
} as const;

/** What a live process's environment says about which replica run it belongs to. */
export interface RunMarkers {
  project: string;
  service: string;
  replica: number;
  instance: string;
  run: string;
}

/** A live, non-zombie process that carries run markers. */
export interface MarkedProcess extends RunMarkers {
  pid: number;
  ppid: number;
  /** process group id: the wrapper's pid while the group is the one surge created */
  pgid: number;
  startTime: string;
}

/** Run ids are 16 hex digits: exit file names are matched by that shape. */
export const RUN_ID = /^[0-9a-f]{16}$/;

export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The project folder's identity: a digest of the real path of `.surge/<project>`, stable across symlinked paths and
 * surge versions, different for two folders that use the same project name.
 */
export function instanceId(workingDir: string, project: string): string {
  let dir = workingDir;
  try {
    dir = realpathSync(workingDir);
  } catch {
    /* a folder that is gone: its spelled path is all there is */
  }
  return sha256(join(dir, '.surge', project)).slice(0, 16);
}

/** /proc/PID/environ text (NUL-separated KEY=VALUE) → variables. The first of a repeated key wins, as getenv does. */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (!(key in env)) env[key] = entry.slice(eq + 1);
  }
  return env;
}

/** The run markers in an environment, or null when any is missing or malformed. */
export function markersFrom(env: Record<string, string | undefined>): RunMarkers | null {
  const project = env[MARKER.project];
  const service = env[MARKER.service];
  const replica = Number(env[MARKER.replica]);
  const instance = env[MARKER.instance];
  const run = env[MARKER.run];
  if (!project || !service || !instance || !run || !RUN_ID.test(run) || !Number.isInteger(replica) || replica < 1) return null;
  return { project, service, replica, instance, run };
}
