// surge from a program: load a stack (generated here, no TOML written), print its plan, apply it, change it and
// apply again, then take it down — through the public entry point only, with typed events, results and errors.
//
//   node lifecycle.js docker     # containers, on the engine DOCKER_HOST names (default: the local socket)
//   node lifecycle.js process    # host processes: no engine needed
import {
  apply,
  connect,
  down,
  formatPlan,
  loadProject,
  plan,
  SurgeError,
  type ApplyResult,
  type Plan,
  type Stack,
  type SurgeEvent,
} from 'surge-stack';

type Target = 'docker' | 'process';

const target: Target = process.argv[2] === 'process' ? 'process' : 'docker';
const image = process.env.SURGE_EXAMPLE_IMAGE ?? 'busybox:1.36';
const project = process.env.SURGE_EXAMPLE_PROJECT ?? `api-example-${target}`;

/**
 * The stack as a value: a program that generates its stack builds this object instead of writing TOML. It is
 * validated and interpolated exactly as a Boltfile is, so `$$` leaves a `$` for the service's own shell.
 */
function stackDocument(greeting: string): Record<string, unknown> {
  // `trap`: a shell as a container's PID 1 ignores SIGTERM unless it handles it, and `down` would wait 10 s.
  const greeter = { command: ['sh', '-c', 'trap "exit 0" TERM; echo "$$GREETING"; sleep 600 & wait'], environment: { GREETING: greeting }, depends_on: { store: { condition: 'service_healthy' } } };
  if (target === 'process') {
    return {
      project,
      services: {
        store: { command: 'exec sleep 600', healthcheck: { test: ['CMD-SHELL', 'true'], interval: '200ms' } },
        greeter,
      },
    };
  }
  return {
    project,
    services: {
      store: { image, command: ['sh', '-c', 'trap "exit 0" TERM; touch /tmp/ready; sleep 600 & wait'], healthcheck: { test: ['CMD', 'test', '-f', '/tmp/ready'], interval: '200ms', retries: 50 }, volumes: ['data:/data'] },
      greeter: { ...greeter, image },
    },
    volumes: { data: {} },
  };
}

/** One line per finished action, as a progress display of your own would. */
function progress(event: SurgeEvent): void {
  if (event.type === 'action-done') console.log(`  ✓ ${event.action.op} ${event.action.id} (${event.action.reason}) in ${event.durationMs} ms`);
  if (event.type === 'action-failed') console.log(`  ✗ ${event.action.op} ${event.action.id}: [${event.error.code}] ${event.error.message}`);
  if (event.type === 'notice') console.log(`  ! ${event.message}`);
}

function report(result: ApplyResult): void {
  if (result.ok) return;
  for (const f of result.failed) console.error(`failed: ${f.action.id}: [${f.error.code}] ${f.error.message}`);
  for (const s of result.skipped) console.error(`skipped: ${s.action.id} (after ${s.because.join(', ')})`);
  throw new Error('the stack did not converge');
}

async function planAndApply(stack: Stack, title: string): Promise<Plan> {
  const p = await plan(stack);
  console.log(`\n== ${title}\n${formatPlan(p, stack.project)}`);
  report(await apply(stack, p, { onEvent: progress, signal: AbortSignal.timeout(120_000) }));
  return p;
}

async function main(): Promise<void> {
  const cwd = process.cwd();
  let stack = await connect(loadProject({ document: stackDocument('hello'), cwd }));
  try {
    await planAndApply(stack, `first apply (${target})`);
    const again = await plan(stack);
    console.log(`\n== a second plan has ${again.actions.length} actions`);

    // A change: the new project is planned against what is live, and only the greeter is replaced.
    await stack.close();
    stack = await connect(loadProject({ document: stackDocument('hello again'), cwd }));
    const changed = await planAndApply(stack, 'after changing GREETING');
    console.log(`changed: ${changed.actions.map((a) => `${a.op} ${a.id} (${a.reason})`).join('; ')}`);
  } finally {
    const gone = await down(stack, { removeVolumes: true, onEvent: progress });
    console.log(`\n== down: ${gone.done.length} removed${gone.ok ? '' : ', with failures'}`);
    await stack.close();
  }
}

main().catch((e: unknown) => {
  // Every error surge raises has a stable code; a program can branch on it.
  if (e instanceof SurgeError) console.error(`surge error [${e.code}]: ${e.message}`);
  else console.error(e);
  process.exitCode = 1;
});
