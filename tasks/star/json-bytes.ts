// A cursor over the bytes of one JSON document, for readers that pick a few fields out of large pages without
// JSON.parse: tokens are matched byte by byte, and whatever the reader does not want is skipped by counting brackets.
// Syntax errors name the file and byte offset; a subclass reports missing or mistyped fields with drift().
import { RawSyntaxError, SchemaDriftError } from './raw-errors.js';

export const QUOTE = 34;
export const BACKSLASH = 92;
export const LBRACE = 123;
export const RBRACE = 125;
export const LBRACK = 91;
export const RBRACK = 93;
export const COMMA = 44;
export const COLON = 58;

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


/** A key to look for, as the bytes it has in the page. */
export const jsonKey = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Whether `c` can start a JSON number. */
export function isNumberStart(c: number | undefined): boolean {
  return c === 45 || (c !== undefined && c >= 48 && c <= 57);
}

export abstract class JsonByteCursor {
  protected p = 0;
  protected readonly n: number;
  protected keyStart = 0;
  protected keyEnd = 0;

  constructor(
    protected readonly b: Uint8Array,
    protected readonly file: string,
  ) {
    this.n = b.length;
  }

  /**
   * Enters the object found at `results[i]<at>` and stops at its member `k`, with the member's value next. Drifts
   * when it is not an object, or has no such member (the path strings are only built then, off the hot path).
   */
  protected findMember(k: Uint8Array, i: number, at: string, expected = 'an object'): void {
    if (this.peek() !== LBRACE) this.drift(`results[${i}]${at}`, `is ${this.kindAt()} (expected ${expected})`);
    this.p++;
    if (!this.closeIf(RBRACE)) {
      do {
        this.readKey();
        if (this.keyIs(k)) return;
        this.skip();
      } while (this.nextMember(RBRACE));
    }
    this.drift(`results[${i}]${at}.${Buffer.from(k).toString('latin1')}`, 'is missing');
  }

  // ---- tokens

  protected ws(): void {
    const b = this.b;
    let p = this.p;
    while (p < this.n && WS[b[p]!]) p++;
    this.p = p;
  }

  /** The next significant byte (whitespace skipped), not consumed. */
  protected peek(): number | undefined {
    this.ws();
    return this.b[this.p];
  }

  protected open(c: number, what: string): void {
    if (this.peek() !== c) throw this.syntax(`expected ${String.fromCharCode(c)} to open ${what}`);
    this.p++;
  }

  /** Consumes `c` if it is next (an empty object or array). */
  protected closeIf(c: number): boolean {
    if (this.peek() === c) {
      this.p++;
      return true;
    }
    return false;
  }

  /** After a member: true on ",", false on the closing bracket. */
  protected nextMember(close: number): boolean {
    const c = this.peek();
    this.p++;
    if (c === COMMA) return true;
    if (c === close) return false;
    this.p--;
    throw this.syntax(`expected , or ${String.fromCharCode(close)}`);
  }

  /** Reads `"key" :`, leaving the key's bounds in keyStart/keyEnd. */
  protected readKey(): void {
    if (this.peek() !== QUOTE) throw this.syntax('expected a key');
    this.keyStart = this.p + 1;
    this.keyEnd = this.stringEnd();
    if (this.peek() !== COLON) throw this.syntax('expected :');
    this.p++;
  }

  protected keyIs(k: Uint8Array): boolean {
    if (this.keyEnd - this.keyStart !== k.length) return false;
    const b = this.b;
    const s = this.keyStart;
    for (let j = 0; j < k.length; j++) if (b[s + j] !== k[j]) return false;
    return true;
  }

  /** At an opening quote: moves past the closing one and returns the index of the closing quote. */
  protected stringEnd(): number {
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

  protected literal(word: 'null' | 'true' | 'false'): void {
    const b = this.b;
    for (let j = 0; j < word.length; j++) if (b[this.p + j] !== word.charCodeAt(j)) throw this.syntax(`expected ${word}`);
    this.p += word.length;
  }

  /** A JSON number; exact (a mantissa of at most 15 digits divided by an exact power of ten rounds correctly). */
  protected number(): number {
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
  protected skipRest(): void {
    this.skipNested(1);
  }

  /** Skips one value of any kind. */
  protected skip(): void {
    const c = this.peek();
    if (c === QUOTE) this.stringEnd();
    else if (c === LBRACE || c === LBRACK) this.skipNested();
    else if (c === 110) this.literal('null');
    else if (c === 116) this.literal('true');
    else if (c === 102) this.literal('false');
    else this.number();
  }

  /** Skips a whole object or array by counting brackets outside strings (one table lookup per byte). */
  protected skipNested(inside = 0): void {
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

  protected kindAt(): string {
    const c = this.peek();
    if (c === QUOTE) return 'a string';
    if (c === LBRACE) return 'an object';
    if (c === LBRACK) return 'an array';
    if (c === 110) return 'null';
    if (c === 116 || c === 102) return 'a boolean';
    return 'a number';
  }

  protected drift(path: string, problem: string): never {
    throw new SchemaDriftError(this.file, path, problem);
  }

  protected syntax(what: string): RawSyntaxError {
    return new RawSyntaxError(this.file, this.p, what);
  }
}
