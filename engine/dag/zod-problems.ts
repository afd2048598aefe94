// zod issues -> problems a user can act on: "task 'extract': bash_command: expected a string, got 42", at the line
// and column of the offending value (or key).
import { z } from 'zod';
import { excerpt } from './excerpt.js';
import { locatePath } from './located.js';
import type { Problems } from './problems.js';
import { didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;

/** Report every issue of `result` on `root`. `context` prefixes messages ("task 'x': "). */
export function reportIssues(
  problems: Problems,
  issues: readonly Issue[],
  root: unknown,
  context: string,
  dagId: string | undefined,
  schema?: z.ZodType,
  extraKeys: readonly string[] = [],
  /** Where `schema` sits inside `root` (issue paths are relative to it). */
  prefix: readonly PropertyKey[] = [],
): void {
  for (const issue of issues) {
    const own = issue.path as PropertyKey[];
    const path = [...prefix, ...own];
    if (issue.code === 'unrecognized_keys') {
      const known = [...(schema ? shapeKeysAt(schema, own) : []), ...(own.length ? [] : extraKeys)];
      for (const key of issue.keys) {
        const where = [...path, key].map(String).join('.');
        problems.add(locatePath(root, [...path, key], true), `${context}unknown key '${excerpt(where, 100)}'${didYouMean(key, known)}`, dagId);
      }
      continue;
    }
    const name = path.map(String).join('.');
    const value = valueAt(root, path);
    if (issue.code === 'invalid_type' && value === undefined && path.length) {
      problems.add(locatePath(root, path), `${context}missing '${name}' (${EXPECTED[issue.expected] ?? issue.expected})`, dagId);
      continue;
    }
    problems.add(locatePath(root, path), `${context}${name ? `${name}: ` : ''}${issueText(issue, value)}`, dagId);
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const k of path) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** A short description of a value as the user wrote it. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v.length > 40 ? excerpt(v, 37) : excerpt(v, 40)}'`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
  null: 'null',
};

function issueText(issue: Issue, value: unknown): string {
  const got = `, got ${describe(value)}`;
  switch (issue.code) {
    case 'invalid_type':
      // zod's own wording starts with "Invalid input"; anything else was written for this field
      return issue.message.startsWith('Invalid input') ? `expected ${EXPECTED[issue.expected] ?? issue.expected}${got}` : `${issue.message}${got}`;
    case 'invalid_value': {
      const options = issue.values.map(String);
      return `${describe(value)} is not one of ${options.join(', ')}${typeof value === 'string' ? didYouMean(value, options) : ''}`;
    }
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `${String(issue.discriminator)} must be one of ${options.map(String).join(', ')}${got}`;
      }
      return `${issue.message}${got}`;
    default:
      break;
  }
  if (isCustomMessage(issue)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return `must not be empty`;
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}${got}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'string') return `is too long (at most ${issue.maximum})`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}${got}`;
    case 'invalid_format':
      return `${describe(value)} is not a valid ${issue.format === 'regex' ? 'value' : issue.format}${issue.pattern ? ` (must match ${issue.pattern})` : ''}`;
    default:
      return issue.message;
  }
}

/** Whether a message was written by the schema's author (kept verbatim) rather than zod's English default. */
function isCustomMessage(issue: Issue): boolean {
  const locale = z.config().localeError;
  if (!locale) return true;
  const d = locale(issue as never);
  const text = typeof d === 'string' ? d : d?.message;
  return text !== issue.message;
}

/** Keys an object schema accepts at `path`, for "did you mean". Best effort through optional/nullable/unions. */
export function shapeKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let cur: z.ZodType | undefined = schema;
  for (const k of path) {
    cur = cur && unwrap(cur);
    if (!cur) return [];
    const def = cur.def as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType };
    if (def.type === 'object' && typeof k === 'string') cur = def.shape?.[k];
    else if (def.type === 'array') cur = def.element;
    else if (def.type === 'record') cur = def.valueType;
    else return [];
  }
  cur = cur && unwrap(cur);
  const def = cur?.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(s: z.ZodType): z.ZodType | undefined {
  let cur: z.ZodType | undefined = s;
  for (let i = 0; i < 10 && cur; i++) {
    const def = cur.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') cur = def.innerType;
    else if (def.type === 'pipe') cur = def.in;
    else if (def.type === 'union') cur = def.options?.find((o) => o.type === 'object') ?? def.options?.[0];
    else return cur;
  }
  return cur;
}
