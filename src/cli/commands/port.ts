import { port } from '../../api/inspect.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { out } from '../output.js';

export async function run(args: GlobalArgs & { service: string; private_port: number; protocol?: 'tcp' | 'udp'; index?: number }): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) => {
    const { hostIp, hostPort } = await port(stack, args.service, args.private_port, { protocol: args.protocol ?? 'tcp', index: args.index ?? 1 });
    out(`${hostIp}:${hostPort}`);
    return 0;
  });
}
