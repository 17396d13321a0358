// Splits a command string into argv the way compose does for container commands (POSIX shell quoting,
// no expansion): `echo "a b" c\ d` → ["echo", "a b", "c d"].

export type SplitResult = { ok: true; words: string[] } | { ok: false; message: string };

export function splitShellWords(input: string): SplitResult {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < input.length && '"\\$`\n'.includes(input[i + 1] as string)) current += input[++i];
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < input.length) {
      current += input[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, message: `unterminated ${quote === '"' ? 'double' : 'single'} quote in "${input}"` };
  if (inWord) words.push(current);
  return { ok: true, words };
}
