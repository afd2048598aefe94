// Reads a /v3/sensors/{id}/hours page straight from its bytes, without JSON.parse: a million hourly rows as objects
// cost seconds and hundreds of megabytes, while the transform needs five fields of each. Fields we read are checked
// (missing or of another type -> SchemaDriftError naming the field); everything else is skipped unparsed. The page's
// bytes already matched the manifest's sha256, and the extract parsed them when they were fetched, so skipped parts
// are only scanned for their extent, not validated.
import { parseIsoUtc } from './civil-time.js';
import { JsonByteCursor, LBRACE, LBRACK, QUOTE, RBRACE, RBRACK, isNumberStart, jsonKey } from './json-bytes.js';

/**
 * One row: `value` (NaN when null), whether it was null, parameter.id, period.datetimeFrom.utc and
 * period.datetimeTo.utc in ms (NaN when the string is not a timestamp), coverage.percentCoverage (NaN when null).
 */
export type HourRowSink = (index: number, value: number, valueIsNull: boolean, parameterId: number, fromMs: number, toMs: number, coverage: number) => void;

const key = jsonKey;
const K = {
  results: key('results'),
  value: key('value'),
  parameter: key('parameter'),
  period: key('period'),
  coverage: key('coverage'),
  id: key('id'),
  datetimeFrom: key('datetimeFrom'),
  datetimeTo: key('datetimeTo'),
  utc: key('utc'),
  percentCoverage: key('percentCoverage'),
};

/** Scans a page, calling `sink` once per entry of `results`; returns the number of entries. */
export function scanHoursPage(bytes: Uint8Array, file: string, sink: HourRowSink): number {
  return new HoursScanner(bytes, file, sink).page();
}

class HoursScanner extends JsonByteCursor {
  // the row being read
  private value = NaN;
  private valueNull = false;
  private parameterId = NaN;
  private fromMs = NaN;
  private toMs = NaN;
  private coverage = NaN;

  constructor(
    b: Uint8Array,
    file: string,
    private readonly sink: HourRowSink,
  ) {
    super(b, file);
  }

  page(): number {
    this.open(LBRACE, 'the page');
    let count = -1;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        if (this.keyIs(K.results)) {
          if (this.peek() !== LBRACK) this.drift('results', `is ${this.kindAt()} (expected an array)`);
          count = this.results();
        } else this.skip();
      } while (this.nextMember(RBRACE));
    }
    this.ws();
    if (this.p !== this.n) throw this.syntax('trailing characters after the page');
    if (count < 0) this.drift('results', 'is missing');
    return count;
  }

  private results(): number {
    this.p++; // [
    let i = 0;
    if (this.closeIf(RBRACK)) return 0;
    do {
      this.measurement(i);
      i++;
    } while (this.nextMember(RBRACK));
    return i;
  }

  private measurement(i: number): void {
    if (this.peek() !== LBRACE) this.drift(`results[${i}]`, `is ${this.kindAt()} (expected an object)`);
    this.p++;
    let seen = 0; // 1 value, 2 parameter, 4 period, 8 coverage
    this.coverage = NaN;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        const len = this.keyEnd - this.keyStart;
        const c0 = this.b[this.keyStart];
        if (len === 5 && this.keyIs(K.value)) {
          seen |= 1;
          const c = this.peek();
          if (c === 110) {
            this.literal('null');
            this.value = NaN;
            this.valueNull = true;
          } else if (isNumberStart(c)) {
            this.value = this.number();
            this.valueNull = false;
          } else this.drift(`results[${i}].value`, `is ${this.kindAt()} (expected a number or null)`);
        } else if (len === 9 && c0 === 112 && this.keyIs(K.parameter)) {
          seen |= 2;
          this.parameter(i);
        } else if (len === 6 && c0 === 112 && this.keyIs(K.period)) {
          seen |= 4;
          this.period(i);
        } else if (len === 8 && c0 === 99 && this.keyIs(K.coverage)) {
          seen |= 8;
          this.coverageField(i);
        } else this.skip();
      } while (this.nextMember(RBRACE));
    }
    if (seen !== 15) {
      const missing = !(seen & 1) ? 'value' : !(seen & 2) ? 'parameter' : !(seen & 4) ? 'period' : 'coverage';
      this.drift(`results[${i}].${missing}`, 'is missing');
    }
    this.sink(i, this.value, this.valueNull, this.parameterId, this.fromMs, this.toMs, this.coverage);
  }

  private parameter(i: number): void {
    this.findMember(K.id, i, '.parameter');
    const v = isNumberStart(this.peek()) ? this.number() : NaN;
    if (!Number.isInteger(v)) this.drift(`results[${i}].parameter.id`, `is ${Number.isNaN(v) ? this.kindAt() : v} (expected an integer)`);
    this.parameterId = v;
    this.skipRest();
  }


  private period(i: number): void {
    if (this.peek() !== LBRACE) this.drift(`results[${i}].period`, `is ${this.kindAt()} (expected an object)`);
    this.p++;
    let seen = 0;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        const len = this.keyEnd - this.keyStart;
        if (len === 12 && this.keyIs(K.datetimeFrom)) {
          seen |= 1;
          this.fromMs = this.dateTimeUtc(i, '.period.datetimeFrom');
        } else if (len === 10 && this.keyIs(K.datetimeTo)) {
          seen |= 2;
          this.toMs = this.dateTimeUtc(i, '.period.datetimeTo');
        } else this.skip();
      } while (this.nextMember(RBRACE));
    }
    if (!(seen & 1)) this.drift(`results[${i}].period.datetimeFrom`, 'is missing');
    if (!(seen & 2)) this.drift(`results[${i}].period.datetimeTo`, 'is missing');
  }

  /** `at` is the path below results[i], e.g. '.period.datetimeFrom'. */
  private dateTimeUtc(i: number, at: string): number {
    this.findMember(K.utc, i, at);
    if (this.peek() !== QUOTE) this.drift(`results[${i}]${at}.utc`, `is ${this.kindAt()} (expected a string)`);
    const start = this.p + 1;
    const end = this.stringEnd();
    const ms = parseIsoUtc(this.b, start, end);
    this.skipRest();
    return ms;
  }


  private coverageField(i: number): void {
    if (this.peek() === 110) {
      this.literal('null');
      return;
    }
    this.findMember(K.percentCoverage, i, '.coverage', 'an object or null');
    const v = this.peek();
    if (v === 110) this.literal('null');
    else if (isNumberStart(v)) this.coverage = this.number();
    else this.drift(`results[${i}].coverage.percentCoverage`, `is ${this.kindAt()} (expected a number)`);
    this.skipRest();
  }

}
