import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../../src/model/shell-words.js';

describe('splitShellWords', () => {
  it.each([
    ['echo hello', ['echo', 'hello']],
    ['sh -c "echo a b"', ['sh', '-c', 'echo a b']],
    ["echo 'a \"b\" c'", ['echo', 'a "b" c']],
    ['a\\ b c', ['a b', 'c']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['empty "" arg', ['empty', '', 'arg']],
    ['"esc \\" quote"', ['esc " quote']],
  ])('%s', (input, words) => {
    expect(splitShellWords(input)).toEqual({ ok: true, words });
  });

  it('reports an unterminated quote', () => {
    expect(splitShellWords('echo "oops')).toEqual({ ok: false, message: 'unterminated double quote in "echo "oops"' });
  });
});
