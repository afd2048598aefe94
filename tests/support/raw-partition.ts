// Raw partitions for tests and benchmarks, laid out exactly as raw-format.ts says (pages byte for byte in the v3
// shapes, a manifest with each page's size and sha256), from a compact spec of stations, sensors and hours.
// `writeRawPartition` stages the folder and publishes it through Lake.replacePartition, as lake.load_raw does.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Lake } from '../../tasks/lake/lake.js';
import { parameterById } from '../../tasks/openaq/parameter-table.js';
import { ZoneOffsets } from '../../tasks/star/zone-offsets.js';
import { MANIFEST_FILE, pageFileName, rawPartitionPrefix, type ManifestPage, type RawManifest } from '../../tasks/openaq/raw-format.js';

export interface SpecSensor {
  id: number;
  parameterId: number;
  /** default "<parameter> <units>" */
  name?: string;
}

export interface SpecLocation {
  id: number;
  name?: string | null;
  locality?: string | null;
  /** default: the spec's timezone */
  timezone?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  sensors: SpecSensor[];
  /** Replace or add fields of the location JSON (schema drift tests). */
  patch?: (loc: Record<string, unknown>) => Record<string, unknown>;
}

/** One hourly row: the period ending at `end` (UTC ISO or ms). */
export interface SpecHour {
  end: string | number;
  value: number | null;
  /** default: the sensor's parameter */
  parameterId?: number;
  /** default 100; null writes "coverage": null */
  coverage?: number | null;
  /** Replace the period.datetimeTo.utc string as written (bad timestamps). */
  endText?: string;
  /** Rewrite the row's JSON object (schema drift tests). */
  patch?: (row: Record<string, unknown>) => unknown;
}

export interface SpecPage {
  sensorId: number;
  /** default: the sensor's location */
  locationId?: number;
  /** default: 1 + the pages of this sensor before it */
  page?: number;
  /** default: the partition's created time plus one second per page */
  fetchedAt?: string;
  /** The rows, or a function making them when the page is written (large partitions stay out of memory). */
  rows: SpecHour[] | (() => SpecHour[]);
}

export interface RawSpec {
  ds: string;
  /** The DAG's time zone: the data interval is the local day. Default Europe/Paris. */
  timezone?: string;
  /** Override the interval (ISO with offset), e.g. a whole year for the benchmark. */
  interval?: { start: string; end: string };
  locations: SpecLocation[];
  /** Parameter ids listed by /v3/parameters; default every parameter of the sensors. */
  parameters?: number[];
  pages: SpecPage[];
  dagId?: string;
}

export interface WrittenPartition {
  prefix: string;
  manifest: RawManifest;
  /** Rows in sensor_hours pages. */
  rows: number;
  dir: string;
}

const HOUR_MS = 3_600_000;

/** The interval of a local day, as the engine gives it to tasks (UTC ISO with +00:00). */
export function localDay(ds: string, timezone = 'Europe/Paris'): { start: string; end: string } {
  const start = DateTime.fromISO(ds, { zone: timezone });
  const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true })!.replace(/Z$/, '+00:00');
  return { start: iso(start), end: iso(start.plus({ days: 1 })) };
}

/** `count` hourly rows ending at `firstEnd`, `firstEnd + 1h`, ..., values from `value(i, endMs)`. */
export function hourly(firstEnd: string | number, count: number, value: (i: number, endMs: number) => number | null): SpecHour[] {
  const t0 = typeof firstEnd === 'number' ? firstEnd : Date.parse(firstEnd);
  return Array.from({ length: count }, (_, i) => ({ end: t0 + i * HOUR_MS, value: value(i, t0 + i * HOUR_MS) }));
}

/** Every hour of the interval for a sensor: the period ends in (start, end]. */
export function hoursOf(interval: { start: string; end: string }, value: (i: number, endMs: number) => number | null): SpecHour[] {
  const s = Date.parse(interval.start);
  const e = Date.parse(interval.end);
  return hourly(s + HOUR_MS, Math.round((e - s) / HOUR_MS), value);
}

const utcText = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const zones = new Map<string, ZoneOffsets>();

/** {"utc": "...Z", "local": "...+02:00"} as the API writes them (luxon only once per zone and quarter hour). */
function pair(ms: number, zone: string): { utc: string; local: string } {
  let z = zones.get(zone);
  if (!z) {
    z = ZoneOffsets.tryCreate(zone);
    if (!z) throw new Error(`raw-partition: unknown time zone ${zone}`);
    zones.set(zone, z);
  }
  const off = z.offsetMs(ms);
  const local = new Date(ms + off).toISOString().slice(0, 19);
  const m = Math.abs(off) / 60_000;
  const sign = off < 0 ? '-' : '+';
  return { utc: utcText(ms), local: `${local}${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}` };
}

function parameterRef(id: number, withDisplayName: boolean) {
  const p = parameterById(id);
  if (!p) throw new Error(`raw-partition: unknown parameter id ${id}`);
  return { id: p.id, name: p.name, units: p.units, displayName: withDisplayName ? p.displayName : null };
}

/** One /hours row, as the API emits it (the simulator's layout). */
export function hourRow(h: SpecHour, parameterId: number, zone: string): unknown {
  const endMs = typeof h.end === 'number' ? h.end : Date.parse(h.end);
  const to = pair(endMs, zone);
  if (h.endText !== undefined) to.utc = h.endText;
  const from = pair(endMs - HOUR_MS, zone);
  const v = h.value;
  const cov = h.coverage === undefined ? 100 : h.coverage;
  const row: Record<string, unknown> = {
    value: v,
    flagInfo: { hasFlags: false },
    parameter: parameterRef(h.parameterId ?? parameterId, false),
    period: { label: '1hour', interval: '01:00:00', datetimeFrom: from, datetimeTo: to },
    coordinates: null,
    summary: { min: v, q02: v, q25: v, median: v, q75: v, q98: v, max: v, avg: v, sd: null },
    coverage:
      cov === null
        ? null
        : {
            expectedCount: 1,
            expectedInterval: '01:00:00',
            observedCount: 1,
            observedInterval: '01:00:00',
            percentComplete: cov,
            percentCoverage: cov,
            datetimeFrom: to,
            datetimeTo: to,
          },
  };
  return h.patch ? h.patch(row) : row;
}

function locationJson(l: SpecLocation, zone: string): Record<string, unknown> {
  const loc: Record<string, unknown> = {
    id: l.id,
    name: l.name === undefined ? `Station ${l.id}` : l.name,
    locality: l.locality === undefined ? 'Paris' : l.locality,
    timezone: l.timezone === undefined ? zone : l.timezone,
    country: { id: 22, code: 'FR', name: 'France' },
    owner: { id: 4, name: 'Unknown Governmental Organization' },
    provider: { id: 70, name: 'EEA' },
    isMobile: false,
    isMonitor: true,
    instruments: [{ id: 2, name: 'Government Monitor' }],
    sensors: l.sensors.map((s) => {
      const p = parameterRef(s.parameterId, true);
      return { id: s.id, name: s.name ?? `${p.name} ${p.units}`, parameter: p };
    }),
    coordinates: { latitude: l.latitude === undefined ? 48.86 : l.latitude, longitude: l.longitude === undefined ? 2.34 : l.longitude },
    licenses: null,
    bounds: [2.34, 48.86, 2.34, 48.86],
    distance: null,
    datetimeFirst: null,
    datetimeLast: null,
  };
  return l.patch ? l.patch(loc) : loc;
}

const envelope = (results: unknown[], limit = 1000) =>
  JSON.stringify({ meta: { name: 'openaq-api', website: '/', page: 1, limit, found: results.length >= limit ? `>${limit}` : results.length }, results });

/** Writes the partition's files into `dir` (emptied first) and returns its manifest. */
export function buildRawPartition(spec: RawSpec, dir: string): WrittenPartition {
  const zone = spec.timezone ?? 'Europe/Paris';
  const interval = spec.interval ?? localDay(spec.ds, zone);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const base = 'http://127.0.0.1:8787';
  const created = Date.parse(interval.end) + 2 * HOUR_MS;
  let clock = created - 3600_000;
  const pages: ManifestPage[] = [];
  const put = (rel: string, body: string, meta: Omit<ManifestPage, 'path' | 'bytes' | 'sha256' | 'status' | 'fetched_at'> & { fetched_at?: string }) => {
    const bytes = Buffer.from(body, 'utf8');
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), bytes);
    clock += 1000;
    pages.push({
      path: rel,
      status: 200,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...meta,
      fetched_at: meta.fetched_at ?? new Date(clock).toISOString(),
    });
  };

  const sensorParam = new Map<number, { parameterId: number; locationId: number; zone: string }>();
  for (const l of spec.locations) for (const s of l.sensors) sensorParam.set(s.id, { parameterId: s.parameterId, locationId: l.id, zone: l.timezone || zone });
  const paramIds = spec.parameters ?? [...new Set([...sensorParam.values()].map((s) => s.parameterId))].sort((a, b) => a - b);
  put(`parameters/${pageFileName(1)}`, envelope(paramIds.map((id) => ({ ...parameterRef(id, true), description: parameterById(id)?.description ?? null }))), {
    endpoint: 'parameters',
    url: `${base}/v3/parameters?limit=1000&page=1`,
    page: 1,
    rows: paramIds.length,
  });
  put(`locations/${pageFileName(1)}`, envelope(spec.locations.map((l) => locationJson(l, zone))), {
    endpoint: 'locations',
    url: `${base}/v3/locations?bbox=1.44,48.12,3.56,49.24&limit=1000&page=1`,
    page: 1,
    rows: spec.locations.length,
  });
  const pageNo = new Map<number, number>();
  let rows = 0;
  for (const pg of spec.pages) {
    const known = sensorParam.get(pg.sensorId);
    const n = pg.page ?? (pageNo.get(pg.sensorId) ?? 0) + 1;
    pageNo.set(pg.sensorId, n);
    const hours = typeof pg.rows === 'function' ? pg.rows() : pg.rows;
    const pid = known?.parameterId ?? hours[0]?.parameterId ?? 5;
    const body = envelope(hours.map((h) => hourRow(h, pid, known?.zone ?? zone)));
    put(`sensors/${pg.sensorId}/hours/${pageFileName(n)}`, body, {
      endpoint: 'sensor_hours',
      url: `${base}/v3/sensors/${pg.sensorId}/hours?datetime_from=${interval.start}&datetime_to=${interval.end}&limit=1000&page=${n}`,
      page: n,
      rows: hours.length,
      sensor_id: pg.sensorId,
      location_id: pg.locationId ?? known?.locationId,
      fetched_at: pg.fetchedAt,
    });
    rows += hours.length;
  }
  pages.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: RawManifest = {
    format: 'windsock.openaq.raw/1',
    dag_id: spec.dagId ?? 'openaq',
    run_id: `manual__${interval.start}`,
    ds: spec.ds,
    data_interval_start: interval.start,
    data_interval_end: interval.end,
    base_url: base,
    region: { bbox: '1.44,48.12,3.56,49.24' },
    parameters_id: paramIds,
    pages,
    created_at: new Date(created).toISOString(),
  };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return { prefix: rawPartitionPrefix(spec.ds), manifest, rows, dir };
}

/** Builds the partition in a temporary folder and publishes it to `lake` (replacing any earlier one). */
export async function writeRawPartition(lake: Lake, spec: RawSpec): Promise<WrittenPartition> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-raw-'));
  try {
    const written = buildRawPartition(spec, path.join(dir, `ds=${spec.ds}`));
    await lake.replacePartition(written.prefix, written.dir, MANIFEST_FILE);
    return written;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
