// Durations in DAG files: a number of seconds, or a Python timedelta written as {__type__: datetime.timedelta, ...}.

const UNIT_SECONDS: Record<string, number> = {
  weeks: 7 * 86400,
  days: 86400,
  hours: 3600,
  minutes: 60,
  seconds: 1,
  milliseconds: 1e-3,
  microseconds: 1e-6,
};

/** Seconds of a value already validated as a Duration (file-schema.ts). */
export function durationSeconds(v: unknown): number {
  if (typeof v === 'number') return v;
  let total = 0;
  for (const [unit, factor] of Object.entries(UNIT_SECONDS)) {
    const n = (v as Record<string, unknown>)[unit];
    if (typeof n === 'number') total += n * factor;
  }
  // round away float noise from the millisecond/microsecond factors
  return Math.round(total * 1e6) / 1e6;
}

/** Seconds as whole days, hours and minutes, and the seconds left over. */
export function durationParts(seconds: number): { days: number; h: number; m: number; s: number } {
  const days = Math.floor(seconds / 86400);
  let rest = seconds - days * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  return { days, h, m, s: rest - m * 60 };
}

/** Python's str(timedelta), as Airflow shows a timedelta schedule: "1 day, 0:00:00", "0:30:00". */
export function timedeltaText(seconds: number): string {
  const { days, h, m, s } = durationParts(seconds);
  const whole = Math.floor(s);
  const micros = Math.round((s - whole) * 1e6);
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(whole).padStart(2, '0')}${micros ? '.' + String(micros).padStart(6, '0') : ''}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}
