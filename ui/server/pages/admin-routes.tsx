// Admin > Variables (list, values of secret-looking keys masked as Airflow's secrets masker does; create, edit and
// delete through engine/service/variables.ts), Admin > Configuration (secrets hidden, engine/service/config.ts) -
// both for op and admin only, as Airflow's API v2 allows them - and Browse > XComs (filters; values shown as text).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { roleAtLeast } from '../../../engine/service/users.js';
import { maskedValue, isSensitiveName } from '../../../engine/service/secrets-mask.js';
import { deleteVariable, setVariable } from '../../../engine/service/variables.js';
import { configSections, engineConfig } from '../../../engine/service/config.js';
import { engineSettings } from '../../../engine/settings.js';
import type { XcomRow } from '../../../engine/state/xcom.js';
import type { AppDeps } from '../deps.js';
import type { AuthEnv } from '../auth/middleware.js';
import { csrfMatches, type PageEnv } from './session.js';
import { Layout, pageCtx, type PageContext } from './layout.js';
import { NotFoundPage } from './not-found.js';
import { JsonBlock, parsedOrText } from './json-block.js';
import { utc } from './format.js';
import { dagHref, tiHref } from './hrefs.js';

type Env = PageEnv & AuthEnv;

const VariableForm = z.object({
  op: z.enum(['set', 'delete']),
  key: z.string().trim().min(1, 'a key is required').max(250),
  value: z.string().max(1_000_000).optional(),
  description: z.string().max(5000).optional(),
});

function VariablesPage(props: { ctx: PageContext; rows: { key: string; val: string; description: string | null; updated_at: string }[]; notice?: string; problem?: string; edit?: { key: string; val: string; description: string | null } }) {
  const { ctx, edit } = props;
  return (
    <Layout title="Variables" ctx={ctx} live="variables">
      <h1>Variables</h1>
      {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
      {props.problem ? <p class="banner" role="alert">{props.problem}</p> : null}
      {/* The list alone is refreshed live (not the form below it, which may hold what the user is typing). */}
      <div id="variable-list">
      <table class="list responsive" id="variables">
        <thead><tr><th>Key</th><th>Value</th><th>Description</th><th>Updated</th><th>Actions</th></tr></thead>
        <tbody>
          {props.rows.map((v) => (
            <tr data-key={v.key}>
              <td data-label="Key" class="mono">{v.key}</td>
              <td data-label="Value"><pre class="mono value">{maskedValue(v.key, v.val)}</pre></td>
              <td data-label="Description">{v.description ?? ''}</td>
              <td data-label="Updated">{utc(v.updated_at)}</td>
              <td data-label="Actions">
                <a class="button" href={`/variables?edit=${encodeURIComponent(v.key)}`}>Edit</a>{' '}
                <form method="post" action="/variables" class="inline">
                  <input type="hidden" name="csrf" value={ctx.csrf} />
                  <input type="hidden" name="op" value="delete" />
                  <input type="hidden" name="key" value={v.key} />
                  <button type="submit" class="danger" aria-label={`Delete ${v.key}`}>Delete</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 ? <p class="muted">No variables yet.</p> : null}
      </div>
      <form method="post" action="/variables" class="card stacked" id="variable-form">
        <h2>{edit ? `Edit ${edit.key}` : 'Add a variable'}</h2>
        <input type="hidden" name="csrf" value={ctx.csrf} />
        <input type="hidden" name="op" value="set" />
        <label>Key<input name="key" required maxlength={250} value={edit?.key ?? ''} readonly={edit ? true : undefined} /></label>
        <label>
          Value{edit && isSensitiveName(edit.key) ? <span class="muted"> (hidden: its key looks secret; type a new value to replace it)</span> : null}
          <textarea name="value" rows={4}>{edit && !isSensitiveName(edit.key) ? edit.val : ''}</textarea>
        </label>
        <label>Description<input name="description" value={edit?.description ?? ''} /></label>
        <div><button type="submit" class="primary">Save</button>{edit ? <>{' '}<a class="button" href="/variables">Cancel</a></> : null}</div>
      </form>
    </Layout>
  );
}

function ConfigPage(props: { ctx: PageContext; sections: ReturnType<typeof configSections> }) {
  return (
    <Layout title="Configuration" ctx={props.ctx}>
      <h1>Configuration</h1>
      <p class="muted">Secrets are hidden. The same as <code>GET /api/v2/config</code>.</p>
      {props.sections.map((s) => (
        <div class="card">
          <h2 class="mono">[{s.name}]</h2>
          <table class="list kv">
            <tbody>{s.options.map((o) => <tr><th class="mono">{o.key}</th><td class="mono">{o.value}</td></tr>)}</tbody>
          </table>
        </div>
      ))}
    </Layout>
  );
}

function XcomsPage(props: { ctx: PageContext; rows: XcomRow[]; filter: Record<string, string | undefined> }) {
  const f = props.filter;
  return (
    <Layout title="XComs" ctx={props.ctx}>
      <h1>XComs</h1>
      <div class="card">
        <form class="filters" method="get" action="/xcoms" role="search">
          <label>DAG id<input name="dag_id" value={f.dag_id ?? ''} /></label>
          <label>Run id<input name="run_id" value={f.run_id ?? ''} /></label>
          <label>Task id<input name="task_id" value={f.task_id ?? ''} /></label>
          <label>Key<input name="key" value={f.key ?? ''} /></label>
          <button type="submit">Filter</button>
        </form>
        <table class="list responsive" id="xcoms">
          <thead><tr><th>DAG</th><th>Run</th><th>Task</th><th>Key</th><th>Value</th><th>Time</th></tr></thead>
          <tbody>
            {props.rows.map((x) => (
              <tr>
                <td data-label="DAG"><a href={dagHref(x.dag_id)}>{x.dag_id}</a></td>
                <td data-label="Run" class="mono">{x.run_id}</td>
                <td data-label="Task"><a href={tiHref(x.dag_id, x.run_id, x.task_id)}>{x.task_id}</a>{x.map_index >= 0 ? ` [${x.map_index}]` : ''}</td>
                <td data-label="Key" class="mono">{x.key}</td>
                <td data-label="Value"><JsonBlock value={parsedOrText(x.value)} /></td>
                <td data-label="Time">{utc(x.timestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.rows.length === 0 ? <p class="muted">No XCom matches these filters.</p> : null}
      </div>
    </Layout>
  );
}

export function adminRoutes(deps: AppDeps): Hono<Env> {
  const { store } = deps;
  const app = new Hono<Env>();
  const opOnly = (c: Context<Env>, what: string) => {
    const ctx = pageCtx(c);
    return roleAtLeast(ctx.caller.role, 'op') ? null : c.html(<NotFoundPage ctx={ctx} what={`${what} are shown to op and admin users only.`} />, 403);
  };

  const variablesPage = (c: Context<Env>, o: { notice?: string; problem?: string; status?: 200 | 403 | 404 | 422 } = {}) => {
    const key = c.req.query('edit');
    const edit = key ? store.variables.get(key) : undefined;
    return c.html(<VariablesPage ctx={pageCtx(c)} rows={store.variables.list()} notice={o.notice ?? c.req.query('notice')} problem={o.problem} edit={edit} />, o.status ?? 200);
  };

  app.get('/variables', (c) => opOnly(c, 'Variables') ?? variablesPage(c));

  app.post('/variables', async (c) => {
    const refused = opOnly(c, 'Variables'); // the role first: a viewer's forged post is refused whatever it carries
    if (refused) return refused;
    const body = await c.req.parseBody();
    if (!csrfMatches(c.get('csrf'), body.csrf)) return variablesPage(c, { problem: "The form's CSRF token is missing or stale: reload the page and try again.", status: 403 });
    const parsed = VariableForm.safeParse(body);
    if (!parsed.success) {
      return variablesPage(c, { problem: `The form is not valid (${parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')}).`, status: 422 });
    }
    const v = parsed.data;
    const owner = c.get('caller').username;
    try {
      if (v.op === 'delete') deleteVariable(store, v.key, owner);
      else {
        // An edit of a secret-looking variable left empty keeps its value (the form never shows it).
        const old = store.variables.get(v.key);
        const value = v.value === '' && old && isSensitiveName(v.key) ? old.val : v.value ?? '';
        setVariable(store, { key: v.key, value, description: v.description || null }, { owner });
      }
    } catch (err) {
      return variablesPage(c, { problem: (err as Error).message.split('\n')[0], status: 422 });
    }
    return c.redirect(`/variables?notice=${encodeURIComponent(v.op === 'delete' ? `Variable ${v.key} deleted` : `Variable ${v.key} saved`)}`, 303);
  });

  app.get('/config', (c) => {
    const refused = opOnly(c, 'Configuration options');
    if (refused) return refused;
    const options = [...engineConfig({ ...engineSettings(), home: deps.home, dagsFolder: deps.dagsFolder }), ...(deps.config ?? [])];
    return c.html(<ConfigPage ctx={pageCtx(c)} sections={configSections(options)} />);
  });

  app.get('/xcoms', (c) => {
    const filter = Object.fromEntries(['dag_id', 'run_id', 'task_id', 'key'].map((k) => [k, c.req.query(k) || undefined]));
    const rows = store.db
      .prepare(`SELECT * FROM xcom WHERE (@dag_id IS NULL OR dag_id = @dag_id) AND (@run_id IS NULL OR run_id = @run_id)
                AND (@task_id IS NULL OR task_id = @task_id) AND (@key IS NULL OR key = @key) ORDER BY timestamp DESC LIMIT 500`)
      .all({ dag_id: filter.dag_id ?? null, run_id: filter.run_id ?? null, task_id: filter.task_id ?? null, key: filter.key ?? null }) as XcomRow[];
    return c.html(<XcomsPage ctx={pageCtx(c)} rows={rows} filter={filter} />);
  });

  return app;
}
