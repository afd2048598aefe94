// "Did you mean ...?" for misspelt keys, operators and task ids.

/** Edit distance (Levenshtein), small strings only. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Candidates close to `word` (case-insensitive, by the last dotted segment too), closest first. */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  // the edit distance is quadratic: a word this long is no misspelling of a name
  if (word.length > 100) return [];
  const w = word.toLowerCase();
  const tail = (s: string) => s.slice(s.lastIndexOf('.') + 1);
  // one edit in three characters of the last dotted segment, at least two
  const scored: [number, string][] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = Math.min(editDistance(w, lc), editDistance(tail(w), tail(lc)) + (tail(w) === w ? 0 : 1));
    const limit = Math.max(2, Math.floor(tail(w).length / 3));
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].length - y[1].length || x[1].localeCompare(y[1]));
  return scored.slice(0, max).map(([, c]) => c);
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const [best] = closest(word, candidates, 1);
  return best ? ` (did you mean '${best}'?)` : '';
}
