// YAML text -> located plain values (see located.ts), with every syntax error at its line and column.
// YAML 1.2 core schema, so `2024-01-01` stays a string and is read in the DAG's time zone later, plus `<<` merge
// keys, which DAG files use to share settings through anchors.
import type * as Yaml from 'yaml';
import type { Document, Node, Parser } from 'yaml';
import { excerpt } from './excerpt.js';
import { fastYaml } from './fast-yaml.js';
import { lazyRequire } from '../lazy-require.js';
import { MAX_DEPTH, MAX_EXPANDED_SIZE } from './limits.js';
import { newDict, newList, pushItem, setKey, isDict, entryOf, valuePos, type Pos, type Source } from './located.js';

export interface YamlProblem {
  pos: Pos;
  message: string;
}

export interface YamlRead {
  /** The document's value (undefined for an empty file); only meaningful when there are no problems. */
  value: unknown;
  problems: YamlProblem[];
}

// The full parser is loaded when the fast reader declines a file, not at start-up: importing it costs every command
// that parses DAGs 0.1-0.3 s, and the fast reader handles the DAG files people write.
const yaml = lazyRequire<typeof Yaml>('yaml');

const OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: true, version: '1.2' } as const;

export function readYaml(src: Source): YamlRead {
  const fast = fastYaml(src);
  if (fast) return { value: fast.value, problems: [] };
  return readYamlFully(src);
}

/** The full parser alone (the reference the fast reader is tested against). */
export function readYamlFully(src: Source): YamlRead {
  try {
    const doc = parseBounded(src);
    const problems = syntaxProblems(src, doc);
    if (problems.length) return { value: undefined, problems };
    const conv = new Converter(src, doc, problems);
    const value = doc.contents == null ? undefined : conv.value(doc.contents as Node, 0)[0];
    return { value, problems };
  } catch (err) {
    if (err instanceof TooMuch) return { value: undefined, problems: [{ pos: err.pos, message: err.message }] };
    // the parser and the converter recurse; the depth limit should stop them first
    if (err instanceof RangeError && /call stack/i.test(err.message)) return { value: undefined, problems: [{ pos: { src, offset: 0 }, message: tooDeep() }] };
    throw err;
  }
}

/**
 * `parseDocument` (the same steps: lexer, parser, composer, one document), watching the lexer's tokens: the parser
 * takes tens of microseconds per level of flow nesting, so `[[[[...` ten megabytes deep would stall it for minutes;
 * it is refused at the first bracket past MAX_DEPTH instead.
 */
function parseBounded(src: Source): Document {
  const { Composer, Parser, YAMLParseError } = yaml();
  const parser = new Parser();
  let doc: Document | null = null;
  for (const d of new Composer(OPTIONS).compose(boundedTokens(src, parser), true, src.text.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  return doc!;
}

function* boundedTokens(src: Source, parser: Parser) {
  let depth = 0;
  let offset = 0;
  let scalarNext = false; // the lexeme after a SCALAR marker is a scalar's text, whatever it looks like
  const { CST, Lexer } = yaml();
  for (const lexeme of new Lexer().lex(src.text)) {
    if (scalarNext) scalarNext = false;
    else if (lexeme === CST.SCALAR) scalarNext = true;
    else if (lexeme === '[' || lexeme === '{') {
      if (++depth > MAX_DEPTH) throw new TooMuch({ src, offset }, tooDeep());
    } else if ((lexeme === ']' || lexeme === '}') && depth > 0) depth--;
    offset += lexeme.length;
    yield* parser.next(lexeme);
  }
  yield* parser.end();
}

/** The parser's errors as problems: every duplicate key, but only the first other error (the rest usually follow from it). */
function syntaxProblems(src: Source, doc: Document): YamlProblem[] {
  const out: YamlProblem[] = [];
  let other = false;
  for (const e of doc.errors) {
    if (e.code !== 'DUPLICATE_KEY') {
      if (other) continue;
      other = true;
    }
    out.push({ pos: { src, offset: e.pos[0] }, message: syntaxMessage(src, e.code, e.pos, e.message) });
  }
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = w.message.replace(/^Unresolved tag: /, '').replace(/^tag:yaml\.org,2002:/, '!!');
    out.push({ pos: { src, offset: w.pos[0] }, message: `unknown tag '${excerpt(tag)}': DAG files hold plain values (strings, numbers, lists, maps), without YAML tags` });
  }
  return out;
}

function syntaxMessage(src: Source, code: string, pos: [number, number], message: string): string {
  if (code === 'DUPLICATE_KEY') {
    const m = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n]+?)\s*:(?:\s|$)/.exec(src.text.slice(pos[0], pos[0] + 1100));
    const key = m ? m[1] : src.text.slice(pos[0], Math.min(pos[1], pos[0] + 1100)).trim();
    return `duplicate key '${excerpt(key)}': keys of a map must be unique (two DAGs, tasks or settings with the same name?)`;
  }
  if (code === 'MULTIPLE_DOCS') return `a DAG file holds one YAML document: remove the '---' separator or split the file`;
  if (code === 'RESOURCE_EXHAUSTION') return tooDeep();
  // the parser's messages quote the offending token: keep them short
  return `invalid YAML: ${excerpt(message.replace(/\s+/g, ' ').trim(), 120)}`;
}

function tooDeep(): string {
  return `maps and lists are nested too deeply (more than ${MAX_DEPTH} levels): a DAG file is a few levels of settings`;
}

/** A resource limit hit while converting: the whole file is one problem. */
class TooMuch extends Error {
  constructor(
    readonly pos: Pos,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The parsed document -> located plain values. Collections are converted once, so aliases share them, and each
 * carries its expanded size: a file whose aliases would expand past MAX_EXPANDED_SIZE is refused here, before
 * anything downstream (merging, validation, error messages) walks the expansion.
 */
class Converter {
  private readonly done = new Map<Node, [unknown, number]>();
  private readonly busy = new Set<Node>();
  /** Anchors seen so far in document order: an alias refers to the last one before it (Alias.resolve, in one pass). */
  private readonly anchors = new Map<string, Node>();
  /** The full parser's node tests (it is loaded by the time a document is converted). */
  private readonly y = yaml();

  constructor(
    private readonly src: Source,
    private readonly doc: Document,
    private readonly problems: YamlProblem[],
  ) {}

  private pos(node: Node | null | undefined, fallback = 0): Pos {
    return { src: this.src, offset: node?.range?.[0] ?? fallback };
  }

  /** [value, expanded size]. */
  value(node: Node | null | undefined, depth: number): [unknown, number] {
    if (node == null) return [null, 1];
    if (this.y.isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (!target) {
        this.problems.push({ pos: this.pos(node), message: `alias '*${excerpt(node.source)}' refers to no anchor: define '&${excerpt(node.source)}' before using it` });
        return [null, 1];
      }
      return this.value(target, depth);
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (this.y.isScalar(node)) {
      const v = typeof node.value === 'symbol' ? String(node.value.description) : node.value;
      return [v, typeof v === 'string' ? v.length + 1 : 1];
    }
    const hit = this.done.get(node);
    if (hit) return hit;
    if (this.busy.has(node)) {
      this.problems.push({ pos: this.pos(node), message: 'an alias refers to the collection that contains it: a DAG file cannot be recursive' });
      return [null, 1];
    }
    if (depth >= MAX_DEPTH) throw new TooMuch(this.pos(node), tooDeep());
    this.busy.add(node);
    const out: [unknown, number] = this.y.isMap(node) ? this.map(node, depth + 1) : this.y.isSeq(node) ? this.seq(node, depth + 1) : [null, 1];
    this.busy.delete(node);
    this.done.set(node, out);
    return out;
  }

  private map(node: Node & { items: { key: unknown; value: unknown }[] }, depth: number): [unknown, number] {
    const obj = newDict(this.pos(node));
    let size = 1;
    const merges: { value: unknown; size: number; node: Node }[] = [];
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (this.y.isScalar(key) && typeof key.value === 'symbol') {
        // converted in document order, like every other value, so its aliases see the anchors before it
        if (value) {
          const [merged, mergedSize] = this.value(value, depth);
          merges.push({ value: merged, size: mergedSize, node: value });
        }
        continue;
      }
      const [name, keySize] = this.keyName(key, depth);
      const [v, vSize] = this.value(value, depth);
      if (name === null) continue;
      const keyPos = this.pos(key);
      const valuePos = value ? this.pos(value) : { src: this.src, offset: key?.range?.[1] ?? keyPos.offset };
      setKey(obj, name, v, keyPos, valuePos);
      size = this.grow(size, keySize + vSize, value ?? key);
    }
    // `<<: *anchor` (or a list of them): keys written in the map win, then earlier sources over later ones.
    for (const m of merges) {
      const sources = Array.isArray(m.value) ? m.value : [m.value];
      sources.forEach((merged, i) => {
        const at = Array.isArray(m.value) ? (valuePos(m.value, i) ?? this.pos(m.node)) : this.pos(m.node);
        if (!isDict(merged)) {
          this.problems.push({ pos: at, message: "a '<<' merge key takes a map (or an alias to one), or a list of them" });
          return;
        }
        for (const k of Object.keys(merged)) {
          if (Object.prototype.hasOwnProperty.call(obj, k)) continue;
          const e = entryOf(merged, k);
          setKey(obj, k, merged[k], e?.key ?? at, e?.value ?? at);
        }
      });
      // what the merge brings in is (at most) the size of its sources
      size = this.grow(size, m.size, m.node);
    }
    return [obj, size];
  }

  private seq(node: Node & { items: unknown[] }, depth: number): [unknown, number] {
    const list = newList(this.pos(node));
    let size = 1;
    for (const item of node.items) {
      const [v, itemSize] = this.value(item as Node, depth);
      pushItem(list, v, this.pos(item as Node, node.range?.[0]));
      size = this.grow(size, itemSize, item as Node);
    }
    return [list, size];
  }

  /** A map key's name and size; null (after reporting it) when the key is a list or a map. */
  private keyName(key: Node | null, depth: number): [string | null, number] {
    if (key == null) return ['null', 1];
    const target = this.y.isAlias(key) ? this.anchors.get(key.source) : key;
    if (this.y.isScalar(target)) {
      const name = String(target.value);
      return [name, name.length + 1];
    }
    const [, size] = this.value(key, depth);
    // (an alias to no anchor was reported by value())
    if (target) this.problems.push({ pos: this.pos(key), message: 'a key must be a name (a string), not a list or a map: DAG ids, task ids and settings are names' });
    return [null, size];
  }

  private grow(size: number, more: number, at: Node | null): number {
    const total = size + more;
    if (total > MAX_EXPANDED_SIZE) {
      throw new TooMuch(this.pos(at), `aliases and merge keys expand this file past ${MAX_EXPANDED_SIZE.toLocaleString('en-US')} characters of settings (a "billion laughs" file?): use fewer, smaller aliases`);
    }
    return total;
  }
}
