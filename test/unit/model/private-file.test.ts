import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../../src/model/private-file.js';
import { tempProjectDir } from '../../fixtures/load-toml.js';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('writePrivateFile', () => {
  it('creates a file only its owner can read', () => {
    const file = join(tempProjectDir(), 'plan.json');
    writePrivateFile(file, '{"a":1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(mode(file)).toBe(0o600);
  });

  it('makes an existing 0644 file 0600 without ever giving the new content the old permissions', () => {
    const dir = tempProjectDir();
    const file = join(dir, 'plan.json');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o644);
    const before = statSync(file);
    writePrivateFile(file, 'secret plan\n');
    const after = statSync(file);
    expect(readFileSync(file, 'utf8')).toBe('secret plan\n');
    expect(mode(file)).toBe(0o600);
    // A new inode: the 0644 file was replaced by rename, never rewritten in place, so no reader could see the new
    // content through its old permissions.
    expect(after.ino).not.toBe(before.ino);
    expect(readdirSync(dir)).toEqual(['plan.json']);
  });

  it('fails like a plain write on a missing folder or a directory, leaving nothing behind', () => {
    const dir = tempProjectDir();
    expect(() => writePrivateFile(join(dir, 'nope', 'plan.json'), 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'folder', 'keep'), '');
    expect(() => writePrivateFile(join(dir, 'folder'), 'x')).toThrow(expect.objectContaining({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) }));
    expect(readdirSync(dir)).toEqual(['folder']);
  });
});
