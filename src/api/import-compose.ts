// `surge import`: a compose project turned into a Boltfile that loads to the same model. The compose files are
// loaded first (so an invalid project is reported, located, before anything is written), then read again keeping
// `${VAR}` as written, and written as TOML (planner/load/compose-import.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type Diagnostic } from '../model/errors.js';
import { boltfileFromCompose } from '../planner/load/compose-import.js';
import type { ShapeNote } from '../planner/load/compose-shape.js';
import { COMPOSE_FILES, COMPOSE_OVERRIDE_FILES, loadProject, loadRawDocument } from '../planner/load/load-project.js';

export interface ImportOptions {
  /** the compose files, merged in order; default: compose.yaml (or another of compose's names) and its override file, in `cwd` */
  files?: string[] | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
  envFiles?: string[];
}

export interface ImportedBoltfile {
  text: string;
  /** where the Boltfile belongs: beside the compose file, so relative paths keep their meaning */
  path: string;
  /** the compose files read, absolute */
  files: string[];
  services: number;
  warnings: Diagnostic[];
}

function composeFiles(options: ImportOptions): string[] {
  if (options.files?.length) return options.files.map((f) => resolve(options.cwd, f));
  const present = (names: readonly string[]): string | undefined => names.find((n) => existsSync(resolve(options.cwd, n)));
  const main = present(COMPOSE_FILES);
  if (!main) {
    throw new ConfigError([{ message: `no compose file (${COMPOSE_FILES.join(', ')}) in ${options.cwd}: name one, e.g. surge import docker-compose.yml`, path: null, location: null }]);
  }
  const override = present(COMPOSE_OVERRIDE_FILES);
  return [main, ...(override ? [override] : [])].map((n) => resolve(options.cwd, n));
}

export function importCompose(options: ImportOptions): ImportedBoltfile {
  const files = composeFiles(options);
  const load = { files, cwd: options.cwd, envFiles: options.envFiles ?? [], env: options.env };
  const { project, warnings } = loadProject(load);
  const notes: ShapeNote[] = [];
  const raw = loadRawDocument(load, { notes });
  const shown = files.map((f) => f.replace(`${raw.dir}/`, ''));
  return {
    text: boltfileFromCompose(raw.data, { files: shown, notes }),
    path: join(raw.dir, 'Boltfile.toml'),
    files,
    services: Object.keys(project.services).length,
    warnings,
  };
}
