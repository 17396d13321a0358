// Saved plans on disk. A saved plan holds the full model, environment values included: it is written private
// (0600), like a Terraform plan file, whatever mode a file it replaces had.
import { chmodSync, openSync, closeSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError, errorMessage } from '../model/errors.js';
import type { SavedPlan } from '../model/plan-types.js';

/** Writes `text` to `file` readable by its owner only: a new file in the same folder, made 0600, renamed over. */
function writePrivate(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      /* nothing left */
    }
    throw e;
  }
}

/** Writes a saved plan readable by its owner only (0600), replacing the file atomically. */
export function writePlanFile(file: string, saved: SavedPlan): void {
  try {
    writePrivate(file, `${JSON.stringify(saved, null, 2)}\n`);
  } catch (e) {
    // A path the user gave that cannot be written is theirs to fix, not a bug in surge.
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : errorMessage(e);
    throw new UserError(`cannot save the plan to ${file}: ${why}`);
  }
}

/** Reads a plan saved with `writePlanFile` (or `surge plan -o`); a file that is not one is a user error. */
export function readPlanFile(file: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read plan file ${file}`);
  }
  let saved: SavedPlan;
  try {
    saved = JSON.parse(text) as SavedPlan;
  } catch {
    throw new UserError(`${file} is not a surge plan (not JSON)`);
  }
  if (saved?.format !== 'surge-plan/1' || !saved.plan || !saved.model) {
    throw new UserError(`${file} is not a surge plan (expected format "surge-plan/1"; make one with \`surge plan -o ${file}\`)`);
  }
  return saved;
}
