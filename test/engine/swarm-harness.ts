// A surge project on the local 3-node Swarm (scripts/swarm-cluster.sh): the built CLI run with DOCKER_HOST on the
// manager (node 1) and `driver = "swarm"`, and the docker CLI on any node for assertions. Each stack has a unique
// project name and takes away only what it made.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run, type Result } from './cli.js';
import { dockerOn, ensureSwarm, nodeSocket, type SwarmNode } from './swarm-cluster.js';

export const MANAGER = `unix://${nodeSocket(1)}`;
const PROGRESS_COMMANDS = new Set(['up', 'down', 'apply', 'scale', 'run']);

/** A busybox process that stops at once on SIGTERM (sh is PID 1 and traps it). */
export const SLEEP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

export class SwarmStack {
  readonly dir: string;
  readonly name: string;

  constructor(prefix: string) {
    this.name = `${prefix}${Math.random().toString(36).slice(2, 7)}`;
    this.dir = join(mkdtempSync(join(tmpdir(), 'surge-swarm-')), this.name);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes the Boltfile: the project name and `driver = "swarm"` (dnsrr: this kernel has no IPVS) come first. */
  write(boltfile: string, options: { vip?: boolean } = {}): void {
    const swarm = options.vip ? '' : '[swarm]\nendpoint_mode = "dnsrr"\n';
    writeFileSync(join(this.dir, 'Boltfile.toml'), `project = "${this.name}"\ndriver = "swarm"\n${boltfile}\n${swarm}`);
  }

  file(name: string, text: string): void {
    writeFileSync(join(this.dir, name), text);
  }

  surge(...args: string[]): Promise<Result> {
    const [command, ...rest] = args;
    const withProgress = command && PROGRESS_COMMANDS.has(command) ? [command, '--progress', 'plain', ...rest] : args;
    return run(withProgress, this.dir, { DOCKER_HOST: MANAGER });
  }

  /** The docker CLI on the manager (or another node), throwing with its output when it fails. */
  async docker(args: string[], node: SwarmNode = 1): Promise<string> {
    const r = await dockerOn(node, args);
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} (node ${node}) failed (exit ${r.code}): ${r.stderr}`);
    return r.stdout.trim();
  }

  /** `docker service inspect` of one of the stack's services, as JSON. */
  async service(name: string): Promise<{ ID: string; Version: { Index: number }; CreatedAt: string; Spec: Record<string, unknown>; UpdateStatus?: { State: string } }> {
    return JSON.parse(await this.docker(['service', 'inspect', `${this.name}_${name}`]))[0];
  }

  /** The running tasks of a service: node hostname per task. */
  async nodesOf(name: string): Promise<string[]> {
    const out = await this.docker(['service', 'ps', `${this.name}_${name}`, '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}']);
    return out
      .split('\n')
      .filter((l) => /Running/.test(l))
      .map((l) => l.split(' ')[0] as string)
      .sort();
  }

  /** Takes the stack down and removes its folder. */
  async destroy(): Promise<void> {
    await this.surge('down', '--volumes', '--remove-orphans');
    // A lock config left by a test that failed half way must not outlive it.
    await dockerOn(1, ['config', 'rm', `surge-lock.${this.name}`]);
    rmSync(dirname(this.dir), { recursive: true, force: true });
  }
}

/** A test file's stacks: `make` names and records each, `destroyAll` removes every one (in afterAll). */
export function stackSet(): { make(prefix: string): SwarmStack; destroyAll(): Promise<void> } {
  const made: SwarmStack[] = [];
  return {
    make(prefix) {
      const s = new SwarmStack(prefix);
      made.push(s);
      return s;
    },
    async destroyAll() {
      for (const s of made) await s.destroy();
    },
  };
}

/** The cluster up (once per test process) before a test file's stacks are made. */
export async function swarmReady(): Promise<void> {
  await ensureSwarm();
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
