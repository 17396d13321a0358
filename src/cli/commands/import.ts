// `surge import [FILE]` (or `surge -f a.yaml -f b.yaml import`): writes the Boltfile for a compose project beside its compose file (-o elsewhere, `-o -` to
// stdout); an existing file is kept unless --force.
import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { importCompose } from '../../api/import-compose.js';
import { UserError } from '../../model/errors.js';
import { err, printWarnings } from '../output.js';

export interface ImportArgs {
  /** the positional compose file */
  'compose-file'?: string;
  /** the global -f files, when no positional names one */
  file?: string[];
  output?: string;
  force?: boolean;
  'env-file'?: string[];
}

export async function run(args: ImportArgs): Promise<number> {
  const cwd = process.cwd();
  const files = args['compose-file'] ? [args['compose-file']] : (args.file ?? []);
  const imported = importCompose({ files, cwd, env: process.env, envFiles: args['env-file'] ?? [] });
  printWarnings(imported.warnings);
  if (args.output === '-') {
    process.stdout.write(imported.text);
    return 0;
  }
  const target = args.output ? resolve(cwd, args.output) : imported.path;
  const shown = relative(cwd, target) || target;
  if (existsSync(target) && !args.force) throw new UserError(`${shown} already exists: pass --force to replace it, or -o another file`, 'invalid-argument');
  writeFileSync(target, imported.text);
  const from = imported.files.map((f) => relative(cwd, f) || f).join(', ');
  err(`wrote ${shown} from ${from} (${imported.services} service${imported.services === 1 ? '' : 's'})`);
  return 0;
}
