import { watchLoop, type WatchArgs } from '../../watch/watch-loop.js';

export async function run(args: WatchArgs): Promise<number> {
  return watchLoop({ args });
}
