import { images } from '../../api/inspect.js';
import { open, withStack, type GlobalArgs } from '../context.js';
import { err, out } from '../output.js';
import { table } from '../render/table.js';
import { humanDuration, humanSize } from '../render/units.js';

interface ImagesArgs extends GlobalArgs {
  services?: string[];
  format?: 'table' | 'json';
  quiet?: boolean;
}

/** compose's columns and JSON keys. */
export async function run(args: ImagesArgs): Promise<number> {
  return withStack(await open(args, { quietWarnings: true }), async (stack) => {
    const r = await images(stack, { services: args.services ?? [] });
    if (r.notApplicable.length) err(`host processes run no image: ${r.notApplicable.join(', ')}`);
    if (args.quiet) {
      const ids = [...new Set(r.images.map((i) => i.id.replace(/^sha256:/, '')))];
      if (ids.length) out(ids.join('\n'));
      return 0;
    }
    if (args.format === 'json') {
      out(
        JSON.stringify(
          r.images.map((i) => ({
            ID: i.id,
            ContainerName: i.container,
            Repository: i.repository,
            Tag: i.tag,
            Platform: i.platform,
            Size: i.size,
            ...(i.created ? { Created: i.created } : {}),
          })),
        ),
      );
      return 0;
    }
    const rows = [['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED']];
    for (const i of r.images) {
      rows.push([
        i.container,
        i.repository || '<none>',
        i.tag || '<none>',
        i.platform,
        i.id.replace(/^sha256:/, '').slice(0, 12),
        humanSize(i.size),
        i.created ? `${humanDuration(Date.now() - Date.parse(i.created))} ago` : 'N/A',
      ]);
    }
    out(table(rows));
    return 0;
  });
}
