// The simulator's hourly values: a pure function of (sensor, hour), plausible for Île-de-France in µg/m³.
// NO2 peaks with the morning and evening traffic (more at traffic stations, less at weekends), ozone builds up in the
// afternoon and in summer, particles follow multi-day episodes. Some hours are missing and a few carry the
// negative sentinels (-1, -999) real feeds contain, more often for particles at traffic stations, as in the real data.
import { hashInts, unit } from './hash.js';
import { HOUR_MS, localHour } from './local-time.js';
import { SENSORS, type StationKind } from './stations.js';

export { SIM_TIMEZONE } from './local-time.js';
const DAY_MS = 86_400_000;
/** Share of hours with no value at all (the hour is absent from /hours). */
export const GAP_RATE = 0.04;

/**
 * The value the simulator serves for `sensorId` over the hour ending at `periodEndUtc` (OpenAQ timestamps are period
 * ends), or null when that hour has no value (an unknown sensor, a time not on the hour, or a gap).
 */
export function simulatedHourlyValue(sensorId: number, periodEndUtc: Date | string | number): number | null {
  const sensor = SENSORS.get(sensorId);
  const ms = typeof periodEndUtc === 'number' ? periodEndUtc : new Date(periodEndUtc).getTime();
  if (!sensor || !Number.isFinite(ms) || ms % HOUR_MS !== 0) return null;
  const hourIndex = ms / HOUR_MS;
  const u = unit(hashInts(sensorId, hourIndex, 1));
  if (u < GAP_RATE) return null;
  const kind = sensor.station.kind;
  const sentinelRate = sensor.parameter.startsWith('pm') && kind === 'traffic' ? 0.05 : 0.01;
  if (u < GAP_RATE + sentinelRate) return unit(hashInts(sensorId, hourIndex, 2)) < 0.85 ? -1 : -999;

  const mid = localHour(ms - HOUR_MS / 2);
  const h = mid.hour + 0.5;
  const weekend = mid.weekday >= 6;
  const day = Math.floor((ms - HOUR_MS / 2 + mid.offset * 60_000) / DAY_MS);
  // 1 in mid-July, 0 in mid-January.
  const summer = 0.5 + 0.5 * Math.cos((2 * Math.PI * (mid.ordinal - 196)) / 365);
  const station = 0.85 + 0.3 * unit(hashInts(sensor.station.id, 77));
  const noise = 0.85 + 0.3 * unit(hashInts(sensorId, hourIndex, 3));

  let level: number;
  switch (sensor.parameter) {
    case 'no2': {
      const peaks = (kind === 'traffic' ? 1.3 : 1) * (0.9 * bump(h, 8.5, 1.6) * (weekend ? 0.45 : 1) + 0.7 * bump(h, 19.5, 2.2));
      const daytime = h >= 7 && h <= 22 ? 0.15 : 0;
      level = NO2_BASE[kind] * (0.45 + peaks + daytime) * (0.7 + 0.6 * weather(day, 3)) * (1 + 0.35 * (1 - summer));
      break;
    }
    case 'o3': {
      const titration = kind === 'traffic' ? 0.2 * bump(h, 8.5, 1.6) : 0;
      level = O3_BASE[kind] * Math.max(0.1, 0.65 + 0.55 * bump(h, 16, 3.5) - titration) * (0.75 + 0.5 * summer) * (0.6 + 0.8 * weather(day, 11));
      break;
    }
    case 'pm10':
    case 'pm25': {
      const base = sensor.parameter === 'pm10' ? PM10_BASE[kind] : PM25_BASE[kind];
      const episode = 0.45 + 1.5 * weather(day, 5) ** 2;
      level = base * (0.8 + 0.25 * bump(h, 9, 2) + 0.3 * bump(h, 21, 2.5)) * episode * (1 + 0.25 * (1 - summer));
      break;
    }
  }
  return significant3(level * station * noise);
}

/** Cheap: whether the hour ending at `periodEndMs` (on the hour) has a value, without computing it. */
export function hasHourlyValue(sensorId: number, periodEndMs: number): boolean {
  return SENSORS.has(sensorId) && periodEndMs % HOUR_MS === 0 && unit(hashInts(sensorId, periodEndMs / HOUR_MS, 1)) >= GAP_RATE;
}

// Calibrated on the real Paris-AQ spring 2024 data: means NO2 ~20, O3 ~60, PM10 ~14, PM2.5 ~7 µg/m³.
const NO2_BASE: Record<StationKind, number> = { traffic: 32, urban: 18, suburban: 11 };
const O3_BASE: Record<StationKind, number> = { traffic: 50, urban: 66, suburban: 74 };
const PM10_BASE: Record<StationKind, number> = { traffic: 19, urban: 13, suburban: 11 };
const PM25_BASE: Record<StationKind, number> = { traffic: 9, urban: 7, suburban: 6 };

/** Regional weather of a local day in [0, 1), correlated with the two days before (episodes last). */
function weather(day: number, salt: number): number {
  return 0.5 * unit(hashInts(day, salt)) + 0.3 * unit(hashInts(day - 1, salt)) + 0.2 * unit(hashInts(day - 2, salt));
}

function bump(h: number, centre: number, width: number): number {
  return Math.exp(-((h - centre) ** 2) / (2 * width * width));
}

/** OpenAQ's /hours values are rounded to 3 significant digits. */
function significant3(x: number): number {
  return Number(x.toPrecision(3));
}
