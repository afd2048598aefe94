// Times as Airflow 3's API writes them: ISO 8601 in UTC with a `Z`, fractions only when there are some.
// What the store writes (Date.toISOString()): already UTC with a Z, so only a zero fraction needs dropping.
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;

export function apiDate(stored: string | null | undefined): string | null {
  if (!stored) return null;
  if (CANONICAL.test(stored)) return stored.endsWith('.000Z') ? stored.slice(0, -5) + 'Z' : stored;
  const d = new Date(stored);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace('.000Z', 'Z');
}

/** Seconds between two stored times, or null while either is missing. */
export function seconds(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  return (Date.parse(end) - Date.parse(start)) / 1000;
}
