// Rendering a task's arguments: every string inside the template fields (recursively through objects and arrays)
// is rendered with the context; anything else is passed through unchanged. A failure names the DAG, the task and
// the argument path, on one line.
import { UserError } from '../types.js';
import { compileTemplate, isTemplate } from './environment.js';
import { isPlainObject } from './py-values.js';

const HINT =
  'windsock renders templates like Airflow with StrictUndefined: an undefined variable is an error; ' +
  "use {{ x | default('...') }} for an optional value";

export class TemplateRenderError extends UserError {
  constructor(
    readonly dagId: string,
    readonly taskId: string,
    readonly argument: string,
    readonly detail: string,
  ) {
    super(`template error in task '${taskId}' of DAG '${dagId}', argument ${argument}: ${detail}`, HINT);
    this.name = 'TemplateRenderError';
  }
}

/**
 * Render `args` with `ctx`. `fields` names the template fields (top-level argument names); undefined means every
 * argument. Returns a new object; the input is not modified.
 */
export function renderArgs(
  args: Record<string, unknown>,
  ctx: Record<string, unknown>,
  fields: string[] | undefined,
  where: { dagId: string; taskId: string },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const name of fields ?? Object.keys(args)) {
    if (Object.prototype.hasOwnProperty.call(args, name)) out[name] = renderValue(args[name], name, ctx, where);
  }
  return out;
}

function renderValue(v: unknown, path: string, ctx: Record<string, unknown>, where: { dagId: string; taskId: string }): unknown {
  if (typeof v === 'string') return isTemplate(v) ? renderString(v, path, ctx, where) : v;
  if (Array.isArray(v)) return v.map((x, i) => renderValue(x, `${path}[${i}]`, ctx, where));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = renderValue(x, `${path}.${k}`, ctx, where);
    return out;
  }
  return v;
}

function renderString(source: string, path: string, ctx: Record<string, unknown>, where: { dagId: string; taskId: string }): string {
  try {
    return compileTemplate(source)(ctx);
  } catch (err) {
    throw new TemplateRenderError(where.dagId, where.taskId, path, describe(err));
  }
}

/** nunjucks says "(unknown path) [Line 1, Column 3]\n  Error: cause"; we say "cause (line 1, column 3)". */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^\([^)]*\)(?: \[Line (\d+), Column (\d+)\])?\s*([\s\S]*)$/.exec(message);
  if (!m) return oneLine(message);
  const cause = oneLine(m[3]).replace(/^Error: /, '');
  return m[1] ? `${cause} (line ${m[1]}, column ${m[2]})` : cause;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
