// "did you mean `image`?": the closest known key by optimal-string-alignment distance. A suggestion is a courtesy:
// its cost is bounded whatever the input (a 1 MB key, 100,000 service names), so it can never slow a load down.

function normal(s: string): string {
  return s.toLowerCase().replace(/-/g, '_');
}

/** Names longer than this get no suggestion: nobody mistypes one, and the distance is quadratic in length. */
const MAX_NAME = 64;
/** Candidates of a plausible length compared at most per suggestion. */
const MAX_COMPARED = 500;

export function editDistance(a: string, b: string): number {
  // Three rows (OSA looks two back), not a full matrix.
  let before = new Uint32Array(b.length + 1);
  let prev = Uint32Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row[j] = d;
    }
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length] as number;
}

export function closestMatch(input: string, candidates: readonly string[]): string | null {
  if (input.length > MAX_NAME) return null;
  const x = normal(input);
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  let compared = 0;
  for (const c of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without computing it.
    if (Math.abs(c.length - x.length) > Math.min(limit, bestDistance - 1)) continue;
    if (++compared > MAX_COMPARED) break;
    const dist = editDistance(x, normal(c));
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return bestDistance <= limit ? best : null;
}
