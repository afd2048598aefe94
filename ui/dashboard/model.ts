// The dashboard's data: one crossfilter over the hourly rows of one pollutant, fed batch by batch from the Arrow
// stream, with the dimensions every view filters through, so that every view always agrees with every other.
import crossfilter from 'crossfilter2';
// The IPC reader alone (the package's root also bundles its builders and writers).
import { RecordBatchReader } from 'apache-arrow/ipc/reader';
import { parisTime } from './paris-time.js';

export interface Row {
  /** Hour start, UTC ms. */
  t: number;
  sensor: number;
  station: number;
  /** null: the hour is not valid (OpenAQ's -1 and such) */
  v: number | null;
  hour: number;
  weekday: number;
  day: number;
}

export interface Station {
  id: number;
  name: string;
  latitude: number | null;
  longitude: number | null;
  sensors: { id: number; parameter: string; units: string; first_time: string | null; last_time: string | null }[];
  first_time: string | null;
  last_time: string | null;
}

/** Values are kept to the thousandth (the stations report fewer decimals): sums are kept in integer thousandths. */
const SCALE = 1000;

/**
 * Sum and count of valid values: the mean, never the maximum. The sum is an integer (of thousandths), so adding and
 * removing rows as filters change leaves it exact: a mean never depends on the order the filters were applied in.
 */
export interface Mean {
  sum: number;
  n: number;
  rows: number;
}

/** A crossfilter group of means, keyed by a number (time, day, station, hour, weekday). */
export interface MeanGroup {
  all(): readonly { key: number; value: Mean }[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function meanReducer(group: any): MeanGroup {
  return group.reduce(
    (p: Mean, r: Row) => {
      p.rows++;
      if (r.v !== null) {
        p.sum += Math.round(r.v * SCALE);
        p.n++;
      }
      return p;
    },
    (p: Mean, r: Row) => {
      p.rows--;
      if (r.v !== null) {
        p.sum -= Math.round(r.v * SCALE);
        p.n--;
      }
      return p;
    },
    () => ({ sum: 0, n: 0, rows: 0 }),
  );
}

export const meanOf = (m: Mean): number | null => (m.n > 0 ? m.sum / SCALE / m.n : null);

export class Model {
  readonly ndx = crossfilter<Row>();
  readonly time = this.ndx.dimension((r) => r.t);
  readonly day = this.ndx.dimension((r) => r.day);
  readonly station = this.ndx.dimension((r) => r.station);
  readonly hour = this.ndx.dimension((r) => r.hour);
  readonly weekday = this.ndx.dimension((r) => r.weekday);
  /** A dimension no view filters: to read the selection as a whole. */
  readonly all = this.ndx.dimension((r) => r.t);
  readonly byTime = meanReducer(this.time.group());
  readonly byDay = meanReducer(this.day.group());
  readonly byStation = meanReducer(this.station.group());
  readonly byHour = meanReducer(this.hour.group());
  readonly byWeekday = meanReducer(this.weekday.group());
  private readonly count = this.ndx.groupAll();
  /** The loaded range [start, end) in ms (Paris midnights), and the brushed window within it, if any. */
  range: [number, number] = [0, 0];
  window: [number, number] | null = null;
  batches = 0;
  /** Latest hour start seen (ms). */
  last = -Infinity;
  first = Infinity;

  size(): number {
    return this.ndx.size();
  }

  selected(): number {
    return this.count.value() as unknown as number;
  }

  /** The hours of the selected window (the brush, else the loaded range): what completeness is counted against. */
  windowHours(): number {
    const [a, b] = this.window ?? this.range;
    return Math.max(0, Math.round((b - a) / 3_600_000));
  }

  add(rows: Row[]): void {
    for (const r of rows) {
      if (r.t > this.last) this.last = r.t;
      if (r.t < this.first) this.first = r.t;
    }
    this.ndx.add(rows);
    this.batches++;
  }
}

/** Why a load failed, in words for the alert. */
export class LoadError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/**
 * Streams /api/analytics/measurements into the model, calling `progress` after each batch. Rows already added stay
 * when the stream breaks; the error then says how far it got.
 */
export async function streamMeasurements(url: string, model: Model, progress: () => void, signal?: AbortSignal): Promise<void> {
  const res = await fetch(url, { signal, credentials: 'same-origin' });
  if (!res.ok) {
    let detail = '';
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? '';
    } catch {
      // not JSON
    }
    throw new LoadError(`Data failed to load (HTTP ${res.status})${detail ? `: ${detail}` : ''}`, res.status);
  }
  const reader = await RecordBatchReader.from(res);
  for await (const batch of reader) {
    const n = batch.numRows;
    const time = batch.getChild('time')!;
    const sensor = batch.getChild('sensor_id')!.toArray() as Int32Array;
    const station = batch.getChild('location_id')!.toArray() as Int32Array;
    const value = batch.getChild('value')!;
    const values = value.toArray() as Float32Array;
    const rows: Row[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const t = Number(time.get(i));
      const p = parisTime(t);
      // float32 on the wire: rounded back to the decimals the stations report
      const v = value.isValid(i) ? Math.round(values[i]! * SCALE) / SCALE : null;
      rows[i] = { t, sensor: sensor[i]!, station: station[i]!, v, hour: p.hour, weekday: p.weekday, day: p.day };
    }
    model.add(rows);
    progress();
  }
}
