// Durations as Airflow 3's API writes them: pydantic's ISO 8601 form (`P1DT2H`) for dag_run_timeout, and the
// TimeDelta object (`{"__type": "TimeDelta", days, seconds, microseconds}`) for task timeouts and retry delays.
import { durationParts } from '../../../../../engine/dag/durations.js';

/** Whole seconds: the spec's `format: duration` (RFC 3339's grammar) has no fractions. */
export function isoDuration(sec: number | null): string | null {
  if (sec == null) return null;
  const { days, h, m, s } = durationParts(Math.round(sec));
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

export function timeDelta(sec: number | null): { __type: 'TimeDelta'; days: number; seconds: number; microseconds: number } | null {
  if (sec == null) return null;
  const micros = Math.round(sec * 1e6);
  const days = Math.floor(micros / 86_400_000_000);
  const rest = micros - days * 86_400_000_000;
  return { __type: 'TimeDelta', days, seconds: Math.floor(rest / 1e6), microseconds: rest % 1e6 };
}
