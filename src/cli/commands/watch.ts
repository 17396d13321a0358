import { connect } from '../../api/stack.js';
import { runWatch, type WatchOptions } from '../../watch/watch.js';
import { load, withStack, type GlobalArgs } from '../context.js';
import { EXIT_CANCELLED, onInterrupt } from '../interrupt.js';
import type { ApplyArgs } from '../operation.js';
import { watchRenderer } from '../render/watch-renderer.js';

export interface WatchArgs extends GlobalArgs, ApplyArgs {
  services?: string[];
  debounce?: number;
}

/** `surge watch`, `up --watch` and `up --attach`: the library's watch mode, rendered; Ctrl-C stops it (exit 130). */
export async function runWatchCommand(args: WatchArgs, extra: Partial<WatchOptions> = {}): Promise<number> {
  // `up --watch` / `--attach` loaded the project a moment ago and printed its warnings already.
  const stack = await connect(load(args, { quietWarnings: extra.skipInitialConverge === true }));
  // A caller that ends the session itself (`up --attach`) also handles Ctrl-C: it stops the services first.
  const interrupt = extra.signal ? null : onInterrupt(false);
  const render = await watchRenderer(args.progress ?? 'auto');
  try {
    await withStack(stack, () =>
      runWatch(
        stack,
        {
          ...extra,
          services: args.services ?? [],
          debounceMs: args.debounce ?? 300,
          signal: extra.signal ?? interrupt?.signal,
          ...(interrupt ? { abortInFlight: interrupt.abortInFlight } : {}),
          ...(args.parallel !== undefined ? { parallel: args.parallel } : {}),
          lockTimeoutMs: (args['lock-timeout'] ?? 300) * 1000,
          // With --progress json, stdout carries only JSON events: commands' output goes to stderr.
          ...(args.progress === 'json' ? { execOutput: process.stderr } : {}),
        },
        render.onEvent,
      ),
    );
  } finally {
    interrupt?.dispose();
    await render.close();
  }
  if (render.applyInFlight()) {
    // Its open requests (a container's stop grace period, a build) would keep the process alive until they end:
    // exit once this output is written. Unreferenced, so a process that ends by itself first is not held up.
    setTimeout(() => process.exit(EXIT_CANCELLED), 100).unref();
  }
  return interrupt?.interrupted() ? EXIT_CANCELLED : 0;
}

export async function run(args: WatchArgs): Promise<number> {
  return runWatchCommand(args);
}
