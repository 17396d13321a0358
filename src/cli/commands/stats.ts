import { stats, type ResourceSample, type StatsRound } from '../../api/live.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err, out } from '../output.js';
import { table } from '../render/table.js';
import { bytesSize, humanSize } from '../render/units.js';
import { untilInterrupted } from '../until-interrupted.js';

interface StatsArgs extends GlobalArgs {
  services?: string[];
  'no-stream'?: boolean;
  all?: boolean;
  format?: 'table' | 'json';
}

const NA = '--';
const percent = (n: number | null | undefined): string => (n === null || n === undefined ? NA : `${n.toFixed(2)}%`);
const pair = (a: number | null, b: number | null, f: (n: number) => string): string => (a === null || b === null ? NA : `${f(a)} / ${f(b)}`);

/** docker stats' columns, as strings (its JSON uses the same text), plus GPU use where there is any to say. */
export function statsView(s: ResourceSample): Record<string, string> {
  const mem = s.memoryBytes !== null && s.memoryLimitBytes ? (s.memoryBytes / s.memoryLimitBytes) * 100 : null;
  const view: Record<string, string> = {
    Name: s.name,
    Service: s.service,
    ID: s.id,
    CPUPerc: percent(s.cpuPercent),
    MemUsage: pair(s.memoryBytes, s.memoryLimitBytes, bytesSize),
    MemPerc: percent(mem),
    NetIO: pair(s.netRxBytes, s.netTxBytes, humanSize),
    BlockIO: pair(s.blockReadBytes, s.blockWriteBytes, humanSize),
    PIDs: s.pids === null ? NA : String(s.pids),
  };
  if (s.gpu !== undefined) {
    view.GPUMem = s.gpu ? bytesSize(s.gpu.memoryBytes) : NA;
    view.GPUPerc = percent(s.gpu?.utilizationPercent);
    view.GPUs = s.gpu?.devices.join(',') ?? '';
  }
  return view;
}

function render(round: StatsRound, json: boolean): string {
  const views = round.samples.map(statsView);
  if (json) return views.map((v) => JSON.stringify(v)).join('\n');
  const gpu = views.some((v) => v.GPUMem !== undefined);
  const header = ['NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS', ...(gpu ? ['GPU MEM', 'GPU %'] : [])];
  const rows = views.map((v) => [v.Name ?? '', v.CPUPerc ?? '', v.MemUsage ?? '', v.MemPerc ?? '', v.NetIO ?? '', v.BlockIO ?? '', v.PIDs ?? '', ...(gpu ? [v.GPUMem ?? NA, v.GPUPerc ?? NA] : [])]);
  return table([header, ...rows]);
}

export async function run(args: StatsArgs): Promise<number> {
  const stream = !args['no-stream'];
  const json = args.format === 'json';
  // On a terminal each round replaces the last, as `docker stats` does; elsewhere rounds follow each other.
  const redraw = stream && !json && process.stdout.isTTY === true;
  return withStack(await open(args, { quietWarnings: true }), (stack) =>
    untilInterrupted(async (signal) => {
      let said = false;
      await stats(stack, { services: args.services ?? [], all: args.all ?? false, stream, signal }, (round) => {
        if (!said && round.notApplicable.length) err(`stats does not apply on this target to: ${round.notApplicable.join(', ')}`);
        said = true;
        const text = render(round, json);
        if (redraw) process.stdout.write('\u001b[2J\u001b[H');
        if (text) out(text);
      });
      return 0;
    }),
  );
}
