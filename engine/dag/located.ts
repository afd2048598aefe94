// Plain JS values that remember where they came from. The YAML reader builds ordinary objects and arrays (what zod
// and the builders want) and records, on the side, the source offset of every key and value, so any problem found
// later, even after the `default:` block has been merged in, can be reported at file:line:column.

/** One source text (a DAG file or a defaults file). Line starts are computed only when a problem needs them. */
export class Source {
  private lineStarts: number[] | null = null;
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a character offset. */
  linePos(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }
}

/** A place in a source. */
export interface Pos {
  src: Source;
  offset: number;
}

interface Entry {
  key: Pos;
  value: Pos;
}

interface Meta {
  /** Where the collection itself starts. */
  at: Pos;
  /** Objects: where each key and its value are. */
  keys?: Map<string, Entry>;
  /** Arrays: where each item is. */
  items?: Pos[];
}

const META = new WeakMap<object, Meta>();

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return v != null && typeof v === 'object' && !Array.isArray(v);
}

/** A new located object (keys are added with `setKey`). */
export function newDict(at: Pos): Dict {
  const obj: Dict = {};
  META.set(obj, { at, keys: new Map() });
  return obj;
}

/** A new located array (items are added with `pushItem`). */
export function newList(at: Pos): unknown[] {
  const list: unknown[] = [];
  META.set(list, { at, items: [] });
  return list;
}

export function setKey(obj: Dict, key: string, value: unknown, keyPos: Pos, valuePos: Pos): void {
  // a key named "__proto__" must stay data, not change the prototype
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
  META.get(obj)?.keys?.set(key, { key: keyPos, value: valuePos });
}

export function pushItem(list: unknown[], value: unknown, pos: Pos): void {
  list.push(value);
  META.get(list)?.items?.push(pos);
}

/** Where an object or array starts. */
export function posOf(v: unknown): Pos | undefined {
  return v != null && typeof v === 'object' ? META.get(v)?.at : undefined;
}

/** Where a key of an object is written. */
export function keyPos(obj: unknown, key: string): Pos | undefined {
  return obj != null && typeof obj === 'object' ? (META.get(obj)?.keys?.get(key)?.key ?? META.get(obj)?.at) : undefined;
}

/** Where the value of `obj[key]` (or `list[index]`) is written; falls back to the container. */
export function valuePos(container: unknown, key: string | number): Pos | undefined {
  if (container == null || typeof container !== 'object') return undefined;
  const meta = META.get(container);
  if (!meta) return undefined;
  if (typeof key === 'number') return meta.items?.[key] ?? meta.at;
  return meta.keys?.get(key)?.value ?? meta.at;
}

/** The entry (key and value positions) of `obj[key]`, to copy it into another located object. */
export function entryOf(obj: Dict, key: string): Entry | undefined {
  return META.get(obj)?.keys?.get(key);
}

/**
 * Where `path` leads inside `root`: the value's position, or with `atKey` the key's. A path that stops early
 * (a missing key) points at the deepest container that exists.
 */
export function locatePath(root: unknown, path: readonly PropertyKey[], atKey = false): Pos | undefined {
  let cur: unknown = root;
  let pos = posOf(root);
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    if (cur == null || typeof cur !== 'object') break;
    const last = i === path.length - 1;
    if (Array.isArray(cur) && typeof k === 'number') {
      pos = valuePos(cur, k) ?? pos;
      cur = cur[k];
    } else if (typeof k === 'string' && !Array.isArray(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, k)) break;
      pos = (last && atKey ? keyPos(cur, k) : valuePos(cur, k)) ?? pos;
      cur = (cur as Dict)[k];
    } else break;
  }
  return pos;
}
