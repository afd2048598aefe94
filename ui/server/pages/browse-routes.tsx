// The DAG list, the file view, Browse (runs and task instances across DAGs, import errors, audit log) and Admin
// (pools; users for admins only).
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { roleAtLeast } from '../../../engine/service/users.js';
import type { DagRunRow, EventLogRow, TaskInstanceRow } from '../../../engine/state/rows.js';
import { TASK_STATES } from '../../../engine/types.js';
import type { AppDeps } from '../deps.js';
import type { AuthEnv } from '../auth/middleware.js';
import type { PageEnv } from './session.js';
import { Layout, StateBadge, pageCtx } from './layout.js';
import { dagList, type DagListFilter } from './data/dag-list.js';
import { lastAutomatedIntervals, nextRuns } from './data/next-runs.js';
import { DagListPage } from './dag-list.js';
import { FileCode } from './dag-routes.js';
import { RunFilters, RunsTable } from './runs-table.js';
import { AuditTable } from './audit-table.js';
import { ImportErrorBanners } from './import-error-banner.js';
import { NotFoundPage } from './not-found.js';
import { htmlPage } from './streamed.js';
import { duration, utc } from './format.js';
import { dagHref, logHref, tiHref } from './hrefs.js';

type Env = PageEnv & AuthEnv;
const PAUSED = ['all', 'active', 'paused'] as const;

function one(c: Context<Env>, name: string): string | undefined {
  return c.req.query(name) || undefined;
}

export function browseRoutes(deps: AppDeps): Hono<Env> {
  const { store } = deps;
  const app = new Hono<Env>();

  app.get('/', async (c) => {
    const paused = one(c, 'paused');
    const filter: DagListFilter = { q: one(c, 'q'), tag: one(c, 'tag'), state: one(c, 'state'), paused: PAUSED.find((p) => p === paused) };
    const data = dagList(store, filter);
    const specs = deps.dagBag ? new Map((await deps.dagBag.all()).map((d) => [d.dagId, d])) : undefined;
    const unstamped = specs ? data.entries.filter((e) => !e.dag.next_dagrun && !e.dag.is_paused && specs.has(e.dag.dag_id)) : [];
    const last = unstamped.length ? lastAutomatedIntervals(store, unstamped.map((e) => e.dag.dag_id)) : new Map();
    const now = new Date();
    for (const e of unstamped) {
      const next = nextRuns(store, specs!.get(e.dag.dag_id)!, 1, now, last.get(e.dag.dag_id) ?? null)[0];
      e.dag = { ...e.dag, next_dagrun: next?.logicalDate.toISOString() ?? null };
    }
    return htmlPage(c, <DagListPage data={data} filter={filter} ctx={pageCtx(c)} dagsFolder={deps.dagsFolder} notice={one(c, 'notice')} />);
  });

  app.get('/code', (c) => {
    const rel = c.req.query('file') ?? '';
    const file = path.resolve(deps.dagsFolder, rel);
    if (!rel || path.relative(path.resolve(deps.dagsFolder), file).startsWith('..')) {
      return c.html(<NotFoundPage ctx={pageCtx(c)} what={`No file ${rel} in the DAGs folder.`} />, 404);
    }
    return c.html(
      <Layout title={rel} ctx={pageCtx(c)}>
        <FileCode deps={deps} file={file} />
      </Layout>,
    );
  });

  app.get('/runs', (c) => {
    const state = one(c, 'state');
    const type = one(c, 'type');
    const dag = one(c, 'dag');
    const runs = store.db
      .prepare(`SELECT r.*, d.timezone FROM dag_run r LEFT JOIN dag d ON d.dag_id = r.dag_id
                WHERE (@state IS NULL OR r.state = @state) AND (@type IS NULL OR r.run_type = @type) AND (@dag IS NULL OR instr(r.dag_id, @dag) > 0)
                ORDER BY r.logical_date DESC, r.id DESC LIMIT 500`)
      .all({ state: state ?? null, type: type ?? null, dag: dag ?? null }) as (DagRunRow & { timezone: string | null })[];
    return c.html(
      <Layout title="Runs" ctx={pageCtx(c)} live="runs">
        <h1>Runs</h1>
        <div class="card">
          <RunFilters action="/runs" state={state} type={type} dagQuery={dag ?? ''} />
          {/* the script refreshes this when runs come, go or move (not the filters, which may be half chosen) */}
          <div id="runs-list"><RunsTable runs={runs} showDag /></div>
        </div>
      </Layout>,
    );
  });

  app.get('/task-instances', (c) => {
    const state = one(c, 'state');
    const since = one(c, 'since');
    const tis = store.db
      .prepare(`SELECT * FROM task_instance WHERE (@state IS NULL OR coalesce(state, 'none') = @state) AND (@since IS NULL OR updated_at >= @since)
                ORDER BY updated_at DESC LIMIT 500`)
      .all({ state: state ?? null, since: since ?? null }) as TaskInstanceRow[];
    const today = new Date().toISOString().slice(0, 10);
    return c.html(
      <Layout title="Task instances" ctx={pageCtx(c)} live="tis">
        <h1>Task instances</h1>
        <div class="card">
          <form class="filters" method="get" action="/task-instances">
            <label>
              State
              <select name="state">
                <option value="">any</option>
                {[...TASK_STATES, 'none'].map((s) => <option value={s} selected={s === state}>{s}</option>)}
              </select>
            </label>
            <label>Updated since<input type="date" name="since" value={since ?? ''} /></label>
            <button type="submit">Filter</button>
            <a class="button" href={`/task-instances?state=failed&since=${today}`}>What failed today</a>
          </form>
          <table class="list responsive">
            <thead><tr><th>DAG</th><th>Run</th><th>Task</th><th>State</th><th>Try</th><th>Duration</th><th>Updated</th><th>Log</th></tr></thead>
            <tbody>
              {tis.map((t) => (
                <tr>
                  <td data-label="DAG"><a href={dagHref(t.dag_id)}>{t.dag_id}</a></td>
                  <td data-label="Run" class="mono">{t.run_id}</td>
                  <td data-label="Task"><a href={tiHref(t.dag_id, t.run_id, t.task_id)}>{t.task_id}</a></td>
                  <td data-label="State"><StateBadge state={t.state} id={`ts:${t.dag_id}:${t.run_id}:${t.task_id}`} /></td>
                  <td data-label="Try">{t.try_number}</td>
                  <td data-label="Duration">{duration(t.duration)}</td>
                  <td data-label="Updated">{utc(t.updated_at)}</td>
                  <td data-label="Log">{t.try_number ? <a href={logHref(t.dag_id, t.run_id, t.task_id, t.try_number)}>log</a> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {tis.length === 0 ? <p class="muted">No task instance matches.</p> : null}
        </div>
      </Layout>,
    );
  });

  app.get('/import-errors', (c) => {
    const rows = store.importErrors.list();
    return c.html(
      <Layout title="Import errors" ctx={pageCtx(c)} live="import-errors">
        <h1>Import errors</h1>
        {rows.length ? <ImportErrorBanners rows={rows} dagsFolder={deps.dagsFolder} /> : <p class="muted">Every DAG file loads.</p>}
      </Layout>,
    );
  });

  app.get('/audit-log', (c) => {
    const rows = store.db.prepare('SELECT * FROM log ORDER BY id DESC LIMIT 500').all() as EventLogRow[];
    return c.html(
      <Layout title="Audit log" ctx={pageCtx(c)}>
        <h1>Audit log</h1>
        <div class="card"><AuditTable rows={rows} showDag /></div>
      </Layout>,
    );
  });

  app.get('/pools', (c) => {
    const pools = store.pools.list();
    return c.html(
      <Layout title="Pools" ctx={pageCtx(c)} live="pools">
        <h1>Pools</h1>
        <table class="list responsive">
          <thead><tr><th>Pool</th><th>Slots</th><th>Running</th><th>Queued</th><th>Open</th><th>Description</th></tr></thead>
          <tbody>
            {pools.map((p) => (
              <tr>
                <td data-label="Pool" class="mono">{p.pool}</td>
                <td data-label="Slots">{p.slots}</td>
                <td data-label="Running">{p.running_slots}</td>
                <td data-label="Queued">{p.queued_slots}</td>
                <td data-label="Open">{p.open_slots}</td>
                <td data-label="Description">{p.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  app.get('/users', (c) => {
    const ctx = pageCtx(c);
    if (!roleAtLeast(ctx.caller.role, 'admin')) return c.html(<NotFoundPage ctx={ctx} what="Users are shown to admins only." />, 403);
    return c.html(
      <Layout title="Users" ctx={ctx} live="users">
        <h1>Users</h1>
        <table class="list responsive">
          <thead><tr><th>Username</th><th>Role</th><th>Created</th></tr></thead>
          <tbody>{store.users.list().map((u) => <tr><td data-label="Username">{u.username}</td><td data-label="Role">{u.role}</td><td data-label="Created">{utc(u.created_at)}</td></tr>)}</tbody>
        </table>
        <p class="muted">Manage users with <code>dag users create|delete|reset-password</code>.</p>
      </Layout>,
    );
  });

  return app;
}
