// Warehouse record batches re-shaped to one fixed schema and written as an Arrow IPC stream
// (https://arrow.apache.org/docs/format/Columnar.html#ipc-streaming-format), pulled batch by batch: the next
// warehouse batch is read only when the client has taken the previous one, so nothing is buffered whole.
import zlib from 'node:zlib';
import * as arrow from 'apache-arrow';
import { logger } from '../../../engine/log.js';

export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';
/** Rows per record batch on the wire (DuckDB's chunk size). */
export const BATCH_ROWS = 2048;

const field = (name: string, type: arrow.DataType, nullable = false) => new arrow.Field(name, type, nullable);

/** Hourly values: the hour's start (UTC), OpenAQ's sensor and location ids, the value (null when invalid). */
export const MEASUREMENTS_SCHEMA = new arrow.Schema([
  field('time', new arrow.TimestampMillisecond('UTC')),
  field('sensor_id', new arrow.Int32()),
  field('location_id', new arrow.Int32()),
  field('value', new arrow.Float32(), true),
]);

/** Daily statistics per sensor and Paris local day. */
export const DAILY_SCHEMA = new arrow.Schema([
  field('date', new arrow.DateDay()),
  field('sensor_id', new arrow.Int32()),
  field('location_id', new arrow.Int32()),
  field('valid_hours', new arrow.Int32()),
  field('mean', new arrow.Float64(), true),
  field('mda8', new arrow.Float64(), true),
  field('complete', new arrow.Bool()),
  field('exceeds_who', new arrow.Bool(), true),
]);


/** Milliseconds per unit of arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const MS_PER_UNIT = [1000, 1, 1 / 1000, 1 / 1e6];

/**
 * The column's values as numbers read from its typed array whole (timestamps in ms), or null for a type that has to
 * go value by value: Vector.get() per value is several times slower, and a year's stream is millions of values.
 */
function fastNumbers(source: arrow.Vector): ((i: number) => number) | null {
  const t = source.type;
  if (!arrow.DataType.isTimestamp(t) && !arrow.DataType.isInt(t) && !(arrow.DataType.isFloat(t) && t.precision !== arrow.Precision.HALF)) return null;
  const a = source.toArray() as ArrayLike<number | bigint>;
  const scale = arrow.DataType.isTimestamp(t) ? MS_PER_UNIT[t.unit]! : 1;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return (i) => Number(a[i]!) * scale;
  return scale === 1 ? (i) => a[i] as number : (i) => (a[i] as number) * scale;
}

/** Whether value i is present, read from the validity bitmap itself when the column is one buffer. */
function validity(source: arrow.Vector): (i: number) => boolean {
  if (source.nullCount === 0) return () => true;
  const d = source.data.length === 1 ? source.data[0]! : null;
  const bits = d?.nullBitmap;
  if (!d || !bits || bits.length === 0) return (i) => source.isValid(i);
  const off = d.offset;
  return (i) => ((bits[(off + i) >> 3]! >> ((off + i) & 7)) & 1) === 1;
}

/** One column of a warehouse batch as the Data of `type` (numbers, timestamps, dates, booleans), nulls kept. */
function convert(source: arrow.Vector, type: arrow.DataType, n: number): arrow.Data {
  const valid = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  const get = fastNumbers(source) ?? ((i: number): number => Number(source.get(i)));
  const isValid = validity(source);
  const present = (i: number) => {
    if (isValid(i)) {
      valid[i >> 3]! |= 1 << (i & 7);
      return true;
    }
    nulls++;
    return false;
  };
  let data: ArrayLike<unknown>;
  if (arrow.DataType.isTimestamp(type)) {
    // 64-bit ms written as two 32-bit halves (little-endian): no BigInt per value
    const a = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      if (!present(i)) continue;
      const ms = Math.round(get(i));
      const hi = Math.floor(ms / 4294967296);
      a[2 * i] = (ms - hi * 4294967296) | 0;
      a[2 * i + 1] = hi;
    }
    data = new BigInt64Array(a.buffer);
  } else if (arrow.DataType.isDate(type)) {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) if (present(i)) a[i] = Math.round(Number(source.get(i)) / 86_400_000);
    data = a;
  } else if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if (present(i) && source.get(i)) bits[i >> 3]! |= 1 << (i & 7);
    data = bits;
  } else {
    const a = type instanceof arrow.Float32 ? new Float32Array(n) : type instanceof arrow.Float64 ? new Float64Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) if (present(i)) a[i] = get(i);
    data = a;
  }
  return arrow.makeData({ type, length: n, data, nullBitmap: nulls ? valid : undefined, nullCount: nulls } as never) as unknown as arrow.Data;
}

/** A warehouse batch in `schema` (its columns found by name). */
export function reshape(batch: arrow.RecordBatch, schema: arrow.Schema): arrow.RecordBatch {
  const n = batch.numRows;
  const children = schema.fields.map((f) => {
    const col = batch.getChild(f.name);
    if (!col) throw new Error(`the warehouse result has no column ${f.name}`);
    return convert(col, f.type, n);
  });
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children }));
}

/** An AsyncByteQueue that only collects what the writer writes, for the caller to take synchronously. */
class Collector extends arrow.AsyncByteQueue {
  private chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
  take(): Uint8Array {
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
}

/**
 * The IPC stream of `batches` in `schema`: the schema message first (so an empty result is a valid empty stream),
 * then one message per non-empty batch, then the end-of-stream marker. `done` runs once, however the stream ends.
 */
export function arrowStream(batches: AsyncIterable<arrow.RecordBatch>, schema: arrow.Schema, done: () => Promise<void>): ReadableStream<Uint8Array> {
  const sink = new Collector();
  const writer = new arrow.RecordBatchStreamWriter();
  writer.reset(sink as never, schema);
  const it = batches[Symbol.asyncIterator]();
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    await done();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const next = await it.next();
          if (next.done) {
            writer.finish();
            const tail = sink.take();
            if (tail.byteLength) controller.enqueue(tail);
            controller.close();
            await finish();
            return;
          }
          if (next.value.numRows === 0) continue;
          // Batches of at most BATCH_ROWS: the first rows reach the client (and its charts) sooner.
          const whole = reshape(next.value, schema);
          for (let i = 0; i < whole.numRows; i += BATCH_ROWS) writer.write(whole.slice(i, i + BATCH_ROWS));
          controller.enqueue(sink.take());
          return;
        }
      } catch (err) {
        await finish();
        logger.warn({ err }, 'an analytics stream broke off');
        // The status line is gone: the client sees a cut stream, which its reader reports as an error.
        controller.error(err);
      }
    },
    async cancel() {
      await it.return?.();
      await finish();
    },
  }, { highWaterMark: 1 });
}

/** gzip that flushes after every chunk, so each record batch reaches the client as soon as it is written. */
export function gzipEachChunk(): TransformStream<Uint8Array, Uint8Array> {
  const z = zlib.createGzip();
  let out!: TransformStreamDefaultController<Uint8Array>;
  z.on('data', (b: Buffer) => {
    try {
      out.enqueue(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    } catch {
      // the client went away: nothing more to send
      z.destroy();
    }
  });
  return new TransformStream<Uint8Array, Uint8Array>({
    start(c) {
      out = c;
    },
    transform(chunk) {
      return new Promise<void>((resolve, reject) => {
        z.write(chunk, (err) => (err ? reject(err) : z.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve())));
      });
    },
    flush() {
      return new Promise<void>((resolve) => {
        z.once('end', resolve);
        z.end();
      });
    },
  });
}
