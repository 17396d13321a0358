import { down } from '../../api/down.js';
import { emptyProject } from '../../api/load.js';
import { connect, type Stack } from '../../api/stack.js';
import { ConfigError } from '../../model/errors.js';
import { environment, load, withStack, type GlobalArgs } from '../context.js';
import { runOperation, type ApplyArgs } from '../operation.js';

export interface DownArgs extends GlobalArgs, ApplyArgs {
  volumes?: boolean;
  'remove-orphans'?: boolean;
  rmi?: 'local' | 'all';
  timeout?: number;
}

/**
 * Without a Boltfile, `down -p NAME` still takes the project away (like `docker compose -p NAME down`): every object
 * labelled with the project goes, since none of its services is declared any more.
 */
async function stackFor(args: DownArgs): Promise<{ stack: Stack; everything: boolean }> {
  try {
    return { stack: await connect(load(args)), everything: false };
  } catch (e) {
    const name = args['project-name'];
    const noFile = e instanceof ConfigError && e.diagnostics.length === 1 && e.diagnostics[0]?.location === null && /^no Boltfile/.test(e.message);
    if (!name || !noFile) throw e;
    const driver = args.driver ?? (process.env.SURGE_DRIVER === 'swarm' ? 'swarm' : undefined);
    return { stack: await connect(emptyProject(name, process.cwd(), driver), { env: environment(args) }), everything: true };
  }
}

export async function run(args: DownArgs): Promise<number> {
  const { stack, everything } = await stackFor(args);
  return withStack(stack, () =>
    runOperation(
      args,
      ({ control }) =>
        down(stack, {
          ...control,
          everything,
          removeVolumes: args.volumes ?? false,
          removeOrphans: args['remove-orphans'] ?? false,
          timeoutSeconds: args.timeout ?? null,
          rmi: args.rmi ?? null,
        }),
      (result, ctx) => {
        if (!result.plan.actions.length) ctx.reporter.note(`Nothing to take down for project ${stack.project.name}.`);
      },
    ),
  );
}
