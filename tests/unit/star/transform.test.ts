// star.transform on raw partitions generated to raw-format.ts, in a temporary file lake; results read back from the
// Parquet files it writes.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileLake } from '../../../tasks/lake/file-lake.js';
import { transformOperator, type TransformResult } from '../../../tasks/star/transform.js';
import { starFileKey } from '../../../tasks/star/schema.js';
import { runOperator, settleOperator } from '../../support/operator-harness.js';
import { hourly, hoursOf, localDay, writeRawPartition, type RawSpec, type SpecLocation } from '../../support/raw-partition.js';
import { tempDir } from '../../support/tmp.js';
import { readStar, readStarTable } from './read-star.js';

const DS = '2024-04-20';
const DAY = localDay(DS);
const H = 3_600_000;
let home: string;
let lake: FileLake;

beforeEach(() => {
  home = tempDir('windsock-transform-');
  lake = new FileLake(path.join(home, 'lake'));
});

const PARIS: SpecLocation = {
  id: 4018,
  name: 'PARIS 1er Les Halles',
  locality: 'Paris',
  latitude: 48.86212,
  longitude: 2.344616,
  sensors: [
    { id: 40185, parameterId: 5 },
    { id: 40182, parameterId: 2 },
  ],
};

async function transform(spec: Omit<RawSpec, 'ds'> & { ds?: string }) {
  const ds = spec.ds ?? DS;
  await writeRawPartition(lake, { ...spec, ds });
  return runOperator<TransformResult>(transformOperator, {}, { home, dsLocal: ds, dagId: 'openaq' });
}

const factsOf = async (sensorId: number, ds = DS) => (await readStar(lake, 'fact_measurement', ds)).filter((r) => r.sensor_id === sensorId).sort((a, b) => String(a.period_end_utc).localeCompare(String(b.period_end_utc)));

describe('star.transform', () => {
  it('builds the star schema of a day, keeping sentinels and nulls as invalid values', async () => {
    const sentinel = (i: number) => (i === 2 ? -1 : i === 3 ? -999 : i === 4 ? null : 10 + i / 2);
    const { result } = await transform({
      locations: [PARIS],
      pages: [
        { sensorId: 40185, rows: hoursOf(DAY, sentinel) },
        { sensorId: 40182, rows: hoursOf(DAY, (i) => i) },
      ],
    });
    expect(result).toEqual({
      ds: DS,
      lake: lake.uri,
      rows_in: 48,
      rows_out: 48,
      rejected: {},
      tables: { fact_measurement: 48, dim_location: 1, dim_parameter: 2, dim_sensor: 2, dim_date: 1 },
    });

    const no2 = await factsOf(40185);
    expect(no2).toHaveLength(24);
    expect(no2[0]).toEqual({
      ds: DS,
      sensor_id: 40185,
      location_id: 4018,
      parameter_id: 5,
      date_key: 20240420,
      hour_local: 0,
      period_start_utc: '2024-04-19T22:00:00.000Z',
      period_end_utc: '2024-04-19T23:00:00.000Z',
      value: 10,
      is_valid: true,
      coverage_percent: 100,
    });
    expect(no2.map((r) => r.hour_local)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(no2.slice(1, 6).map((r) => [r.value, r.is_valid])).toEqual([
      [10.5, true],
      [-1, false],
      [-999, false],
      [null, false],
      [12.5, true],
    ]);

    const { schema } = await readStarTable(lake, 'fact_measurement', DS);
    expect(schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'ds:Date32<DAY>',
      'sensor_id:Int64',
      'location_id:Int64',
      'parameter_id:Int32',
      'date_key:Int32',
      'hour_local:Int32',
      'period_start_utc:Timestamp<MICROSECOND, UTC>',
      'period_end_utc:Timestamp<MICROSECOND, UTC>',
      'value:Float64',
      'is_valid:Bool',
      'coverage_percent:Float64',
    ]);

    expect(await readStar(lake, 'dim_location', DS)).toEqual([
      {
        location_id: 4018,
        name: 'PARIS 1er Les Halles',
        locality: 'Paris',
        timezone: 'Europe/Paris',
        country_code: 'FR',
        country_name: 'France',
        provider: 'EEA',
        owner: 'Unknown Governmental Organization',
        latitude: 48.86212,
        longitude: 2.344616,
        is_mobile: false,
        is_monitor: true,
      },
    ]);
    expect(await readStar(lake, 'dim_sensor', DS)).toEqual([
      { sensor_id: 40185, location_id: 4018, parameter_id: 5, name: 'no2 µg/m³' },
      { sensor_id: 40182, location_id: 4018, parameter_id: 2, name: 'pm25 µg/m³' },
    ]);
    expect((await readStar(lake, 'dim_parameter', DS)).sort((a, b) => Number(a.parameter_id) - Number(b.parameter_id))).toEqual([
      { parameter_id: 2, name: 'pm25', units: 'µg/m³', display_name: 'PM2.5' },
      { parameter_id: 5, name: 'no2', units: 'µg/m³', display_name: 'NO₂ mass' },
    ]);
    expect(await readStar(lake, 'dim_date', DS)).toEqual([{ date_key: 20240420, date: DS, year: 2024, quarter: 2, month: 4, day: 20, day_of_week: 6, is_weekend: true }]);
  });

  it('keeps the last fetched row of a duplicated (sensor, period): by fetched_at, then page order, then row order', async () => {
    const t0 = Date.parse(DAY.start) + H;
    const { result } = await transform({
      locations: [PARIS],
      pages: [
        // no2: page 2, fetched later, overlaps the last 4 hours of page 1
        { sensorId: 40185, page: 1, fetchedAt: '2024-04-21T10:00:00Z', rows: hourly(t0, 12, () => 1) },
        { sensorId: 40185, page: 2, fetchedAt: '2024-04-21T10:05:00Z', rows: hourly(t0 + 8 * H, 16, () => 2) },
        // pm25: page 1 was fetched after page 2 (a retry), so its rows win; within a page the later row wins
        { sensorId: 40182, page: 1, fetchedAt: '2024-04-21T10:10:00Z', rows: [...hourly(t0, 6, () => 7), { end: t0, value: 8 }] },
        { sensorId: 40182, page: 2, fetchedAt: '2024-04-21T10:01:00Z', rows: hourly(t0, 6, () => 9) },
      ],
    });
    expect(result.rows_in).toBe(12 + 16 + 7 + 6);
    expect(result.rejected).toEqual({ duplicate: 4 + 6 + 1 });
    expect(result.rows_out).toBe(24 + 6);
    expect((await factsOf(40185)).map((r) => r.value)).toEqual([...Array(8).fill(1), ...Array(16).fill(2)]);
    expect((await factsOf(40182)).map((r) => r.value)).toEqual([8, 7, 7, 7, 7, 7]);
  });

  it('accounts for every raw row: loaded or rejected with a reason', async () => {
    const start = Date.parse(DAY.start);
    const end = Date.parse(DAY.end);
    const { result } = await transform({
      locations: [PARIS],
      pages: [
        {
          sensorId: 40185,
          rows: [
            { end: start, value: 1 }, // the hour before the day: outside_interval
            { end: start + H, value: 2 },
            { end: start + 2 * H, value: 3, endText: 'not a time' }, // bad_timestamp
            { end: start + 3 * H, value: 4, parameterId: 3 }, // o3 in the no2 sensor: parameter_mismatch
            { end: end, value: 5 }, // the day's last hour ends at midnight: in
            { end: end + H, value: 6 }, // outside_interval
          ],
        },
        { sensorId: 99999, rows: hourly(start + H, 3, () => 1) }, // not listed by any location: unknown_sensor
      ],
    });
    expect(result.rejected).toEqual({ outside_interval: 2, bad_timestamp: 1, parameter_mismatch: 1, unknown_sensor: 3 });
    expect(result.rows_in).toBe(9);
    expect(result.rows_out).toBe(2);
    expect(result.rows_in).toBe(result.rows_out + Object.values(result.rejected).reduce((a, b) => a + b, 0));
    expect((await factsOf(40185)).map((r) => [r.hour_local, r.value])).toEqual([
      [0, 2],
      [23, 5],
    ]);
  });

  it("takes local hours in the location's time zone across the DST change, falling back to the DAG's", async () => {
    const ds = '2024-03-31'; // Europe/Paris springs forward at 02:00: the day has 23 hours
    const day = localDay(ds);
    const { result } = await transform({
      ds,
      locations: [
        { id: 1, sensors: [{ id: 11, parameterId: 5 }] },
        { id: 2, timezone: null, sensors: [{ id: 21, parameterId: 5 }] },
        { id: 3, timezone: 'UTC', sensors: [{ id: 31, parameterId: 5 }] },
      ],
      pages: [11, 21, 31].map((sensorId) => ({ sensorId, rows: hoursOf(day, (i) => i) })),
    });
    expect(result.rows_out).toBe(69);
    const paris = [0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)];
    expect((await factsOf(11, ds)).map((r) => r.hour_local)).toEqual(paris);
    expect((await factsOf(21, ds)).map((r) => r.hour_local)).toEqual(paris);
    const utc = await factsOf(31, ds);
    expect(utc.map((r) => r.hour_local)).toEqual([23, ...Array.from({ length: 22 }, (_, i) => i)]);
    expect(utc.map((r) => r.date_key)).toEqual([20240330, ...Array(22).fill(20240331)]);
    expect(utc.every((r) => r.ds === ds)).toBe(true);
    expect(await readStar(lake, 'dim_date', ds)).toEqual([
      { date_key: 20240330, date: '2024-03-30', year: 2024, quarter: 1, month: 3, day: 30, day_of_week: 6, is_weekend: true },
      { date_key: 20240331, date: '2024-03-31', year: 2024, quarter: 1, month: 3, day: 31, day_of_week: 7, is_weekend: true },
    ]);
  });

  it('writes the same files when run again on the same partition', async () => {
    await transform({ locations: [PARIS], pages: [{ sensorId: 40185, rows: hoursOf(DAY, (i) => i) }] });
    const first = await lake.get(starFileKey('fact_measurement', DS));
    const dims = await lake.get(starFileKey('dim_location', DS));
    await runOperator(transformOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });
    expect((await lake.get(starFileKey('fact_measurement', DS))).equals(first)).toBe(true);
    expect((await lake.get(starFileKey('dim_location', DS))).equals(dims)).toBe(true);
    expect(await lake.list(`star/fact_measurement/ds=${DS}/`)).toEqual([`star/fact_measurement/ds=${DS}/_manifest.json`, starFileKey('fact_measurement', DS)]);
  });

  it('publishes each table partition with a manifest giving its file size and sha256, one batch for the day', async () => {
    await transform({ locations: [PARIS], pages: [{ sensorId: 40185, rows: hoursOf(DAY, (i) => i) }] });
    const batches = new Set<string>();
    for (const table of ['dim_location', 'dim_parameter', 'dim_sensor', 'dim_date', 'fact_measurement'] as const) {
      const m = JSON.parse((await lake.get(`star/${table}/ds=${DS}/_manifest.json`)).toString('utf8'));
      const parquet = await lake.get(starFileKey(table, DS));
      expect(m).toMatchObject({ format: 'windsock.star/1', table, ds: DS, files: [{ path: 'part-0.parquet', bytes: parquet.length, sha256: createHash('sha256').update(parquet).digest('hex') }] });
      batches.add(m.batch);
    }
    expect(batches.size).toBe(1);
  });
});

describe('star.transform refuses a raw partition it cannot trust', () => {
  const spec = { locations: [PARIS], pages: [{ sensorId: 40185, rows: hoursOf(DAY, (i) => i) }, { sensorId: 40182, rows: hoursOf(DAY, (i) => i) }] };
  const fail = async () => (await settleOperator(transformOperator, {}, { home, dsLocal: DS, dagId: 'openaq' })).error;

  it('says which partition is missing and what to run', async () => {
    const error = await fail();
    expect(error?.name).toBe('FailTask');
    expect(error?.message).toBe(`no raw partition raw/openaq/ds=2024-04-20/ in ${lake.uri}: run the extract and load_raw tasks for 2024-04-20 first (dag run openaq --date 2024-04-20)`);
  });

  it('names the page whose bytes do not match the manifest checksum', async () => {
    await writeRawPartition(lake, { ...spec, ds: DS });
    const key = 'raw/openaq/ds=2024-04-20/sensors/40182/hours/page-0001.json';
    const body = (await lake.get(key)).toString('utf8');
    await lake.put(key, body.replace('"value":5,', '"value":6,')); // same size, other bytes
    const error = await fail();
    expect(error?.message).toContain(`raw page ${lake.uri}/${key} does not match its manifest checksum (sha256 `);
    const longer = body.replace('"value":5,', '"value":5.5,'); // another size
    await lake.put(key, longer);
    expect((await fail())?.message).toContain(`raw page ${lake.uri}/${key} does not match its manifest checksum (${Buffer.byteLength(longer)} bytes, the manifest says ${Buffer.byteLength(body)})`);
    expect(await lake.exists(starFileKey('fact_measurement', DS))).toBe(false);
    await lake.delete(key);
    expect((await fail())?.message).toBe(`raw page ${lake.uri}/${key} is listed in the manifest but missing: run the extract and load_raw tasks for 2024-04-20 first (dag run openaq --date 2024-04-20)`);
  });

  it('names the file and the field when a measurement field is missing or of another type', async () => {
    const drop = (row: Record<string, any>) => {
      delete row.period.datetimeTo.utc;
      return row;
    };
    await writeRawPartition(lake, { ds: DS, locations: [PARIS], pages: [{ sensorId: 40185, rows: hoursOf(DAY, (i) => i).map((h, i) => (i === 3 ? { ...h, patch: drop } : h)) }] });
    expect((await fail())?.message).toMatch(
      new RegExp(`^schema drift in ${lake.uri}/raw/openaq/ds=2024-04-20/sensors/40185/hours/page-0001\\.json: results\\[3\\]\\.period\\.datetimeTo\\.utc is missing`),
    );
    await writeRawPartition(lake, { ds: DS, locations: [PARIS], pages: [{ sensorId: 40185, rows: hoursOf(DAY, (i) => i).map((h, i) => (i === 0 ? { ...h, patch: (r) => ({ ...r, value: '12' }) } : h)) }] });
    expect((await fail())?.message).toContain('sensors/40185/hours/page-0001.json: results[0].value is a string (expected a number or null)');
  });

  it('names the file and the field when a location field drifts', async () => {
    await writeRawPartition(lake, { ds: DS, locations: [{ ...PARIS, patch: (l) => ({ ...l, timezone: 2 }) }], pages: [] });
    expect((await fail())?.message).toContain(`schema drift in ${lake.uri}/raw/openaq/ds=2024-04-20/locations/page-0001.json: results[0].timezone is a number (expected a string or null)`);
    await writeRawPartition(lake, { ds: DS, locations: [{ ...PARIS, patch: ({ coordinates, ...l }) => (void coordinates, l) }], pages: [] });
    expect((await fail())?.message).toContain('locations/page-0001.json: results[0].coordinates is missing');
  });
});
