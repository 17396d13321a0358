// The CLI's V8 tiering: a surge command is mostly a short burst of JavaScript (load, plan, a few engine calls), and
// in a burst V8's optimizing compiler (TurboFan) costs more than it gives. It compiles the loader's and planner's hot
// functions on a background thread, and most of that work finishes after the loop it was for: `surge plan` of 5,000
// services spent some 0.9 s of compile-thread time on 130 functions (`node --trace-opt`; 150 ms for normalizing's
// `service` alone) in a run of 0.6 s, and on a 2-core machine that thread takes CPU from the main thread and the
// garbage collector. With it off the same run takes 25% less CPU (bench/RESULTS.md, "Planning at scale"). A command
// still running after a second (`up` of a big stack, `watch`, `logs -f`) gets it back, so long-running work is
// optimized as usual. Only the CLI does this: a program using the library keeps its own flags.
import { setFlagsFromString } from 'node:v8';

/** How long a command runs with the baseline compilers only. */
const SHORT_RUN_MS = 1000;

/**
 * V8's flags for TurboFan off and on (its name since Node 20's V8 11; with Maglev on, in Node 22 and later, that
 * mid tier still optimizes meanwhile). V8 prints an error for a flag it does not know: a unit test checks these.
 */
export const TURBOFAN_FLAGS = { off: '--no-turbofan', on: '--turbofan' } as const;

/** Turns TurboFan off now and back on after SHORT_RUN_MS (the timer does not keep the process alive). */
export function deferOptimizingCompiler(): void {
  setFlagsFromString(TURBOFAN_FLAGS.off);
  setTimeout(restoreOptimizingCompiler, SHORT_RUN_MS).unref();
}

/** Turns TurboFan back on: V8's flags as Node starts with them (idempotent). */
export function restoreOptimizingCompiler(): void {
  setFlagsFromString(TURBOFAN_FLAGS.on);
}
