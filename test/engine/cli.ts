// Runs the built CLI the way a user does, in a folder of its own, and talks to the engine for assertions.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Docker from 'dockerode';
import { afterAll } from 'vitest';

export const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
export const BASE_IMAGE = 'surge-test/busybox:1';
/** A long-running command that stops at once on SIGTERM (sh is PID 1 and traps it). */
export const SLEEPER = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 3600 & wait $$!; done"]`;

export const docker = new Docker({ socketPath: '/var/run/docker.sock' });

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolvePromise) => {
    // The built file itself, through its shebang, as the installed `surge` command runs.
    const child = spawn(CLI, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

// Folders of every stack of a test file go when it is done (after the file's own hooks took the stacks down).
const folders: string[] = [];
afterAll(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

export class Stack {
  readonly dir: string;
  readonly name: string;

  constructor(prefix: string) {
    this.name = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
    this.dir = join(mkdtempSync(join(tmpdir(), 'surge-e2e-')), this.name);
    folders.push(dirname(this.dir));
    mkdirSync(this.dir, { recursive: true });
  }

  write(boltfile: string, file = 'Boltfile.toml'): void {
    writeFileSync(join(this.dir, file), `project = "${this.name}"\n${boltfile}`);
  }

  file(name: string, text: string): void {
    writeFileSync(join(this.dir, name), text);
  }

  /** Commands that report progress do it as plain lines, so tests can read them. */
  surge(...args: string[]): Promise<Result> {
    const [command, ...rest] = args;
    const withProgress = command && PROGRESS_COMMANDS.has(command) ? [command, '--progress', 'plain', ...rest] : args;
    return run(withProgress, this.dir);
  }

  /** containers of this project by name → id */
  async containers(all = true): Promise<Record<string, Docker.ContainerInfo>> {
    const list = await docker.listContainers({ all, filters: { label: [`surge.project=${this.name}`] } });
    return Object.fromEntries(list.map((c) => [(c.Names[0] ?? '').replace(/^\//, ''), c]));
  }

  async ids(): Promise<Record<string, string>> {
    return Object.fromEntries(Object.entries(await this.containers()).map(([n, c]) => [n, c.Id]));
  }

  /** Takes the stack down (volumes and built images too) and removes its folder. */
  async destroy(): Promise<void> {
    await run(['down', '--volumes', '--remove-orphans', '--rmi', 'local', '-t', '1', '--progress', 'quiet'], this.dir);
    await removeBuiltImages(this.name);
    rmSync(dirname(this.dir), { recursive: true, force: true });
  }
}

const PROGRESS_COMMANDS = new Set(['up', 'down', 'apply', 'start', 'stop', 'restart', 'build', 'pull', 'scale', 'run', 'watch']);


/**
 * Every image a build of the project left, tagged or not: `down --rmi local` removes the image a service runs now,
 * but a rebuild leaves the one it replaced (and the build steps under it) untagged. Newest first: children before
 * their parents, which the engine then prunes with them.
 */
export async function removeBuiltImages(project: string): Promise<void> {
  const images = await docker.listImages({ all: true, filters: { label: [`surge.project=${project}`] } });
  for (const image of images.sort((a, b) => b.Created - a.Created)) {
    await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  }
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, picked by the kernel: a guessed one may be held by another
 * test run, or be one of the ephemeral ports outgoing connections use.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

export interface Background {
  stdout(): string;
  stderr(): string;
  /** resolves once `text` appears on stdout or stderr; rejects after `timeoutMs` */
  until(text: string | RegExp, timeoutMs?: number): Promise<void>;
  signal(sig?: NodeJS.Signals): void;
  exit: Promise<number>;
}

/** The CLI left running (logs -f, events, up --attach …), to read what it prints and signal it. */
export function background(args: string[], cwd: string, env: Record<string, string> = {}): Background {
  const child = spawn(CLI, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exit = new Promise<number>((r) => child.on('close', (code, sig) => r(code ?? (sig ? 128 : 1))));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    async until(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = (): boolean => (typeof text === 'string' ? (stdout + stderr).includes(text) : text.test(stdout + stderr));
      while (!seen()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    signal: (sig = 'SIGINT') => void child.kill(sig),
    exit,
  };
}
