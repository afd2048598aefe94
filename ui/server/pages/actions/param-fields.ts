// The trigger form's fields for a DAG's params, as Airflow 3's trigger form builds them: one field per param, typed
// by its default (text, a whole number, a number, true / false, or JSON for a list, a map or null), and the values
// read back from the form, each checked against its type; the values become the run's conf.
import type { FormField } from './action.js';

export type ParamKind = 'string' | 'integer' | 'number' | 'boolean' | 'json';

export const PARAM_PREFIX = 'param.';

export function paramKind(value: unknown): ParamKind {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return 'json';
}

/** The text a field shows for a value of its param's kind. */
export function paramText(kind: ParamKind, value: unknown): string {
  if (kind === 'json') return JSON.stringify(value ?? null, null, 2);
  return String(value);
}

/** A field's text read back as a value of the param's kind, or the problem with it. */
export function paramValue(kind: ParamKind, raw: string): { value: unknown } | { problem: string } {
  const s = kind === 'string' ? raw : raw.trim();
  if (kind === 'string') return { value: s };
  if (kind === 'boolean') return s === 'true' || s === 'false' ? { value: s === 'true' } : { problem: `must be true or false, got '${s}'` };
  if (kind === 'integer' || kind === 'number') {
    const n = Number(s);
    if (s === '' || !Number.isFinite(n)) return { problem: `must be a number, got '${s}'` };
    if (kind === 'integer' && !Number.isInteger(n)) return { problem: `must be a whole number (its default is one), got '${s}'` };
    return { value: n };
  }
  try {
    return { value: JSON.parse(s) };
  } catch (err) {
    return { problem: `not valid JSON: ${(err as Error).message}` };
  }
}

/** One form field per param, filled with what the form sent back, else the param's default. */
export function paramFields(params: Record<string, unknown>, fields: Record<string, string>): FormField[] {
  return Object.entries(params).map(([key, dflt]) => {
    const kind = paramKind(dflt);
    const name = PARAM_PREFIX + key;
    const value = fields[name] ?? paramText(kind, dflt);
    const hint = `${kind === 'json' ? 'JSON' : kind}; default ${paramText(kind, dflt).replace(/\s+/g, ' ')}`;
    if (kind === 'boolean') return { name, label: key, kind: 'select', value, hint, choices: [['true', 'true'], ['false', 'false']] } satisfies FormField;
    if (kind === 'integer' || kind === 'number') return { name, label: key, kind: 'number', value, hint, step: kind === 'integer' ? '1' : 'any', required: true } satisfies FormField;
    return { name, label: key, kind: kind === 'json' ? 'json' : 'text', value, hint, anyJson: kind === 'json' } satisfies FormField;
  });
}

/** The params' values from the form (a param the form did not send keeps its default), and the problems by field. */
export function paramsFromFields(params: Record<string, unknown>, fields: Record<string, string | undefined>): { values: Record<string, unknown>; problems: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const [key, dflt] of Object.entries(params)) {
    const raw = fields[PARAM_PREFIX + key];
    if (raw === undefined) {
      values[key] = dflt;
      continue;
    }
    const v = paramValue(paramKind(dflt), raw);
    if ('problem' in v) problems[PARAM_PREFIX + key] = `param ${key} ${v.problem}`;
    else values[key] = v.value;
  }
  return { values, problems };
}
