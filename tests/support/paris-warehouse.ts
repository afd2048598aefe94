// A warehouse loaded from the real Paris-AQ CSV (tests/fixtures/openaq/paris-2024-04-11_2024-05-10.csv), in-process:
// each local day's hours written as a raw partition in the v3 shapes (raw-partition.ts), then the real star.transform
// and warehouse.load_star, into whichever lake and warehouse the environment names (file + DuckDB by default).
import { DateTime } from 'luxon';
import { openLake } from '../../tasks/lake/open-lake.js';
import type { Lake } from '../../tasks/lake/lake.js';
import { transformOperator } from '../../tasks/star/transform.js';
import { loadStarOperator } from '../../tasks/warehouse/load-star.js';
import { runOperator } from './operator-harness.js';
import { parisStations, readParisCsv, type ParisRow, type ParisStation } from './paris-v3-server.js';
import { localDay, writeRawPartition } from './raw-partition.js';

export const PARIS_ROWS: ParisRow[] = readParisCsv();
export const PARIS_STATIONS: ParisStation[] = parisStations(PARIS_ROWS);

/** The local days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

/** Writes the raw partition of local day `ds` of the Paris data, as extract and load_raw would have. */
export async function writeParisRaw(lake: Lake, ds: string): Promise<void> {
  const interval = localDay(ds);
  const start = Date.parse(interval.start);
  const end = Date.parse(interval.end);
  const inDay = (ms: number) => ms > start && ms <= end;
  await writeRawPartition(lake, {
    ds,
    locations: PARIS_STATIONS.map((s) => ({ id: s.id, name: s.name, latitude: s.latitude, longitude: s.longitude, sensors: s.sensors.map((x) => ({ id: x.id, parameterId: x.parameter.id })) })),
    pages: PARIS_STATIONS.flatMap((s) =>
      s.sensors.map((x) => ({ sensorId: x.id, locationId: s.id, rows: x.hours.filter((h) => inDay(h.periodEndMs)).map((h) => ({ end: h.periodEndMs, value: h.value })) })),
    ),
  });
}

/** Runs transform and load_star for each day (in order) of the Paris data, into WINDSOCK_HOME=`home`'s lake and warehouse. */
export async function loadParisDays(home: string, days: string[]): Promise<void> {
  const lake = openLake(undefined, home);
  for (const ds of days) {
    await writeParisRaw(lake, ds);
    await runOperator(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
    await runOperator(loadStarOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
  }
}
