// `surge config`: the normalized model (json), as a Boltfile that loads back to it (toml), or in compose's shape
// (yaml); with --services, --volumes, --images, --profiles or --hash SERVICE, one name a line instead, as compose.
import { imageNames, profileNames, renderConfig, serviceHashes, serviceNames, volumeNames, type ConfigFormat } from '../../api/config.js';
import { load, type GlobalArgs } from '../context.js';
import { out } from '../output.js';

export interface ConfigArgs extends Omit<GlobalArgs, 'services'> {
  format?: ConfigFormat;
  services?: boolean;
  volumes?: boolean;
  images?: boolean;
  profiles?: boolean;
  hash?: string;
}

function lines(list: string[]): void {
  if (list.length) out(list.join('\n'));
}

export async function run(args: ConfigArgs): Promise<number> {
  // `--services` here lists services; it names none to select.
  const { project } = load({ ...args, services: [] });
  if (args.services) lines(serviceNames(project));
  else if (args.volumes) lines(volumeNames(project));
  else if (args.images) lines(imageNames(project));
  else if (args.profiles) lines(profileNames(project));
  else if (args.hash !== undefined) lines(serviceHashes(project, args.hash).map((h) => `${h.service} ${h.hash}`));
  else process.stdout.write(renderConfig(project, args.format ?? 'json'));
  return 0;
}
