/** Asks for `url` n times in turn and tells each outcome: the HTTP status, or 'cut' when the connection was cut. */
export async function requestOutcomes(url: string, n: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      const res = await fetch(url);
      await res.text();
      outcomes.push(String(res.status));
    } catch {
      outcomes.push('cut');
    }
  }
  return outcomes;
}
