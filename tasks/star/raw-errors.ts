// What can be wrong with a raw partition, each naming the file (and the field) so the message says where to look.

/** A field the transform reads is missing or of the wrong type: the API's shape changed (schema drift). */
export class SchemaDriftError extends Error {
  constructor(
    readonly file: string,
    readonly fieldPath: string,
    readonly problem: string,
  ) {
    super(`schema drift in ${file}: ${fieldPath} ${problem}`);
    this.name = 'SchemaDriftError';
  }
}

/** A raw page is not the JSON the manifest promised (should not happen once its checksum matched). */
export class RawSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    what: string,
  ) {
    super(`${file} is not valid JSON at byte ${offset}: ${what}`);
    this.name = 'RawSyntaxError';
  }
}

/** What a JSON value is, for "is a string (expected a number)" messages. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}
