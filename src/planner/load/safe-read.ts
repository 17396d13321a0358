// Reading one config file the loader was pointed at, safely: a FIFO without a writer, /dev/zero, a directory, a
// socket or a 10 GB file must end in a user error, in bounded time and memory. The file is opened non-blocking (so
// opening a FIFO never waits for a writer), checked with fstat on the open descriptor (no race with a rename), and
// read up to the cap plus one byte (so a file that grows, or a /proc file that claims size 0, is still bounded).
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { MAX_CONFIG_BYTES, MAX_CONFIG_SIZE_TEXT } from './limits.js';

export type SafeReadResult =
  | { ok: true; text: string }
  /** `missing`: nothing at that path (callers decide whether that is an error); `refused`: a message for the user */
  | { ok: false; reason: 'missing' | 'refused'; message: string };

function kind(st: Stats): string {
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is not a regular file (a named pipe)';
  if (st.isCharacterDevice()) return 'is not a regular file (a character device)';
  if (st.isBlockDevice()) return 'is not a regular file (a block device)';
  if (st.isSocket()) return 'is not a regular file (a socket)';
  return 'is not a regular file';
}

function openError(file: string, err: NodeJS.ErrnoException): SafeReadResult {
  switch (err.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { ok: false, reason: 'missing', message: 'file not found' };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, reason: 'refused', message: 'cannot read it: permission denied' };
    case 'ELOOP':
      return { ok: false, reason: 'refused', message: 'cannot read it: too many levels of symbolic links' };
    case 'EISDIR':
      return { ok: false, reason: 'refused', message: 'is a directory, not a file' };
    case 'ENXIO':
    case 'EOPNOTSUPP': {
      // A socket (or a device without a driver) cannot be opened at all: say what it is.
      try {
        return { ok: false, reason: 'refused', message: kind(statSync(file)) };
      } catch {
        return { ok: false, reason: 'refused', message: 'is not a regular file' };
      }
    }
    default:
      return { ok: false, reason: 'refused', message: `cannot read it (${err.code ?? 'error'})` };
  }
}

function isDevNull(st: Stats): boolean {
  try {
    return st.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

const tooLarge = (cap: number): SafeReadResult => ({
  ok: false,
  reason: 'refused',
  message: `is larger than ${cap === MAX_CONFIG_BYTES ? MAX_CONFIG_SIZE_TEXT : cap % 2 ** 20 === 0 ? `${cap / 2 ** 20} MiB` : `${cap} bytes`}, the most surge reads from such a file`,
});

/** The text of a regular file of at most `cap` bytes (UTF-8), or why not. Never blocks, never reads past cap + 1. */
export function readConfigFile(file: string, cap = MAX_CONFIG_BYTES): SafeReadResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer. O_NOCTTY: a terminal
    // named by mistake never becomes our controlling terminal. Both are 0 (absent) where the platform lacks them.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    return openError(file, err as NodeJS.ErrnoException);
  }
  try {
    const st = fstatSync(fd);
    // /dev/null reads as empty and never blocks: `--env-file /dev/null` is a known idiom.
    if (st.isCharacterDevice() && isDevNull(st)) return { ok: true, text: '' };
    if (!st.isFile()) return { ok: false, reason: 'refused', message: kind(st) };
    if (st.size > cap) return tooLarge(cap);
    const chunks: Buffer[] = [];
    let total = 0;
    // Sized from fstat, grown if the file is longer than it said (a /proc file says 0), never past cap + 1.
    let chunk = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(st.size + 1, 64 * 1024)));
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, cap + 1 - total), null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > cap) return tooLarge(cap);
      if (n === chunk.length) chunk = Buffer.allocUnsafe(Math.min(cap + 1 - total, chunk.length * 2));
      else chunk = chunk.subarray(n);
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (err) {
    return openError(file, err as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
  }
}
