// A fast reader for the plain YAML that DAG files are nearly always written in: block maps and lists, one-line
// scalars (plain, quoted), one-line flow collections, literal and simple folded block scalars, comments. It is
// several times faster than the full parser, which matters when a scheduler re-reads a thousand files.
// Anything outside that subset (anchors, aliases, merge keys, tags, multi-line plain or quoted scalars, nesting past
// MAX_DEPTH, errors...) makes it give up (null), and yaml-source.ts falls back to the `yaml` package, which stays the
// reference (a differential test checks that both give the same values at the same positions) and is where the
// alias expansion limit is enforced.
import { bail, BAIL, PLAIN_START_BAD, readQuoted, resolvePlain, trimSpaces } from './fast-yaml-scalars.js';
import { MAX_DEPTH } from './limits.js';
import { newDict, newList, pushItem, setKey, type Dict, type Pos, type Source } from './located.js';

/** The document's value (undefined when empty), or null when the text is outside the subset. */
export function fastYaml(src: Source): { value: unknown } | null {
  const text = src.text;
  if (text.includes('\t') || text.includes('\r') || text.includes('\uFEFF')) return null;
  try {
    return { value: new FastReader(src).document() };
  } catch (err) {
    if (err === BAIL) return null;
    throw err;
  }
}

class FastReader {
  private readonly text: string;
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly indent: number[] = [];
  /** Whether a line holds nothing but spaces or a comment. */
  private readonly blank: boolean[] = [];
  private readonly n: number;
  /** How many maps and lists the node being read is inside. */
  private depth = 0;

  constructor(private readonly src: Source) {
    const text = (this.text = src.text);
    let s = 0;
    while (s <= text.length) {
      let e = text.indexOf('\n', s);
      if (e === -1) e = text.length;
      let i = s;
      while (i < e && text.charCodeAt(i) === 32) i++;
      this.start.push(s);
      this.end.push(e);
      this.indent.push(i - s);
      this.blank.push(i === e || text.charCodeAt(i) === 35);
      if (e === text.length) break;
      s = e + 1;
    }
    this.n = this.start.length;
  }

  private pos(offset: number): Pos {
    return { src: this.src, offset };
  }

  private nextContent(l: number): number {
    while (l < this.n && this.blank[l]) l++;
    return l;
  }

  document(): unknown {
    let l = this.nextContent(0);
    if (l < this.n) {
      const c = this.text.slice(this.start[l], this.end[l]);
      if (c.startsWith('%')) bail();
      if (c === '---' || c.startsWith('--- #')) {
        l = this.nextContent(l + 1);
        if (l >= this.n) return null; // an explicit, empty document
      } else if (c.startsWith('---') || c.startsWith('...')) bail();
    }
    if (l >= this.n) return undefined;
    // '---' or '...' at the start of a later line: more documents, or a document end; the full parser decides
    for (let k = l; k < this.n; k++) {
      if (this.indent[k] === 0 && !this.blank[k] && /^(?:---|\.\.\.)(?: |$)/.test(this.text.slice(this.start[k], this.start[k] + 4).replace(/\n.*/, ''))) bail();
    }
    const [value, next] = this.blockNode(l, this.indent[l], -1);
    if (this.nextContent(next) < this.n) bail();
    return value;
  }

  /** A block node whose first line is `l`, starting at column `col`. Returns [value, next line]. */
  private blockNode(l: number, col: number, parentIndent: number): [unknown, number] {
    const at = this.start[l] + col;
    if (this.isSeqItem(at, l)) return this.seq(l, col);
    if (this.keyAt(l, at)) return this.map(l, col);
    const [v, , next] = this.inline(l, at, parentIndent);
    return [v, next];
  }

  /** `read` one level deeper; past MAX_DEPTH the full parser reports it (recursing on would overflow the stack). */
  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) bail();
    const out = read();
    this.depth--;
    return out;
  }

  private isSeqItem(at: number, l: number): boolean {
    return this.text.charCodeAt(at) === 45 && (at + 1 === this.end[l] || this.text.charCodeAt(at + 1) === 32);
  }

  /** The key starting at offset `at` of line `l`: [name, value start] or null when the line is not `key: ...`. */
  private keyAt(l: number, at: number): [string, number] | null {
    const text = this.text;
    const e = this.end[l];
    const c = text[at];
    if (c === '"' || c === "'") {
      const [name, q] = readQuoted(this.text, at, e);
      let i = q;
      while (i < e && text.charCodeAt(i) === 32) i++;
      if (text[i] !== ':' || (i + 1 < e && text.charCodeAt(i + 1) !== 32)) return null;
      return [name, i + 1];
    }
    if (PLAIN_START_BAD.has(c) || c === undefined) {
      // "-x: 1" or "?x" are plain keys only when the indicator is not followed by a space
      if (!((c === '-' || c === '?' || c === ':') && at + 1 < e && text.charCodeAt(at + 1) !== 32)) return null;
    }
    for (let i = at; i < e; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 35 && text.charCodeAt(i - 1) === 32) return null; // a comment before any ': '
      if (ch === 58 && (i + 1 === e || text.charCodeAt(i + 1) === 32)) {
        const raw = trimSpaces(text.slice(at, i));
        if (raw === '<<' || raw === '') bail();
        return [String(resolvePlain(raw)), i + 1];
      }
    }
    return null;
  }

  private map(l: number, col: number): [Dict, number] {
    return this.nested(() => this.mapBody(l, col));
  }

  private mapBody(l: number, col: number): [Dict, number] {
    const obj = newDict(this.pos(this.start[l] + col));
    let line = l;
    for (let first = true; ; first = false) {
      if (!first) {
        line = this.nextContent(line);
        if (line >= this.n || this.indent[line] < col) break;
        if (this.indent[line] > col) bail();
      }
      const at = this.start[line] + col;
      const key = this.keyAt(line, at);
      if (!key) bail();
      const [name, vs] = key;
      if (Object.prototype.hasOwnProperty.call(obj, name)) bail(); // let the full parser report it
      const [value, vpos, next] = this.valueAfter(line, vs, col);
      setKey(obj, name, value, this.pos(at), vpos);
      line = next;
    }
    return [obj, line];
  }

  /** The value of a map key whose ':' ends just before `vs`. */
  private valueAfter(line: number, vs: number, mapCol: number): [unknown, Pos, number] {
    const text = this.text;
    const e = this.end[line];
    let p = vs;
    while (p < e && text.charCodeAt(p) === 32) p++;
    if (p < e && text.charCodeAt(p) !== 35) return this.inline(line, p, mapCol);
    if (p < e && p === vs) bail(); // "key:#x"
    const n = this.nextContent(line + 1);
    if (n < this.n && this.indent[n] > mapCol) {
      const [v, next] = this.blockNode(n, this.indent[n], mapCol);
      return [v, this.pos(this.start[n] + this.indent[n]), next];
    }
    if (n < this.n && this.indent[n] === mapCol && this.isSeqItem(this.start[n] + mapCol, n)) {
      const [v, next] = this.seq(n, mapCol);
      return [v, this.pos(this.start[n] + mapCol), next];
    }
    return [null, this.pos(p), line + 1];
  }

  private seq(l: number, col: number): [unknown[], number] {
    return this.nested(() => this.seqBody(l, col));
  }

  private seqBody(l: number, col: number): [unknown[], number] {
    const list = newList(this.pos(this.start[l] + col));
    const text = this.text;
    let line = l;
    for (let first = true; ; first = false) {
      if (!first) {
        line = this.nextContent(line);
        if (line >= this.n || this.indent[line] < col) break;
        if (this.indent[line] > col) bail();
      }
      const at = this.start[line] + col;
      if (!this.isSeqItem(at, line)) {
        if (first) bail();
        break;
      }
      const e = this.end[line];
      let q = at + 1;
      while (q < e && text.charCodeAt(q) === 32) q++;
      if (q >= e || text.charCodeAt(q) === 35) {
        if (q < e && q === at + 1) bail();
        const n = this.nextContent(line + 1);
        if (n < this.n && this.indent[n] > col) {
          const [v, next] = this.blockNode(n, this.indent[n], col);
          pushItem(list, v, this.pos(this.start[n] + this.indent[n]));
          line = next;
        } else {
          pushItem(list, null, this.pos(q));
          line = line + 1;
        }
        continue;
      }
      if (this.isSeqItem(q, line)) bail(); // "- - x"
      if (this.keyAt(line, q)) {
        const [v, next] = this.map(line, q - this.start[line]);
        pushItem(list, v, this.pos(q));
        line = next;
        continue;
      }
      const [v, vpos, next] = this.inline(line, q, col);
      pushItem(list, v, vpos);
      line = next;
    }
    return [list, line];
  }

  /** A value that starts at offset `p` on line `line`: a one-line scalar or flow collection, or a block scalar. */
  private inline(line: number, p: number, parentIndent: number): [unknown, Pos, number] {
    const text = this.text;
    const e = this.end[line];
    const c = text[p];
    let value: unknown;
    let q: number;
    if (c === '|' || c === '>') return this.blockScalar(line, p, parentIndent);
    if (c === '"' || c === "'") [value, q] = readQuoted(this.text, p, e);
    else if (c === '[' || c === '{') [value, q] = this.flow(p, e);
    else {
      if (PLAIN_START_BAD.has(c) && !((c === '-' || c === '?' || c === ':') && p + 1 < e && text.charCodeAt(p + 1) !== 32)) bail();
      let end = e;
      for (let i = p; i < e; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 35 && text.charCodeAt(i - 1) === 32) {
          end = i;
          break;
        }
        if (ch === 58 && (i + 1 === e || text.charCodeAt(i + 1) === 32)) bail(); // "a: b: c"
      }
      value = resolvePlain(trimSpaces(text.slice(p, end)));
      q = end;
    }
    while (q < e && text.charCodeAt(q) === 32) q++;
    if (q < e && !(text.charCodeAt(q) === 35 && text.charCodeAt(q - 1) === 32)) bail();
    // a more indented line next would continue a multi-line scalar
    const n = this.nextContent(line + 1);
    if (n < this.n && this.indent[n] > parentIndent) bail();
    return [value, this.pos(p), line + 1];
  }

  /** A flow collection closed on the same line: [value, offset after it]. */
  private flow(p: number, e: number): [unknown, number] {
    return this.nested(() => this.flowBody(p, e));
  }

  private flowBody(p: number, e: number): [unknown, number] {
    const text = this.text;
    const close = text[p] === '[' ? ']' : '}';
    const isSeq = close === ']';
    const out: unknown = isSeq ? newList(this.pos(p)) : newDict(this.pos(p));
    let i = p + 1;
    const skip = () => {
      while (i < e && text.charCodeAt(i) === 32) i++;
    };
    for (;;) {
      skip();
      if (i >= e) bail();
      if (text[i] === close) return [out, i + 1];
      const itemAt = i;
      if (isSeq) {
        const [v, q] = this.flowItem(i, e);
        i = q;
        skip();
        if (text[i] === ':') bail(); // a one-pair map inside a list
        pushItem(out as unknown[], v, this.pos(itemAt));
      } else {
        let key: string;
        if (text[i] === '"' || text[i] === "'") [key, i] = readQuoted(this.text, i, e);
        else {
          const [k, q] = this.flowPlain(i, e);
          if (k === '') bail();
          key = String(resolvePlain(k));
          i = q;
        }
        skip();
        if (text[i] !== ':') bail(); // {a} (a key with no value)
        i++;
        const obj = out as Dict;
        if (Object.prototype.hasOwnProperty.call(obj, key) || key === '<<') bail();
        skip();
        let v: unknown = null;
        let vAt = i;
        if (text[i] === ',' || text[i] === '}') vAt = i;
        else {
          vAt = i;
          [v, i] = this.flowItem(i, e);
        }
        setKey(obj, key, v, this.pos(itemAt), this.pos(vAt));
      }
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) return [out, i + 1];
      bail();
    }
  }

  private flowItem(i: number, e: number): [unknown, number] {
    const c = this.text[i];
    if (c === '[' || c === '{') return this.flow(i, e);
    if (c === '"' || c === "'") return readQuoted(this.text, i, e);
    const [s, q] = this.flowPlain(i, e);
    if (s === '') bail();
    return [resolvePlain(s), q];
  }

  /** A plain scalar inside a flow collection: it ends at , [ ] { } or ': '. */
  private flowPlain(i: number, e: number): [string, number] {
    const text = this.text;
    const c = text[i];
    if (PLAIN_START_BAD.has(c) && !((c === '-' || c === '?' || c === ':') && i + 1 < e && !' ,[]{}'.includes(text[i + 1]))) bail();
    let j = i;
    for (; j < e; j++) {
      const ch = text[j];
      if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
      if (ch === ':' && (j + 1 === e || ' ,[]{}'.includes(text[j + 1]))) break;
      if (ch === '#' && text[j - 1] === ' ') bail();
    }
    return [trimSpaces(text.slice(i, j)), j];
  }

  /** `|` or `>` (with optional - or + chomping) and the more indented lines below it. */
  private blockScalar(line: number, p: number, parentIndent: number): [string, Pos, number] {
    const text = this.text;
    const e = this.end[line];
    const folded = text[p] === '>';
    let i = p + 1;
    let chomp = '';
    if (text[i] === '-' || text[i] === '+') chomp = text[i++];
    if (chomp === '+') bail();
    if (i < e && text.charCodeAt(i) !== 32) bail(); // an indentation indicator, or junk
    while (i < e && text.charCodeAt(i) === 32) i++;
    if (i < e && text.charCodeAt(i) !== 35) bail();
    const lines: string[] = [];
    let blockIndent = -1;
    let l = line + 1;
    let lastContent = -1;
    for (; l < this.n; l++) {
      const width = this.end[l] - this.start[l];
      if (this.indent[l] === width) {
        // an empty line (spaces only) belongs to the scalar
        if (blockIndent !== -1 && width > blockIndent) bail();
        lines.push('');
        continue;
      }
      if (blockIndent === -1) {
        if (this.indent[l] <= parentIndent) break;
        blockIndent = this.indent[l];
        if (lines.length && (folded || lines.some((_, k) => this.end[line + 1 + k] - this.start[line + 1 + k] > blockIndent))) bail();
      }
      if (this.indent[l] < blockIndent) break;
      lines.push(text.slice(this.start[l] + blockIndent, this.end[l]));
      lastContent = l;
    }
    if (lastContent === -1 || this.end[lastContent] === text.length) bail();
    const body = lines.slice(0, lastContent - line);
    let value: string;
    if (!folded) value = body.join('\n');
    else {
      value = '';
      let pending = 0;
      for (const b of body) {
        if (b === '') {
          pending++;
          continue;
        }
        if (b.charCodeAt(0) === 32) bail(); // more-indented lines keep their breaks: leave it to the full parser
        value += value === '' ? b : pending ? '\n'.repeat(pending) + b : ' ' + b;
        pending = 0;
      }
    }
    if (chomp !== '-') value += '\n';
    return [value, this.pos(p), lastContent + 1];
  }
}
