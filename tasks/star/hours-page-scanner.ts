// Reads a /v3/sensors/{id}/hours page straight from its bytes, without JSON.parse: a million hourly rows as objects
// cost seconds and hundreds of megabytes, while the transform needs five fields of each. Fields we read are checked
// (missing or of another type -> SchemaDriftError naming the field); everything else is skipped unparsed. The page's
// bytes already matched the manifest's sha256, and the extract parsed them when they were fetched, so skipped parts
// are only scanned for their extent, not validated.
import { parseIsoUtc } from './civil-time.js';
import { RawSyntaxError, SchemaDriftError } from './raw-errors.js';

/**
 * One row: `value` (NaN when null), whether it was null, parameter.id, period.datetimeFrom.utc and
 * period.datetimeTo.utc in ms (NaN when the string is not a timestamp), coverage.percentCoverage (NaN when null).
 */
export type HourRowSink = (index: number, value: number, valueIsNull: boolean, parameterId: number, fromMs: number, toMs: number, coverage: number) => void;

const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACK = 91;
const RBRACK = 93;
const COMMA = 44;
const COLON = 58;

const WS = new Uint8Array(256);
WS[32] = WS[9] = WS[10] = WS[13] = 1;
const NUMCHAR = new Uint8Array(256);
for (const c of '0123456789+-.eE') NUMCHAR[c.charCodeAt(0)] = 1;
/** skipNested's byte classes: 1 quote, 2 opening bracket, 3 closing bracket, 0 anything else. */
const SKIP = new Uint8Array(256);
SKIP[QUOTE] = 1;
SKIP[LBRACE] = SKIP[LBRACK] = 2;
SKIP[RBRACE] = SKIP[RBRACK] = 3;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const key = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
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

class HoursScanner {
  private p = 0;
  private readonly n: number;
  // the row being read
  private value = NaN;
  private valueNull = false;
  private parameterId = NaN;
  private fromMs = NaN;
  private toMs = NaN;
  private coverage = NaN;
  private keyStart = 0;
  private keyEnd = 0;

  constructor(
    private readonly b: Uint8Array,
    private readonly file: string,
    private readonly sink: HourRowSink,
  ) {
    this.n = b.length;
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
          } else if (c === 45 || (c! >= 48 && c! <= 57)) {
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
    if (this.peek() !== LBRACE) this.drift(`results[${i}].parameter`, `is ${this.kindAt()} (expected an object)`);
    this.p++;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        if (this.keyEnd - this.keyStart === 2 && this.keyIs(K.id)) {
          const c = this.peek();
          const v = c === 45 || (c! >= 48 && c! <= 57) ? this.number() : NaN;
          if (!Number.isInteger(v)) this.drift(`results[${i}].parameter.id`, `is ${Number.isNaN(v) ? this.kindAt() : v} (expected an integer)`);
          this.parameterId = v;
          this.skipRest();
          return;
        }
        this.skip();
      } while (this.nextMember(RBRACE));
    }
    this.drift(`results[${i}].parameter.id`, 'is missing');
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
          this.fromMs = this.dateTimeUtc(i, 'datetimeFrom');
        } else if (len === 10 && this.keyIs(K.datetimeTo)) {
          seen |= 2;
          this.toMs = this.dateTimeUtc(i, 'datetimeTo');
        } else this.skip();
      } while (this.nextMember(RBRACE));
    }
    if (!(seen & 1)) this.drift(`results[${i}].period.datetimeFrom`, 'is missing');
    if (!(seen & 2)) this.drift(`results[${i}].period.datetimeTo`, 'is missing');
  }

  private dateTimeUtc(i: number, name: string): number {
    if (this.peek() !== LBRACE) this.drift(`results[${i}].period.${name}`, `is ${this.kindAt()} (expected an object)`);
    this.p++;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        if (this.keyEnd - this.keyStart === 3 && this.keyIs(K.utc)) {
          if (this.peek() !== QUOTE) this.drift(`results[${i}].period.${name}.utc`, `is ${this.kindAt()} (expected a string)`);
          const start = this.p + 1;
          const end = this.stringEnd();
          const ms = parseIsoUtc(this.b, start, end);
          this.skipRest();
          return ms;
        }
        this.skip();
      } while (this.nextMember(RBRACE));
    }
    this.drift(`results[${i}].period.${name}.utc`, 'is missing');
  }

  private coverageField(i: number): void {
    const c = this.peek();
    if (c === 110) {
      this.literal('null');
      return;
    }
    if (c !== LBRACE) this.drift(`results[${i}].coverage`, `is ${this.kindAt()} (expected an object or null)`);
    this.p++;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        if (this.keyEnd - this.keyStart === 15 && this.keyIs(K.percentCoverage)) {
          const v = this.peek();
          if (v === 110) this.literal('null');
          else if (v === 45 || (v! >= 48 && v! <= 57)) this.coverage = this.number();
          else this.drift(`results[${i}].coverage.percentCoverage`, `is ${this.kindAt()} (expected a number)`);
          this.skipRest();
          return;
        }
        this.skip();
      } while (this.nextMember(RBRACE));
    }
    this.drift(`results[${i}].coverage.percentCoverage`, 'is missing');
  }

  // ---- tokens

  private ws(): void {
    const b = this.b;
    let p = this.p;
    while (p < this.n && WS[b[p]!]) p++;
    this.p = p;
  }

  /** The next significant byte (whitespace skipped), not consumed. */
  private peek(): number | undefined {
    this.ws();
    return this.b[this.p];
  }

  private open(c: number, what: string): void {
    if (this.peek() !== c) throw this.syntax(`expected ${String.fromCharCode(c)} to open ${what}`);
    this.p++;
  }

  /** Consumes `c` if it is next (an empty object or array). */
  private closeIf(c: number): boolean {
    if (this.peek() === c) {
      this.p++;
      return true;
    }
    return false;
  }

  /** After a member: true on ",", false on the closing bracket. */
  private nextMember(close: number): boolean {
    const c = this.peek();
    this.p++;
    if (c === COMMA) return true;
    if (c === close) return false;
    this.p--;
    throw this.syntax(`expected , or ${String.fromCharCode(close)}`);
  }

  /** Reads `"key" :`, leaving the key's bounds in keyStart/keyEnd. */
  private readKey(): void {
    if (this.peek() !== QUOTE) throw this.syntax('expected a key');
    this.keyStart = this.p + 1;
    this.keyEnd = this.stringEnd();
    if (this.peek() !== COLON) throw this.syntax('expected :');
    this.p++;
  }

  private keyIs(k: Uint8Array): boolean {
    if (this.keyEnd - this.keyStart !== k.length) return false;
    const b = this.b;
    const s = this.keyStart;
    for (let j = 0; j < k.length; j++) if (b[s + j] !== k[j]) return false;
    return true;
  }

  /** At an opening quote: moves past the closing one and returns the index of the closing quote. */
  private stringEnd(): number {
    const b = this.b;
    const n = this.n;
    let p = this.p + 1;
    for (;;) {
      if (p >= n) throw this.syntax('unterminated string');
      const c = b[p]!;
      if (c === QUOTE) {
        this.p = p + 1;
        return p;
      }
      p += c === BACKSLASH ? 2 : 1;
    }
  }

  private literal(word: 'null' | 'true' | 'false'): void {
    const b = this.b;
    for (let j = 0; j < word.length; j++) if (b[this.p + j] !== word.charCodeAt(j)) throw this.syntax(`expected ${word}`);
    this.p += word.length;
  }

  /** A JSON number; exact (a mantissa of at most 15 digits divided by an exact power of ten rounds correctly). */
  private number(): number {
    const b = this.b;
    const n = this.n;
    const start = this.p;
    let p = start;
    const neg = b[p] === 45;
    if (neg) p++;
    let mant = 0;
    let nd = 0;
    let frac = 0;
    let c = b[p]!;
    while (p < n && c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      nd++;
      c = b[++p]!;
    }
    if (c === 46) {
      c = b[++p]!;
      while (p < n && c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        nd++;
        frac++;
        c = b[++p]!;
      }
    }
    if (nd === 0) throw this.syntax('expected a number');
    if (c === 101 || c === 69 || nd > 15 || frac > 22) {
      while (p < n && NUMCHAR[b[p]!]) p++;
      this.p = p;
      const v = Number(Buffer.from(b.buffer, b.byteOffset + start, p - start).toString('latin1'));
      if (Number.isNaN(v)) throw this.syntax('malformed number');
      return v;
    }
    this.p = p;
    const v = frac ? mant / POW10[frac]! : mant;
    return neg ? -v : v;
  }

  /** Once the field we need is read: skips the rest of the enclosing object, closing brace included. */
  private skipRest(): void {
    this.skipNested(1);
  }

  /** Skips one value of any kind. */
  private skip(): void {
    const c = this.peek();
    if (c === QUOTE) this.stringEnd();
    else if (c === LBRACE || c === LBRACK) this.skipNested();
    else if (c === 110) this.literal('null');
    else if (c === 116) this.literal('true');
    else if (c === 102) this.literal('false');
    else this.number();
  }

  /** Skips a whole object or array by counting brackets outside strings (one table lookup per byte). */
  private skipNested(inside = 0): void {
    const b = this.b;
    let p = this.p;
    let depth = inside;
    for (;;) {
      const t = SKIP[b[p++]!];
      if (t === 0) continue;
      if (t === 1) {
        for (;;) {
          const s = b[p++];
          if (s === QUOTE) break;
          if (s === BACKSLASH) p++;
          else if (s === undefined) throw this.syntax('unterminated string');
        }
      } else if (t === 2) depth++;
      else if (t === 3) {
        if (--depth === 0) break;
      } else {
        this.p = this.n;
        throw this.syntax('unterminated object or array');
      }
    }
    this.p = p;
  }

  // ---- errors

  private kindAt(): string {
    const c = this.peek();
    if (c === QUOTE) return 'a string';
    if (c === LBRACE) return 'an object';
    if (c === LBRACK) return 'an array';
    if (c === 110) return 'null';
    if (c === 116 || c === 102) return 'a boolean';
    return 'a number';
  }

  private drift(path: string, problem: string): never {
    throw new SchemaDriftError(this.file, path, problem);
  }

  private syntax(what: string): RawSyntaxError {
    return new RawSyntaxError(this.file, this.p, what);
  }
}
