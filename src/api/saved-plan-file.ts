// Saved plans on disk. A saved plan holds the full model, environment values included: it is written private
// (0600), like a Terraform plan file, whatever mode a file it replaces had.
import { UserError, errorMessage } from '../model/errors.js';
import { writePrivateFile } from '../model/private-file.js';
import { readConfigFile } from '../planner/load/safe-read.js';
import type { SavedPlan } from '../model/plan-types.js';

/** Writes a saved plan readable by its owner only (0600), replacing the file atomically. */
export function writePlanFile(file: string, saved: SavedPlan): void {
  try {
    writePrivateFile(file, `${JSON.stringify(saved, null, 2)}\n`);
  } catch (e) {
    // A path the user gave that cannot be written is theirs to fix, not a bug in surge.
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : errorMessage(e);
    throw new UserError(`cannot save the plan to ${file}: ${why}`);
  }
}

const MAX_PLAN_BYTES = 64 * 2 ** 20;

/** Reads a plan saved with `writePlanFile` (or `surge plan -o`); a file that is not one is a user error. */
export function readPlanFile(file: string): SavedPlan {
  // A plan holds the whole model: larger than a Boltfile, still bounded; never a FIFO or a device (safe-read.ts).
  const read = readConfigFile(file, MAX_PLAN_BYTES);
  if (!read.ok) throw new UserError(`cannot read plan file ${file}: ${read.message}`);
  const text = read.text;
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
