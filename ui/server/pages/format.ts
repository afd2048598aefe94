// How times and durations read on the admin pages: UTC ISO minutes, and the DAG's own time zone where it matters.

/** `2024-01-02 00:00 UTC`, or '' for none. */
export function utc(isoText: string | null | undefined): string {
  if (!isoText) return '';
  const d = new Date(isoText);
  if (Number.isNaN(d.getTime())) return isoText;
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

// One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with one (a list of
// 1,000 DAGs spent most of its render there).
const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();
function zoneFormat(tz: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      f = null; // not a zone Intl knows: shown in UTC
    }
    if (zoneFormats.size < 1000) zoneFormats.set(tz, f);
  }
  return f;
}

/** The same instant in `timezone`, e.g. `2024-01-02 01:00 Europe/Paris`. */
export function inZone(isoText: string | null | undefined, timezone: string | null | undefined): string {
  if (!isoText) return '';
  const tz = timezone || 'UTC';
  if (tz === 'UTC') return utc(isoText); // the same text, without Intl's formatToParts (a third of a DAG list row)
  const d = new Date(isoText);
  if (Number.isNaN(d.getTime())) return isoText;
  const f = zoneFormat(tz);
  if (!f) return utc(isoText);
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${tz}`;
}

/** Seconds between two ISO times (the end defaults to now for what still runs), or null. */
export function secondsBetween(start: string | null | undefined, end: string | null | undefined, now = Date.now()): number | null {
  if (!start) return null;
  const s = Date.parse(start);
  const e = end ? Date.parse(end) : now;
  return Number.isNaN(s) || Number.isNaN(e) ? null : Math.max(0, (e - s) / 1000);
}

/** `0.4 s`, `12 s`, `3 min 05 s`, `2 h 10 min`. */
export function duration(sec: number | null | undefined): string {
  if (sec == null) return '';
  if (sec < 10) return `${sec.toFixed(1)} s`;
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${String(Math.round(sec % 60)).padStart(2, '0')} s`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min`;
}

/** `@daily, Europe/Paris` in words: the timetable's description, with the time zone unless it already says it. */
export function scheduleInWords(description: string | null, source: string | null, timezone: string | null): string {
  const words = description || source || 'None';
  const tz = timezone || 'UTC';
  return words.includes(tz) ? words : `${words}, ${tz}`;
}

/** A path below the DAGs folder as Airflow shows it (relative to the bundle). */
export function relativeFile(file: string, dagsFolder: string): string {
  const root = dagsFolder.replace(/\/+$/, '') + '/';
  return file.startsWith(root) ? file.slice(root.length) : file;
}
