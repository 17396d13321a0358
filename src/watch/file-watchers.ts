// The file watchers of a watch session: the project's input files (Boltfiles, .env, env files), and each service's
// develop.watch paths with their ignore rules.
import { dirname, relative } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { errorMessage } from '../model/errors.js';
import type { Service, WatchRule } from '../model/model.js';
import { isDefaultIgnored, ruleIgnore } from './ignore.js';

export async function startWatchers(
  inputs: string[],
  services: { service: Service; rules: WatchRule[] }[],
  onChange: (path: string) => void,
  onError: (message: string) => void,
): Promise<FSWatcher[]> {
  const { watch } = await import('chokidar');
  const watchers: FSWatcher[] = [];
  const inputSet = new Set(inputs);
  // Editors replace files by rename: watching the folders and filtering keeps following the Boltfile.
  const dirs = [...new Set(inputs.map((f) => dirname(f)))];
  if (dirs.length) {
    const config = watch(dirs, { depth: 0, ignoreInitial: true, ignored: (p: string) => isDefaultIgnored(p) && !inputSet.has(p) });
    config.on('all', (_event: string, path: string) => {
      if (inputSet.has(path)) onChange(path);
    });
    watchers.push(config);
  }
  for (const { service: s, rules } of services) {
    for (const rule of rules) {
      const root = rule.path;
      const ignoreRule = ruleIgnore(root, rule.ignore, rule.action === 'rebuild' && s.build ? s.build.context : null);
      const w = watch(root, { ignoreInitial: true, ignored: (p: string) => isDefaultIgnored(relative(root, p)) || ignoreRule(p) });
      w.on('all', (_event: string, path: string) => onChange(path));
      w.on('error', (e: unknown) => onError(`watch: ${errorMessage(e)}`));
      watchers.push(w);
    }
  }
  await Promise.all(watchers.map((w) => new Promise<void>((r) => w.once('ready', () => r()))));
  return watchers;
}
