// Durations and sizes written in the shortest form the loader reads back to the same number.

/** 90000 → "1m30s", 500 → "500ms": parseDuration reads it back to the same milliseconds. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: [number, string][] = [
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
    [1, 'ms'],
  ];
  let rest = ms;
  let out = '';
  for (const [size, unit] of parts) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** 536870912 → "512m" when a binary unit divides it, else the number of bytes. */
export function formatBytes(n: number): string | number {
  for (const [size, unit] of [[1024 ** 4, 't'], [1024 ** 3, 'g'], [1024 ** 2, 'm'], [1024, 'k']] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return n;
}
