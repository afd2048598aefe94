// GET /actions/:name: the action's form when it takes input (trigger, backfill), else (or with review=1) the
// confirmation page with the dry run; no state change on GET. POST /actions/:name: the role is checked (403 for a
// viewer, whatever the page showed), then the session's CSRF token (the Origin was checked by hono/csrf before),
// then the input, and the action runs; the browser goes back to where it came from, which follows the effect live.
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { roleAtLeast } from '../../../../engine/service/users.js';
import type { AppDeps } from '../../deps.js';
import type { AuthEnv } from '../../auth/middleware.js';
import { csrfMatches, safeNext, type PageEnv } from '../session.js';
import { pageCtx } from '../layout.js';
import { ActionError, asActionError, type PageAction } from './action.js';
import { ACTIONS } from './index.js';
import { ConfirmPage, FormPage, ProblemPage } from './pages.js';

type Env = PageEnv & AuthEnv;

function fieldsOf(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'csrf' && typeof v === 'string') out[k] = v;
  return out;
}

/** The page the user came from (a same-origin page other than an action's), for going back there afterwards. */
function cameFrom(c: Context): string | undefined {
  const ref = c.req.header('referer');
  if (!ref) return undefined;
  try {
    const u = new URL(ref);
    if (u.origin !== new URL(c.req.url).origin || u.pathname.startsWith('/actions/')) return undefined;
    u.searchParams.delete('notice');
    return safeNext(u.pathname + u.search);
  } catch {
    return undefined;
  }
}

/** zod's issues by field name (the first problem of each), for the form. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) out[String(i.path[0] ?? 'form')] ??= i.message;
  return out;
}

export function actionRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  const run = async (c: Context<Env>, action: PageAction, fields: Record<string, string>, apply: boolean) => {
    const ctx = pageCtx(c);
    const showForm = async (errors: Record<string, string>, status: 200 | 400 | 404 | 409 | 422, problem?: string) =>
      c.html(<FormPage ctx={ctx} action={action} view={await action.form!(deps, fields)} fields={fields} errors={errors} problem={problem} />, status);
    const refuse = async (err: ActionError) => {
      if (action.form && err.status !== 404) {
        const errors = typeof err.field === 'string' ? { [err.field]: err.message } : (err.field ?? {});
        return showForm(errors, err.status, err.field ? undefined : err.message);
      }
      return c.html(<ProblemPage ctx={ctx} title={action.title} message={err.message} back={fields.back} />, err.status);
    };
    try {
      if (action.form && !apply && fields.review !== '1') return await showForm({}, 200);
      const parsed = action.input.safeParse(fields);
      if (!parsed.success) {
        if (action.form) return await showForm(fieldErrors(parsed.error), 422);
        const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
        return c.html(<ProblemPage ctx={ctx} title={action.title} message={`The form is not valid (${msg}).`} />, 422);
      }
      const input = { ...(parsed.data as Record<string, unknown>), back: fields.back ? safeNext(fields.back) : undefined };
      if (!apply) return c.html(<ConfirmPage ctx={ctx} action={action} preview={await action.preview(deps, input)} fields={fields} />);
      const outcome = await action.apply(deps, input, ctx.caller);
      const to = new URL(safeNext(outcome.redirect), 'http://x');
      to.searchParams.set('notice', outcome.message);
      return c.redirect(to.pathname + to.search, 303);
    } catch (err) {
      const e = asActionError(err);
      if (e instanceof ActionError) return refuse(e);
      throw err;
    }
  };

  const forbidden = (c: Context<Env>, action: PageAction) => {
    const ctx = pageCtx(c);
    return c.html(<ProblemPage ctx={ctx} title="Forbidden" message={`${action.title} needs the ${action.role} role; you are ${ctx.caller.role}.`} />, 403);
  };
  const noSuch = (c: Context<Env>) =>
    c.html(<ProblemPage ctx={pageCtx(c)} title="No such action" message={`There is no action named ${c.req.param('name')}.`} />, 404);

  app.get('/actions/:name', (c) => {
    const action = ACTIONS.get(c.req.param('name'));
    if (!action) return noSuch(c);
    if (!roleAtLeast(c.get('caller').role, action.role)) return forbidden(c, action);
    const fields = fieldsOf(c.req.query());
    if (!fields.back) {
      const back = cameFrom(c);
      if (back) fields.back = back;
    }
    return run(c, action, fields, false);
  });

  app.post('/actions/:name', async (c) => {
    const action = ACTIONS.get(c.req.param('name'));
    if (!action) return noSuch(c);
    // The role first: a viewer's forged post is refused whatever it carries.
    if (!roleAtLeast(c.get('caller').role, action.role)) return forbidden(c, action);
    const body = await c.req.parseBody();
    if (!csrfMatches(c.get('csrf'), body.csrf)) {
      return c.html(<ProblemPage ctx={pageCtx(c)} title="Forbidden" message="The form's CSRF token is missing or stale: reload the page and try again." />, 403);
    }
    return run(c, action, fieldsOf(body), true);
  });

  return app;
}
