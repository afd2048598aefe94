// Reading fields of a parsed JSON page with their path, so schema drift is reported as "results[3].timezone is a
// number (expected a string)" in the named file.
import { kindOf, SchemaDriftError } from './raw-errors.js';

export type Obj = Record<string, unknown>;

export class FieldReader {
  constructor(readonly file: string) {}

  private value(o: Obj, key: string, path: string): unknown {
    if (!(key in o)) throw new SchemaDriftError(this.file, join(path, key), 'is missing');
    return o[key];
  }

  private wrong(path: string, key: string, v: unknown, expected: string): never {
    throw new SchemaDriftError(this.file, join(path, key), `is ${kindOf(v)} (expected ${expected})`);
  }

  obj(o: Obj, key: string, path: string): Obj {
    const v = this.value(o, key, path);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.wrong(path, key, v, 'an object');
    return v as Obj;
  }

  arr(o: Obj, key: string, path: string): unknown[] {
    const v = this.value(o, key, path);
    if (!Array.isArray(v)) this.wrong(path, key, v, 'an array');
    return v as unknown[];
  }

  int(o: Obj, key: string, path: string): number {
    const v = this.value(o, key, path);
    if (typeof v !== 'number' || !Number.isInteger(v)) this.wrong(path, key, v, 'an integer');
    return v as number;
  }

  str(o: Obj, key: string, path: string): string {
    const v = this.value(o, key, path);
    if (typeof v !== 'string') this.wrong(path, key, v, 'a string');
    return v as string;
  }

  strOrNull(o: Obj, key: string, path: string): string | null {
    const v = this.value(o, key, path);
    if (v !== null && typeof v !== 'string') this.wrong(path, key, v, 'a string or null');
    return v as string | null;
  }

  numOrNull(o: Obj, key: string, path: string): number | null {
    const v = this.value(o, key, path);
    if (v !== null && typeof v !== 'number') this.wrong(path, key, v, 'a number or null');
    return v as number | null;
  }

  bool(o: Obj, key: string, path: string): boolean {
    const v = this.value(o, key, path);
    if (typeof v !== 'boolean') this.wrong(path, key, v, 'a boolean');
    return v as boolean;
  }

  /** The entries of `results`, each checked to be an object. */
  results(page: unknown): Obj[] {
    if (page === null || typeof page !== 'object' || Array.isArray(page)) throw new SchemaDriftError(this.file, '(page)', `is ${kindOf(page)} (expected an object)`);
    const list = this.arr(page as Obj, 'results', '');
    list.forEach((r, i) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new SchemaDriftError(this.file, `results[${i}]`, `is ${kindOf(r)} (expected an object)`);
    });
    return list as Obj[];
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
