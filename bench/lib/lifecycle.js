// Group "lifecycle": cold up, no-op up and down of one stack with surge, docker-compose and the floor, side by side.
import { rmSync } from 'node:fs';
import { cleanup, countContainers } from './engine.js';
import { floorDown, floorNoop, floorUp } from './floor.js';
import { writeStack } from './stacks.js';
import { run, sleep, time } from './timing.js';

export const TOOLS = /** @type {const} */ (['surge', 'compose', 'floor']);
export const PHASES = /** @type {const} */ (['cold', 'noop', 'down']);

/**
 * @typedef {{ docker: import('dockerode'), surgeCli: string, log: (s: string) => void }} Ctx
 * @typedef {typeof TOOLS[number]} Tool
 * @typedef {typeof PHASES[number]} Phase
 * @typedef {Record<Tool, Record<Phase, number[]>>} Samples
 * @typedef {{ tool: Tool, phase: Phase, round: number, message: string }} Failure
 */

/**
 * A phase that takes longer is killed and counted as a failed run: docker-compose 1.29 has been seen to stop for good
 * creating the 100-service stack on a loaded engine (11–27 of 100 created), which hung the whole benchmark.
 */
const PHASE_LIMIT_MS = 300_000;

/**
 * One phase by one tool, in a folder holding both files; returns its wall time in ms.
 * @param {Ctx} ctx @param {Tool} tool @param {Phase} phase @param {string} dir @param {string} project
 * @param {import('./stacks.js').ServiceSpec[]} services
 */
async function step(ctx, tool, phase, dir, project, services) {
  if (tool === 'surge') {
    const args = phase === 'down' ? ['down', '--progress', 'quiet'] : ['up', '--progress', 'quiet'];
    return (await run(process.execPath, [ctx.surgeCli, ...args], { cwd: dir, timeoutMs: PHASE_LIMIT_MS })).ms;
  }
  if (tool === 'compose') {
    const args = phase === 'down' ? ['down'] : ['up', '-d'];
    return (await run('docker-compose', ['-p', project, ...args], { cwd: dir, timeoutMs: PHASE_LIMIT_MS })).ms;
  }
  if (phase === 'cold') return time(() => floorUp(ctx.docker, project, services));
  if (phase === 'noop') return time(() => floorNoop(ctx.docker, project));
  return time(() => floorDown(ctx.docker, project, services));
}

/**
 * Every tool runs cold up → no-op up → down once per round. A phase that fails is recorded (and the tool's round
 * ends there) rather than ending the benchmark: failures are results too.
 * @param {Ctx} ctx @param {string} stack @param {import('./stacks.js').ServiceSpec[]} services @param {number} rounds
 * @returns {Promise<{ samples: Samples, failures: Failure[] }>}
 */
export async function lifecycle(ctx, stack, services, rounds) {
  /** @type {Samples} */
  const samples = { surge: { cold: [], noop: [], down: [] }, compose: { cold: [], noop: [], down: [] }, floor: { cold: [], noop: [], down: [] } };
  /** @type {Failure[]} */
  const failures = [];
  const run = Date.now().toString(36).slice(-5);
  for (let r = 0; r < rounds; r++) {
    // Rotate who goes first, so warm caches or a busy engine do not always favour the same tool.
    const order = TOOLS.map((_, i) => TOOLS[(i + r) % TOOLS.length]);
    for (const tool of order) {
      // A project name is never reused: nothing a previous round left in the engine can touch this one.
      const project = `sbench-${tool}-${stack}-${run}r${r + 1}`;
      await sleep(300);
      const dir = writeStack(project, services);
      const line = [];
      /** @type {Phase} */
      let phase = 'cold';
      try {
        for (phase of PHASES) {
          const ms = await step(ctx, tool, phase, dir, project, services);
          await expectContainers(ctx, tool, project, phase === 'down' ? 0 : services.length, phase);
          samples[tool][phase].push(ms);
          line.push(`${phase} ${(ms / 1000).toFixed(2)}s`);
        }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        failures.push({ tool, phase, round: r + 1, message });
        line.push(`${phase} FAILED: ${message.split('\n').slice(-2).join(' ')}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        const stuck = await cleanup(ctx.docker, project);
        if (stuck.length) {
          line.push(`LEAKED network ${stuck.join(', ')}`);
          if (!failures.some((f) => f.tool === tool && f.round === r + 1)) failures.push({ tool, phase: 'down', round: r + 1, message: `afterwards the engine could not remove network ${stuck.join(', ')}` });
        }
      }
      ctx.log(`  ${stack} round ${r + 1}/${rounds} ${tool.padEnd(7)} ${line.join('  ')}`);
    }
  }
  return { samples, failures };
}

/**
 * A timing only counts if the tool did the job: after an up, every container running; after down, none left.
 * @param {Ctx} ctx @param {Tool} tool @param {string} project @param {number} want @param {string} phase
 */
async function expectContainers(ctx, tool, project, want, phase) {
  const n = await countContainers(ctx.docker, tool, project, want > 0);
  if (n !== want) throw new Error(`after ${phase}, ${project} has ${n} ${want > 0 ? 'running ' : ''}containers, expected ${want}`);
}
