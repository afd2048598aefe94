// dag-factory's defaults merge (DF:dagfactory/utils.py merge_configs): the DAG's own settings win, maps are merged
// key by key, other values (lists included) are replaced whole. `tasks` and `task_groups` are merged by task_id /
// group_name (dag-factory's README, its `default` block example: a DAG overrides one template task of the `default:` block).
// Positions travel with the values, so problems still point at the line that wrote them.
import { entryOf, isDict, newDict, newList, posOf, pushItem, setKey, type Dict, type Pos } from './located.js';

const BY_ID: Record<string, string> = { tasks: 'task_id', task_groups: 'group_name' };

/** `config` over `defaults`. Neither is modified. */
export function mergeConfig(config: Dict, defaults: Dict): Dict {
  return mergeDicts(config, defaults, true);
}

function mergeDicts(mine: Dict, theirs: Dict, top: boolean): Dict {
  const out = newDict(posOf(mine) ?? posOf(theirs)!);
  for (const key of Object.keys(mine)) {
    const a = mine[key];
    const b = theirs[key];
    let v = a;
    if (b !== undefined && top && BY_ID[key]) v = mergeById(a, b, BY_ID[key]);
    else if (isDict(a) && isDict(b)) v = mergeDicts(a, b, false);
    copyEntry(out, mine, key, v);
  }
  for (const key of Object.keys(theirs)) if (!Object.prototype.hasOwnProperty.call(mine, key)) copyEntry(out, theirs, key, theirs[key]);
  return out;
}

function copyEntry(out: Dict, from: Dict, key: string, value: unknown): void {
  const e = entryOf(from, key);
  const at = posOf(from)!;
  setKey(out, key, value, e?.key ?? at, e?.value ?? at);
}

/**
 * The items of a task or task-group collection, in list form or legacy map form (keyed by id), as dicts carrying
 * their id under `idKey`. Items that are not maps are passed through for the validator to report.
 */
export function itemsOf(collection: unknown, idKey: string): unknown[] {
  if (Array.isArray(collection)) return collection;
  if (!isDict(collection)) return [];
  const out: unknown[] = [];
  for (const id of Object.keys(collection)) {
    const body = collection[id];
    const e = entryOf(collection, id);
    const at: Pos = e?.key ?? posOf(collection)!;
    if (body != null && !isDict(body)) {
      out.push(body);
      continue;
    }
    const item = newDict(at);
    setKey(item, idKey, id, at, at);
    if (body) for (const k of Object.keys(body)) if (k !== idKey) copyEntry(item, body, k, body[k]);
    out.push(item);
  }
  return out;
}

function mergeById(mine: unknown, theirs: unknown, idKey: string): unknown {
  if (!(Array.isArray(mine) || isDict(mine)) || !(Array.isArray(theirs) || isDict(theirs))) return mine;
  const own = itemsOf(mine, idKey);
  const idOf = (item: unknown) => (isDict(item) && typeof item[idKey] === 'string' ? (item[idKey] as string) : undefined);
  const ownById = new Map<string, Dict>();
  for (const item of own) {
    const id = idOf(item);
    if (id !== undefined && !ownById.has(id)) ownById.set(id, item as Dict);
  }
  const used = new Set<Dict>();
  const merged: unknown[] = [];
  for (const item of itemsOf(theirs, idKey)) {
    const id = idOf(item);
    const over = id !== undefined ? ownById.get(id) : undefined;
    if (over && !used.has(over)) {
      used.add(over);
      merged.push(mergeDicts(over, item as Dict, false));
    } else merged.push(item);
  }
  for (const item of own) if (!used.has(item as Dict)) merged.push(item);
  // Keep the list located where the DAG wrote it (or where the defaults did).
  const at = posOf(mine)!;
  const out = newList(at);
  for (const it of merged) pushItem(out, it, posOf(it) ?? at);
  return out;
}
