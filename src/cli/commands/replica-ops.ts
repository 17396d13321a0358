// `kill`, `pause`, `unpause`: one library call each; a line per replica acted on, and what did not apply.
import { kill, pause, unpause, type ReplicaOpResult } from '../../api/replica-ops.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err } from '../output.js';

interface ReplicaArgs extends GlobalArgs {
  services?: string[];
  signal?: string;
  'remove-orphans'?: boolean;
}

function report(result: ReplicaOpResult, done: string, nothing: string, notApplicable: string): number {
  for (const c of result.done) err(`${done} ${c.name}`);
  for (const f of result.failed) err(`surge: ${f.error.message}`);
  if (result.notApplicable.length) err(`${notApplicable}: ${result.notApplicable.join(', ')}`);
  if (!result.done.length && !result.failed.length && !result.notApplicable.length) err(nothing);
  return result.ok ? 0 : 1;
}

export async function runKill(args: ReplicaArgs): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) => {
    const r = await kill(stack, { services: args.services ?? [], signal: args.signal ?? 'SIGKILL', orphans: args['remove-orphans'] ?? false });
    return report(r, 'Killed', 'No container to kill.', 'kill does not apply on this target to');
  });
}

export async function runPause(args: ReplicaArgs): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) =>
    report(
      await pause(stack, { services: args.services ?? [] }),
      'Paused',
      'No running container to pause.',
      'pause does not apply to host processes (`surge kill -s STOP` freezes one, `-s CONT` resumes it)',
    ),
  );
}

export async function runUnpause(args: ReplicaArgs): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) =>
    report(await unpause(stack, { services: args.services ?? [] }), 'Unpaused', 'No paused container to unpause.', 'unpause does not apply to host processes'),
  );
}
