// The simulator's data: deterministic, plausible for Île-de-France, with the gaps and sentinels real feeds have.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { SENSORS, STATIONS, simulatedHourlyValue, type SimSensor } from '../../../tasks/openaq/simulator/index.js';
import { OPENAQ_DATA } from '../../support/paths.js';

const HOUR = 3_600_000;
const APRIL = { from: Date.UTC(2024, 3, 1), to: Date.UTC(2024, 4, 1) };

function series(s: SimSensor, from = APRIL.from, to = APRIL.to) {
  const out: { end: number; value: number | null; localHour: number; weekday: number; day: string }[] = [];
  for (let end = from + HOUR; end <= to; end += HOUR) {
    const mid = DateTime.fromMillis(end - HOUR / 2, { zone: 'Europe/Paris' });
    out.push({ end, value: simulatedHourlyValue(s.id, end), localHour: mid.hour, weekday: mid.weekday, day: mid.toISODate()! });
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const valid = (xs: { value: number | null }[]) => xs.map((x) => x.value).filter((v): v is number => v !== null && v >= 0);

describe('the station catalogue', () => {
  it('holds the 29 real stations with their coordinates and parameters', () => {
    const csv = fs.readFileSync(path.join(OPENAQ_DATA, 'paris-stations.csv'), 'utf8').trim().split('\n').slice(1);
    expect(STATIONS).toHaveLength(29);
    for (const line of csv) {
      const [name, lat, lon, params] = line.split(',');
      const s = STATIONS.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      expect(s!.latitude).toBeCloseTo(Number(lat), 9);
      expect(s!.longitude).toBeCloseTo(Number(lon), 9);
      expect([...s!.parameters].sort()).toEqual(params.split(' ').sort());
    }
    expect(SENSORS.size).toBe(62);
    expect(new Set(STATIONS.map((s) => s.id)).size).toBe(29);
  });
});

describe('simulatedHourlyValue', () => {
  it('is the same for the same sensor and hour, and accepts Date, ISO string or epoch ms', () => {
    const end = Date.UTC(2024, 3, 20, 8);
    for (const s of SENSORS.values()) {
      const v = simulatedHourlyValue(s.id, end);
      expect(simulatedHourlyValue(s.id, new Date(end))).toBe(v);
      expect(simulatedHourlyValue(s.id, '2024-04-20T08:00:00Z')).toBe(v);
      expect(simulatedHourlyValue(s.id, '2024-04-20T10:00:00+02:00')).toBe(v);
    }
  });

  it('has no value for unknown sensors or times off the hour', () => {
    expect(simulatedHourlyValue(1, Date.UTC(2024, 3, 20, 8))).toBeNull();
    expect(simulatedHourlyValue(40185, Date.UTC(2024, 3, 20, 8, 30))).toBeNull();
  });

  it('misses some hours and carries a few -1 / -999 sentinels, more for particles at traffic stations', () => {
    const all = [...SENSORS.values()].flatMap((s) => series(s).map((x) => ({ ...x, s })));
    const gaps = all.filter((x) => x.value === null).length / all.length;
    expect(gaps).toBeGreaterThan(0.02);
    expect(gaps).toBeLessThan(0.07);
    const values = new Set(all.map((x) => x.value));
    expect(values.has(-1)).toBe(true);
    expect(values.has(-999)).toBe(true);
    const sentinelShare = (pick: (s: SimSensor) => boolean) => {
      const xs = all.filter((x) => pick(x.s) && x.value !== null);
      return xs.filter((x) => (x.value as number) < 0).length / xs.length;
    };
    expect(sentinelShare((s) => s.parameter.startsWith('pm') && s.station.kind === 'traffic')).toBeGreaterThan(sentinelShare((s) => s.parameter === 'no2'));
    for (const x of all) if (x.value !== null && x.value >= 0) expect(x.value).toBeLessThan(500);
  });

  it('has spring means close to the real Paris-AQ data (NO2 ~20, O3 ~60, PM10 ~14, PM2.5 ~7 µg/m³)', () => {
    const real: Record<string, number[]> = {};
    for (const line of fs.readFileSync(path.join(OPENAQ_DATA, 'paris-2024-04-11_2024-05-10.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [value, , , name] = line.split(',');
      if (Number(value) >= 0) (real[name] ??= []).push(Number(value));
    }
    for (const p of ['no2', 'o3', 'pm10', 'pm25']) {
      const sim = mean([...SENSORS.values()].filter((s) => s.parameter === p).flatMap((s) => valid(series(s, Date.UTC(2024, 3, 11), Date.UTC(2024, 4, 10)))));
      const ratio = sim / mean(real[p]);
      expect(ratio, p).toBeGreaterThan(0.67);
      expect(ratio, p).toBeLessThan(1.5);
    }
  });

  it('peaks NO2 with the weekday morning traffic, more at traffic stations', () => {
    const at = (kind: string, hours: number[]) =>
      mean([...SENSORS.values()].filter((s) => s.parameter === 'no2' && s.station.kind === kind).flatMap((s) => valid(series(s).filter((x) => x.weekday <= 5 && hours.includes(x.localHour)))));
    expect(at('urban', [8, 9])).toBeGreaterThan(1.5 * at('urban', [3, 4]));
    expect(at('traffic', [8, 9])).toBeGreaterThan(1.3 * at('urban', [8, 9]));
  });

  it('builds ozone up in the afternoon', () => {
    const o3 = [...SENSORS.values()].filter((s) => s.parameter === 'o3');
    const at = (hours: number[]) => mean(o3.flatMap((s) => valid(series(s).filter((x) => hours.includes(x.localHour)))));
    expect(at([14, 15, 16])).toBeGreaterThan(1.3 * at([4, 5, 6]));
  });

  it('varies particles from day to day', () => {
    const s = [...SENSORS.values()].find((x) => x.parameter === 'pm10')!;
    const byDay = new Map<string, number[]>();
    for (const x of series(s)) if (x.value !== null && x.value >= 0) byDay.set(x.day, [...(byDay.get(x.day) ?? []), x.value]);
    const daily = [...byDay.values()].map(mean);
    expect(Math.max(...daily) / Math.min(...daily)).toBeGreaterThan(1.8);
  });
});
