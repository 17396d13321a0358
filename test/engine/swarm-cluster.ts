// The 3-node Docker Swarm of scripts/swarm-cluster.sh, for engine tests. ensureSwarm() brings it up at most once
// per test process (and skips `up` when an earlier run left it healthy and shaped the same); the cluster stays up
// afterwards, as the main engine does: `bash scripts/swarm-cluster.sh down` takes it away. Needs root.
//
// Every test that uses it gets the same shape: node 1 the only manager, nodes 2 and 3 workers, node 2 advertising
// NVIDIA-GPU=2, each node labelled surge-swarm.node=N. Tests remove what they create; only stop-node/start-node
// touch the cluster itself, and a test that stops a node starts it again.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type SwarmNode = 1 | 2 | 3;
export const SWARM_NODES: readonly SwarmNode[] = [1, 2, 3];

const SCRIPT = resolve(import.meta.dirname, '../../scripts/swarm-cluster.sh');
/** The shape every test run asks for; a different one would make `up` restart node 2 under another test's feet. */
const SETTINGS = { SWARM_MANAGERS: '1', SWARM_GPU_NODE: '2', SWARM_GPU_COUNT: '2' } as const;

export interface SwarmCluster {
  /** unix socket path of each node's dockerd */
  sockets: Record<SwarmNode, string>;
  /** DOCKER_HOST value for the manager (node 1) */
  dockerHost: string;
  /** each node's address on the cluster's bridge (its swarm advertise address) */
  addresses: Record<SwarmNode, string>;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string> = {}, timeoutMs = 170_000): Promise<Result> {
  return new Promise((done) => {
    // DOCKER_HOST from the caller's shell (e.g. `eval $(… env)`) must not redirect the script's or the CLI's calls.
    const { DOCKER_HOST: _ignored, ...inherited } = process.env;
    execFile(file, args, { env: { ...inherited, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function nodeSocket(n: SwarmNode): string {
  return `/run/surge-swarm/node${n}/docker.sock`;
}

export function nodeAddress(n: SwarmNode): string {
  return `198.18.0.1${n}`;
}

function cluster(): SwarmCluster {
  return {
    sockets: { 1: nodeSocket(1), 2: nodeSocket(2), 3: nodeSocket(3) },
    dockerHost: `unix://${nodeSocket(1)}`,
    addresses: { 1: nodeAddress(1), 2: nodeAddress(2), 3: nodeAddress(3) },
  };
}

/** The script's own record of how the running cluster was made (absent when it is down). */
function runningSettingsMatch(): boolean {
  let text: string;
  try {
    text = readFileSync('/run/surge-swarm/settings', 'utf8');
  } catch {
    return false;
  }
  const saved = Object.fromEntries(text.split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
  return saved.MANAGERS === SETTINGS.SWARM_MANAGERS && saved.GPU_NODE === SETTINGS.SWARM_GPU_NODE && saved.GPU_COUNT === SETTINGS.SWARM_GPU_COUNT;
}

let ready: Promise<SwarmCluster> | undefined;

/** Brings the cluster up (once per process) and returns where its engines listen. Throws with the script's output. */
export function ensureSwarm(): Promise<SwarmCluster> {
  ready ??= (async () => {
    if (runningSettingsMatch() && (await run('bash', [SCRIPT, 'status'])).code === 0) return cluster();
    const up = await run('bash', [SCRIPT, 'up'], { ...SETTINGS });
    if (up.code !== 0) throw new Error(`scripts/swarm-cluster.sh up failed (exit ${up.code}):\n${up.stderr}${up.stdout}`);
    return cluster();
  })();
  return ready;
}

/** The docker CLI against node n's engine. */
export function dockerOn(n: SwarmNode, args: string[], timeoutMs?: number): Promise<Result> {
  return run('docker', ['-H', `unix://${nodeSocket(n)}`, ...args], {}, timeoutMs);
}

/** Stops node n's dockerd (SIGTERM, or SIGKILL to leave its containers running as after an engine crash). */
export async function stopNode(n: SwarmNode, kill = false): Promise<void> {
  const r = await run('bash', [SCRIPT, 'stop-node', String(n), ...(kill ? ['--kill'] : [])]);
  if (r.code !== 0) throw new Error(`stop-node ${n} failed:\n${r.stderr}`);
}

export async function startNode(n: SwarmNode): Promise<void> {
  const r = await run('bash', [SCRIPT, 'start-node', String(n)], { ...SETTINGS });
  if (r.code !== 0) throw new Error(`start-node ${n} failed:\n${r.stderr}`);
}
