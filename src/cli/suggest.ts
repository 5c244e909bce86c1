// "Did you mean": the closest known word to a typo, by edit distance (with one transposition
// counted as one edit, so `scna` is one step from `scan`).

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/** The candidate closest to `word` (ignoring case and '-'), when close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '');
  const w = norm(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const n = norm(c);
    // a prefix either way (`--inc` for --include-root, `--json-file` for --json) is one step
    const d = n === w ? 0 : (n.startsWith(w) || w.startsWith(n)) && Math.min(w.length, n.length) >= 3 ? 1 : distance(w, n);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.min(2, Math.floor(w.length / 3)));
  return bestD <= limit ? best : undefined;
}
