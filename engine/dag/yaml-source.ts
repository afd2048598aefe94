// YAML text -> located plain values (see located.ts), with every syntax error at its line and column.
// YAML 1.2 core schema, so `2024-01-01` stays a string and is read in the DAG's time zone later, plus `<<` merge
// keys, which DAG files use to share settings through anchors.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { fastYaml } from './fast-yaml.js';
import { newDict, newList, pushItem, setKey, isDict, entryOf, type Pos, type Source } from './located.js';

export interface YamlProblem {
  pos: Pos;
  message: string;
}

export interface YamlRead {
  /** The document's value (undefined for an empty file); only meaningful when there are no problems. */
  value: unknown;
  problems: YamlProblem[];
}

const OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: true, version: '1.2' } as const;

export function readYaml(src: Source): YamlRead {
  const fast = fastYaml(src);
  if (fast) return { value: fast.value, problems: [] };
  return readYamlFully(src);
}

/** The full parser alone (the reference the fast reader is tested against). */
export function readYamlFully(src: Source): YamlRead {
  const doc = parseDocument(src.text, OPTIONS);
  const problems: YamlProblem[] = doc.errors.map((e) => ({ pos: { src, offset: e.pos[0] }, message: syntaxMessage(src, e.code, e.pos, e.message) }));
  if (problems.length) return { value: undefined, problems };
  const conv = new Converter(src, doc, problems);
  return { value: doc.contents == null ? undefined : conv.value(doc.contents as Node), problems };
}

function syntaxMessage(src: Source, code: string, pos: [number, number], message: string): string {
  if (code === 'DUPLICATE_KEY') {
    const m = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n]+?)\s*:(?:\s|$)/.exec(src.text.slice(pos[0], pos[0] + 300));
    const key = m ? m[1] : src.text.slice(pos[0], pos[1]).trim();
    return `duplicate key '${key}': keys of a map must be unique (two DAGs, tasks or settings with the same name?)`;
  }
  if (code === 'MULTIPLE_DOCS') return `a DAG file holds one YAML document: remove the '---' separator or split the file`;
  return `invalid YAML: ${message.replace(/\s+/g, ' ').trim()}`;
}

class Converter {
  private readonly done = new Map<Node, unknown>();
  private readonly busy = new Set<Node>();

  constructor(
    private readonly src: Source,
    private readonly doc: Document,
    private readonly problems: YamlProblem[],
  ) {}

  private pos(node: Node | null | undefined, fallback = 0): Pos {
    return { src: this.src, offset: node?.range?.[0] ?? fallback };
  }

  value(node: Node | null | undefined): unknown {
    if (node == null) return null;
    if (isScalar(node)) return typeof node.value === 'symbol' ? String(node.value.description) : node.value;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        this.problems.push({ pos: this.pos(node), message: `alias '*${node.source}' refers to no anchor: define '&${node.source}' before using it` });
        return null;
      }
      return this.value(target);
    }
    // Collections are converted once, so aliases share them (and an alias bomb stays linear).
    if (this.done.has(node)) return this.done.get(node);
    if (this.busy.has(node)) {
      this.problems.push({ pos: this.pos(node), message: 'an alias refers to the collection that contains it: a DAG file cannot be recursive' });
      return null;
    }
    this.busy.add(node);
    const out = isMap(node) ? this.map(node) : isSeq(node) ? this.seq(node) : null;
    this.busy.delete(node);
    this.done.set(node, out);
    return out;
  }

  private map(node: Node & { items: { key: unknown; value: unknown }[] }): unknown {
    const obj = newDict(this.pos(node));
    const merges: Node[] = [];
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (isScalar(key) && typeof key.value === 'symbol') {
        if (value) merges.push(value);
        continue;
      }
      const name = isScalar(key) ? String(key.value) : JSON.stringify(this.value(key));
      const keyPos = this.pos(key);
      const valuePos = value ? this.pos(value) : { src: this.src, offset: key?.range?.[1] ?? keyPos.offset };
      setKey(obj, name, this.value(value), keyPos, valuePos);
    }
    // `<<: *anchor` (or a list of them): keys written in the map win, then earlier sources over later ones.
    for (const m of merges) {
      const target = isAlias(m) ? m.resolve(this.doc) : m;
      const sources = isSeq(target) ? (target.items as Node[]) : [m];
      for (const s of sources) {
        const merged = this.value(s);
        if (!isDict(merged)) {
          this.problems.push({ pos: this.pos(s), message: "a '<<' merge key takes a map (or an alias to one), or a list of them" });
          continue;
        }
        for (const k of Object.keys(merged)) {
          if (Object.prototype.hasOwnProperty.call(obj, k)) continue;
          const e = entryOf(merged, k);
          setKey(obj, k, merged[k], e?.key ?? this.pos(s), e?.value ?? this.pos(s));
        }
      }
    }
    return obj;
  }

  private seq(node: Node & { items: unknown[] }): unknown {
    const list = newList(this.pos(node));
    for (const item of node.items) pushItem(list, this.value(item as Node), this.pos(item as Node, node.range?.[0]));
    return list;
  }
}
