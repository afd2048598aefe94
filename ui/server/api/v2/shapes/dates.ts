// Times as Airflow 3's API writes them: ISO 8601 in UTC with a `Z`, fractions only when there are some.
export function apiDate(stored: string | null | undefined): string | null {
  if (!stored) return null;
  const d = new Date(stored);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace('.000Z', 'Z');
}

/** Seconds between two stored times, or null while either is missing. */
export function seconds(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  return (Date.parse(end) - Date.parse(start)) / 1000;
}
