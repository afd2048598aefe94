// GET /actions/:name: the confirmation page with the dry run (no state change on GET). POST /actions/:name: the role
// is checked (403 for a viewer, whatever the page showed), then the session's CSRF token (the Origin was checked by
// hono/csrf before), then the input, and the action runs; the browser goes back to where it came from.
import { Hono, type Context } from 'hono';
import { roleAtLeast } from '../../../../engine/service/users.js';
import type { AppDeps } from '../../deps.js';
import type { AuthEnv } from '../../auth/middleware.js';
import { csrfMatches, safeNext, type PageEnv } from '../session.js';
import { Layout, pageCtx, type PageContext } from '../layout.js';
import { ActionError, type PageAction, type Preview } from './action.js';
import { ACTIONS } from './index.js';

function ConfirmPage(props: { ctx: PageContext; action: PageAction; preview: Preview; fields: Record<string, string> }) {
  const { preview } = props;
  return (
    <Layout title={props.action.title} ctx={props.ctx}>
      <div class="card">
        <h1>{props.action.title}</h1>
        <p>{preview.summary}</p>
        {preview.items?.length ? <ul id="dry-run">{preview.items.map((i) => <li>{i}</li>)}</ul> : null}
        <form method="post" action={`/actions/${props.action.name}`}>
          <input type="hidden" name="csrf" value={props.ctx.csrf} />
          {Object.entries(props.fields).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
          <button type="submit" class={preview.danger ? 'danger' : 'primary'} autofocus>{preview.confirm}</button>{' '}
          <a class="button" href={safeNext(preview.back)}>Cancel</a>
        </form>
      </div>
    </Layout>
  );
}

function ProblemPage(props: { ctx: PageContext; title: string; message: string }) {
  return (
    <Layout title={props.title} ctx={props.ctx}>
      <div class="card">
        <h1>{props.title}</h1>
        <p class="error" role="alert">{props.message}</p>
        <a href="/">Back to the DAGs</a>
      </div>
    </Layout>
  );
}

type Env = PageEnv & AuthEnv;


function fieldsOf(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'csrf' && typeof v === 'string') out[k] = v;
  return out;
}

export function actionRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  const run = async (c: Context<Env>, fields: Record<string, string>, apply: boolean) => {
    const action = ACTIONS.get(c.req.param('name') ?? '');
    const ctx = pageCtx(c);
    if (!action) return c.html(<ProblemPage ctx={ctx} title="No such action" message={`There is no action named ${c.req.param('name')}.`} />, 404);
    if (!roleAtLeast(ctx.caller.role, action.role)) {
      return c.html(<ProblemPage ctx={ctx} title="Forbidden" message={`${action.title} needs the ${action.role} role; you are ${ctx.caller.role}.`} />, 403);
    }
    const parsed = action.input.safeParse(fields);
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
      return c.html(<ProblemPage ctx={ctx} title={action.title} message={`The form is not valid (${msg}).`} />, 422);
    }
    const input = { ...(parsed.data as Record<string, unknown>), back: fields.back ? safeNext(fields.back) : undefined };
    try {
      if (!apply) return c.html(<ConfirmPage ctx={ctx} action={action} preview={await action.preview(deps, input)} fields={fields} />);
      const outcome = await action.apply(deps, input, ctx.caller);
      const to = new URL(safeNext(outcome.redirect), 'http://x');
      to.searchParams.set('notice', outcome.message);
      return c.redirect(to.pathname + to.search, 303);
    } catch (err) {
      if (err instanceof ActionError) return c.html(<ProblemPage ctx={ctx} title={action.title} message={err.message} />, err.status);
      throw err;
    }
  };

  app.get('/actions/:name', (c) => run(c, fieldsOf(c.req.query()), false));

  app.post('/actions/:name', async (c) => {
    const body = await c.req.parseBody();
    const action = ACTIONS.get(c.req.param('name'));
    // The role first: a viewer's forged post is refused whatever it carries.
    if (action && !roleAtLeast(c.get('caller').role, action.role)) return run(c, {}, true);
    if (!csrfMatches(c.get('csrf'), body.csrf)) {
      return c.html(<ProblemPage ctx={pageCtx(c)} title="Forbidden" message="The form's CSRF token is missing or stale: reload the page and try again." />, 403);
    }
    return run(c, fieldsOf(body), true);
  });

  return app;
}
