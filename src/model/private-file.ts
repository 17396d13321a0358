// Writing a file that may hold config (a saved plan holds the whole model, environment values included) so that
// only its owner can read it, whatever was there before. The text goes to a new file created 0600 beside the target,
// then is renamed over it: an existing 0644 file is replaced, not rewritten in place, so there is no moment when the
// new content is readable through the old permissions, and a crash leaves the old file or the new one, never half.
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Writes `text` to `path` as a private file (0600). Errors are Node's (ENOENT for a missing folder, EISDIR…). */
export function writePrivateFile(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // O_EXCL: never follow or reuse something already at the temporary name.
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
  let open = true;
  try {
    // The umask can only take bits away; set the mode exactly anyway, before any content is written.
    fchmodSync(fd, PRIVATE_FILE_MODE);
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(tmp, path);
  } catch (err) {
    if (open) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}
