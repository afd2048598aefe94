// fact_measurement, built column by column into typed arrays (no row objects): one call per raw row decides whether
// it is loaded or rejected (and why), resolves duplicates, and derives the local date and hour of the period start.
// finish() puts the rows in an order of their content alone (rowOrder), never of when their pages were fetched: two
// transforms of the same pages then write the same bytes, which is what warehouse.load_star's fingerprint of the
// star files compares (tasks/warehouse/duckdb-load-record.ts).
import { civilFromDays, dateKey } from './civil-time.js';
import type { ZoneOffsets } from './zone-offsets.js';

export const REJECT_REASONS = ['bad_timestamp', 'outside_interval', 'unknown_sensor', 'parameter_mismatch', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const TWO32 = 4_294_967_296;

/** A sensor the facts can be attributed to (from dim_sensor), with its location's time zone. */
export interface FactSensor {
  sensorId: number;
  locationId: number;
  parameterId: number;
  zone: ZoneOffsets;
  /** Its position in dim_sensor (the order the locations endpoint lists them): orders a location's sensors in the fact. */
  listed: number;
}

interface SensorSlots {
  sensor: FactSensor;
  /** Row index + 1 of each period end on the hour, by hours after the interval start. */
  hourly: Int32Array;
  /** Period ends off the hour, by ms. */
  other?: Map<number, number>;
}

export interface FactColumns {
  length: number;
  /** Int64 columns as BigInt64Array (written through 32-bit halves: little-endian). */
  sensorId: BigInt64Array;
  locationId: BigInt64Array;
  parameterId: Int32Array;
  dateKey: Int32Array;
  hourLocal: Int32Array;
  /** Microseconds since the epoch. */
  periodStartUtc: BigInt64Array;
  periodEndUtc: BigInt64Array;
  value: Float64Array;
  /** 1 when value is not null. */
  valuePresent: Uint8Array;
  isValid: Uint8Array;
  coverage: Float64Array;
  coveragePresent: Uint8Array;
  /** Local days (since the epoch) that occur in date_key. */
  days: Set<number>;
}

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('star.transform writes Int64 columns as little-endian halves: this platform is big-endian');

export class FactBuilder {
  private n = 0;
  readonly rejected: Record<RejectReason, number> = { bad_timestamp: 0, outside_interval: 0, unknown_sensor: 0, parameter_mismatch: 0, duplicate: 0 };
  rowsIn = 0;

  private readonly sensorLH: Int32Array;
  private readonly locationLH: Int32Array;
  private readonly startLH: Int32Array;
  private readonly endLH: Int32Array;
  private readonly cols: FactColumns;
  private readonly slots = new Map<number, SensorSlots>();
  private readonly intervalHours: number;
  private lastDay = NaN;
  private lastDateKey = 0;
  private finished?: FactColumns;

  /** `capacity`: the most rows that can be loaded (the manifest's row count). */
  constructor(
    capacity: number,
    private readonly intervalStartMs: number,
    private readonly intervalEndMs: number,
  ) {
    const cap = Math.max(1, capacity);
    this.cols = {
      length: 0,
      sensorId: new BigInt64Array(cap),
      locationId: new BigInt64Array(cap),
      parameterId: new Int32Array(cap),
      dateKey: new Int32Array(cap),
      hourLocal: new Int32Array(cap),
      periodStartUtc: new BigInt64Array(cap),
      periodEndUtc: new BigInt64Array(cap),
      value: new Float64Array(cap),
      valuePresent: new Uint8Array(cap),
      isValid: new Uint8Array(cap),
      coverage: new Float64Array(cap),
      coveragePresent: new Uint8Array(cap),
      days: new Set(),
    };
    this.sensorLH = new Int32Array(this.cols.sensorId.buffer);
    this.locationLH = new Int32Array(this.cols.locationId.buffer);
    this.startLH = new Int32Array(this.cols.periodStartUtc.buffer);
    this.endLH = new Int32Array(this.cols.periodEndUtc.buffer);
    this.intervalHours = Math.max(0, Math.ceil((intervalEndMs - intervalStartMs) / HOUR_MS));
  }

  /** Every row of a page whose sensor is not in dim_sensor. */
  rejectUnknownSensor(rows: number): void {
    this.rowsIn += rows;
    this.rejected.unknown_sensor += rows;
  }

  /**
   * One raw row of `sensor`. `value`/`coverage` are NaN when null; `fromMs`/`toMs` NaN when not a timestamp.
   * Rows are offered in fetch order, so a later row for the same (sensor, period end) replaces the earlier one.
   */
  add(sensor: FactSensor, value: number, valueIsNull: boolean, parameterId: number, fromMs: number, toMs: number, coverage: number): void {
    this.rowsIn++;
    if (!(fromMs < toMs)) {
      this.rejected.bad_timestamp++;
      return;
    }
    // The API's window: period end > interval start and <= interval end.
    if (toMs <= this.intervalStartMs || toMs > this.intervalEndMs) {
      this.rejected.outside_interval++;
      return;
    }
    if (parameterId !== sensor.parameterId) {
      this.rejected.parameter_mismatch++;
      return;
    }
    const i = this.slotFor(sensor, toMs);
    const c = this.cols;
    const s = sensor.sensorId;
    this.sensorLH[2 * i] = s >>> 0;
    this.sensorLH[2 * i + 1] = Math.floor(s / TWO32);
    const l = sensor.locationId;
    this.locationLH[2 * i] = l >>> 0;
    this.locationLH[2 * i + 1] = Math.floor(l / TWO32);
    c.parameterId[i] = parameterId;
    const us0 = fromMs * 1000;
    this.startLH[2 * i] = us0 >>> 0;
    this.startLH[2 * i + 1] = Math.floor(us0 / TWO32);
    const us1 = toMs * 1000;
    this.endLH[2 * i] = us1 >>> 0;
    this.endLH[2 * i + 1] = Math.floor(us1 / TWO32);

    const local = fromMs + sensor.zone.offsetMs(fromMs);
    const day = Math.floor(local / DAY_MS);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastDateKey = dateKey(civilFromDays(day));
      c.days.add(day);
    }
    c.dateKey[i] = this.lastDateKey;
    c.hourLocal[i] = Math.floor((local - day * DAY_MS) / HOUR_MS);

    if (valueIsNull) {
      c.value[i] = 0;
      c.valuePresent[i] = 0;
      c.isValid[i] = 0;
    } else {
      c.value[i] = value;
      c.valuePresent[i] = 1;
      c.isValid[i] = value >= 0 ? 1 : 0;
    }
    if (Number.isNaN(coverage)) {
      c.coverage[i] = 0;
      c.coveragePresent[i] = 0;
    } else {
      c.coverage[i] = coverage;
      c.coveragePresent[i] = 1;
    }
  }

  /** The row index for (sensor, period end): a new one, or the earlier row's (counted as a duplicate). */
  private slotFor(sensor: FactSensor, toMs: number): number {
    let slots = this.slots.get(sensor.sensorId);
    if (!slots) {
      slots = { sensor, hourly: new Int32Array(this.intervalHours + 1) };
      this.slots.set(sensor.sensorId, slots);
    }
    const h = (toMs - this.intervalStartMs) / HOUR_MS;
    if (Number.isInteger(h) && h <= this.intervalHours) {
      const prev = slots.hourly[h]!;
      if (prev) {
        this.rejected.duplicate++;
        return prev - 1;
      }
      slots.hourly[h] = this.n + 1;
      return this.n++;
    }
    slots.other ??= new Map();
    const prev = slots.other.get(toMs);
    if (prev !== undefined) {
      this.rejected.duplicate++;
      return prev;
    }
    slots.other.set(toMs, this.n);
    return this.n++;
  }

  get rowsOut(): number {
    return this.n;
  }

  /** The columns, trimmed to the rows loaded and in rowOrder's order; call once the last row was added. */
  finish(): FactColumns {
    return (this.finished ??= this.sorted());
  }

  private sorted(): FactColumns {
    this.permute(this.rowOrder());
    const n = this.n;
    const c = this.cols;
    return {
      length: n,
      sensorId: c.sensorId.subarray(0, n),
      locationId: c.locationId.subarray(0, n),
      parameterId: c.parameterId.subarray(0, n),
      dateKey: c.dateKey.subarray(0, n),
      hourLocal: c.hourLocal.subarray(0, n),
      periodStartUtc: c.periodStartUtc.subarray(0, n),
      periodEndUtc: c.periodEndUtc.subarray(0, n),
      value: c.value.subarray(0, n),
      valuePresent: c.valuePresent.subarray(0, n),
      isValid: c.isValid.subarray(0, n),
      coverage: c.coverage.subarray(0, n),
      coveragePresent: c.coveragePresent.subarray(0, n),
      days: c.days,
    };
  }

  /**
   * Row indexes by location id, then sensor as dim_sensor lists it, then period end: a total order, since the fact is
   * unique on (sensor_id, period_end_utc) (schema.ts). Built from the slots (each sensor's rows by hour already), so
   * it costs one pass over them rather than a comparison sort of the rows.
   */
  private rowOrder(): Int32Array {
    const order = new Int32Array(this.n);
    const sensors = [...this.slots.values()].sort((a, b) => a.sensor.locationId - b.sensor.locationId || a.sensor.listed - b.sensor.listed);
    let k = 0;
    for (const s of sensors) k = this.sensorRows(s, order, k);
    if (k !== this.n) throw new Error(`star.transform: ${k} of ${this.n} fact rows ordered`);
    return order;
  }

  /** Writes the rows of one sensor into `order` from `k`, by period end (off-hour ones merged in); returns the next k. */
  private sensorRows(s: SensorSlots, order: Int32Array, k: number): number {
    const other = s.other ? [...s.other].sort((a, b) => a[0] - b[0]) : [];
    let j = 0;
    for (let h = 0; h < s.hourly.length; h++) {
      const end = this.intervalStartMs + h * HOUR_MS;
      while (j < other.length && other[j]![0] < end) order[k++] = other[j++]![1];
      const row = s.hourly[h]!;
      if (row) order[k++] = row - 1;
    }
    while (j < other.length) order[k++] = other[j++]![1];
    return k;
  }

  /** Moves row order[k] of every column to k, in place, through one scratch buffer. */
  private permute(order: Int32Array): void {
    const c = this.cols;
    const wide = new Int32Array(2 * order.length);
    for (const col of [this.sensorLH, this.locationLH, this.startLH, this.endLH, halves(c.value), halves(c.coverage)]) gather64(col, order, wide);
    const narrow = wide.subarray(0, order.length);
    for (const col of [c.parameterId, c.dateKey, c.hourLocal]) gather32(col, order, narrow);
    const bytes = new Uint8Array(wide.buffer, 0, order.length);
    for (const col of [c.valuePresent, c.isValid, c.coveragePresent]) gather8(col, order, bytes);
  }
}

/** A Float64Array's bits as 32-bit halves: copied bit for bit, whatever the values. */
const halves = (a: Float64Array) => new Int32Array(a.buffer, a.byteOffset, 2 * a.length);

/** An 8-byte column seen as 32-bit halves: element k of `tmp` becomes element order[k] of `col`, then back into `col`. */
function gather64(col: Int32Array, order: Int32Array, tmp: Int32Array): void {
  for (let k = 0; k < order.length; k++) {
    const i = 2 * order[k]!;
    tmp[2 * k] = col[i]!;
    tmp[2 * k + 1] = col[i + 1]!;
  }
  col.set(tmp.subarray(0, 2 * order.length));
}

function gather32(col: Int32Array, order: Int32Array, tmp: Int32Array): void {
  for (let k = 0; k < order.length; k++) tmp[k] = col[order[k]!]!;
  col.set(tmp.subarray(0, order.length));
}

function gather8(col: Uint8Array, order: Int32Array, tmp: Uint8Array): void {
  for (let k = 0; k < order.length; k++) tmp[k] = col[order[k]!]!;
  col.set(tmp.subarray(0, order.length));
}
