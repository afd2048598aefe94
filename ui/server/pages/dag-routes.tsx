// The DAG page's tabs, the task instance panel (also as a fragment for the script), and the attempt log with its
// byte-range text for the live tail and the download.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { AppDeps } from '../deps.js';
import { roleAtLeast } from '../../../engine/service/users.js';
import type { AuthEnv } from '../auth/middleware.js';
import type { PageEnv } from './session.js';
import { pageCtx } from './layout.js';
import { DagPage, type Tab } from './dag-page.js';
import { cellTarget, gridData } from './data/grid.js';
import { GridView } from './grid.js';
import { taskInstanceView } from './data/task-instance.js';
import { RunPanel, TaskInstancePanel } from './task-instance-panel.js';
import { RunFilters, RunsTable } from './runs-table.js';
import { BackfillsTable } from './backfills-table.js';
import { dagBackfills } from './data/backfills.js';
import { CodeView } from './code-view.js';
import { DetailsTab } from './details-tab.js';
import { AuditTable } from './audit-table.js';
import { GraphTab, graphData } from './graph-tab.js';
import { GanttTab } from './gantt-tab.js';
import { LogPage } from './log-page.js';
import { lastPage, logFile, pageBefore, readSlice, LOG_PAGE_BYTES } from './data/attempt-log.js';
import { nextRuns } from './data/next-runs.js';
import { ImportErrorBanners, importProblems } from './import-error-banner.js';
import { relativeFile } from './format.js';
import { NotFoundPage } from './not-found.js';
import { bodySlot, htmlPage, streamedPage } from './streamed.js';
import type { DagRunRow, EventLogRow } from '../../../engine/state/rows.js';

type Env = PageEnv & AuthEnv;

export function dagRoutes(deps: AppDeps): Hono<Env> {
  const { store } = deps;
  const spec = async (dagId: string) => deps.dagBag?.get(dagId);
  const app = new Hono<Env>();

  /** A tab of the DAG page; `stream`: its frame is sent before its body is rendered (the grid, see streamed.ts). */
  const page = async (c: Context<Env>, tab: Tab, body: (dagId: string) => unknown, o: { scripts?: string[]; stream?: boolean } = {}) => {
    const dagId = c.req.param('dag_id')!;
    const dag = store.dags.get(dagId);
    if (!dag) return c.html(<NotFoundPage ctx={pageCtx(c)} what={`DAG with dag_id: '${dagId}' not found`} />, 404);
    const frame = (content: unknown) => (
      <DagPage ctx={pageCtx(c)} dag={dag} tab={tab} notice={c.req.query('notice')} scripts={o.scripts}>
        {content as never}
      </DagPage>
    );
    if (o.stream) return streamedPage(c, frame(bodySlot()), async () => (await body(dagId)) as never);
    return c.html(frame(await body(dagId)));
  };

  const gridAndPanel = async (c: Context<Env>, dagId: string) => {
    const { run, task } = cellTarget(store, dagId, (n) => c.req.query(n));
    const grid = gridData(store, dagId, await spec(dagId), { before: c.req.query('before') });
    return <div class="grid-wrap"><GridView dagId={dagId} grid={grid} selectedRun={run} selectedTask={task} />{await panel(c, dagId, run, task)}</div>;
  };

  const panel = async (c: Context<Env>, dagId: string, run?: string, task?: string) => {
    const tz = store.dags.get(dagId)?.timezone ?? 'UTC';
    const canEdit = roleAtLeast(pageCtx(c).caller.role, 'user');
    if (run && task) {
      const v = taskInstanceView(store, await spec(dagId), dagId, run, task);
      return v ? <TaskInstancePanel v={v} timezone={tz} canEdit={canEdit} /> : <aside class="panel" id="panel"><p class="muted">No task {task} in run {run}.</p></aside>;
    }
    if (run) {
      const r = store.runs.get(dagId, run);
      return r ? <RunPanel run={r} timezone={tz} canEdit={canEdit} /> : <aside class="panel" id="panel"><p class="muted">No run {run}.</p></aside>;
    }
    return <aside class="panel" id="panel"><p class="muted">Choose a cell to see its task instance, or a bar to see its run.</p></aside>;
  };

  app.get('/dags/:dag_id', (c) => page(c, '', (dagId) => gridAndPanel(c, dagId), { stream: true }));

  // The script swaps these in without reloading the page: the grid when runs come or go, the panel on a click.
  app.get('/dags/:dag_id/fragment/grid', async (c) => {
    const dagId = c.req.param('dag_id');
    if (!store.dags.get(dagId)) return c.text('not found', 404);
    return htmlPage(c, await gridAndPanel(c, dagId));
  });
  app.get('/dags/:dag_id/fragment/panel', async (c) => {
    const dagId = c.req.param('dag_id');
    const { run, task } = cellTarget(store, dagId, (n) => c.req.query(n));
    return c.html(await panel(c, dagId, run, task));
  });

  app.get('/dags/:dag_id/graph', (c) =>
    page(c, 'graph', async (dagId) => {
      const s = await spec(dagId);
      const run = c.req.query('run') ?? store.runs.list({ dagId, limit: 1 })[0]?.run_id ?? null;
      const states = new Map(run ? store.tis.forRun(dagId, run).map((t) => [t.task_id, t.state] as [string, string | null]) : []);
      return <GraphTab data={s ? graphData(s, run, states) : null} />;
    }, { scripts: ['graph.js'] }),
  );

  app.get('/dags/:dag_id/gantt', (c) =>
    page(c, 'gantt', (dagId) => {
      const run = c.req.query('run') ?? store.runs.list({ dagId, limit: 1 })[0]?.run_id ?? null;
      const rows = run
        ? store.tis.forRun(dagId, run).map((t) => ({ taskId: t.task_id, tries: taskInstanceView(store, undefined, dagId, run, t.task_id)?.tries ?? [] }))
        : [];
      return <GanttTab runId={run} rows={rows} />;
    }),
  );

  app.get('/dags/:dag_id/runs', (c) =>
    page(c, 'runs', (dagId) => {
      const state = c.req.query('state') || undefined;
      const type = c.req.query('type') || undefined;
      const runs = store.db
        .prepare(`SELECT * FROM dag_run WHERE dag_id = @dag AND (@state IS NULL OR state = @state) AND (@type IS NULL OR run_type = @type)
                  ORDER BY logical_date DESC, id DESC LIMIT 500`)
        .all({ dag: dagId, state: state ?? null, type: type ?? null }) as DagRunRow[];
      return (
        <>
          <BackfillsTable dagId={dagId} backfills={dagBackfills(store, dagId)} canEdit={roleAtLeast(pageCtx(c).caller.role, 'user')} />
          <div class="card">
            <RunFilters action={`/dags/${encodeURIComponent(dagId)}/runs`} state={state} type={type} />
            {/* the script refreshes this when runs come or go (not the filters, which may be half chosen) */}
            <div id="dag-runs"><RunsTable runs={runs} timezone={store.dags.get(dagId)?.timezone} /></div>
          </div>
        </>
      );
    }),
  );

  app.get('/dags/:dag_id/code', (c) =>
    page(c, 'code', (dagId) => {
      const file = store.dags.get(dagId)!.fileloc;
      return file ? <FileCode deps={deps} file={file} /> : <p class="muted">No file is recorded for this DAG.</p>;
    }),
  );

  app.get('/dags/:dag_id/details', (c) =>
    page(c, 'details', async (dagId) => {
      const s = await spec(dagId);
      return <DetailsTab dag={store.dags.get(dagId)!} spec={s} next={s ? nextRuns(store, s, 5) : []} />;
    }),
  );

  app.get('/dags/:dag_id/audit', (c) =>
    page(c, 'audit', (dagId) => {
      const rows = store.db.prepare('SELECT * FROM log WHERE dag_id = ? ORDER BY id DESC LIMIT 500').all(dagId) as EventLogRow[];
      return <div class="card"><AuditTable rows={rows} /></div>;
    }),
  );

  const tiOf = (c: Context<Env>) => {
    const { dag_id, run_id, task_id } = c.req.param() as Record<string, string>;
    const ti = store.tis.get({ dagId: dag_id, runId: run_id, taskId: task_id });
    const raw = c.req.query('try');
    const tryNumber = raw && /^\d{1,6}$/.test(raw) ? Number(raw) : Math.max(1, ti?.try_number ?? 1);
    return { ti, tryNumber };
  };

  app.get('/dags/:dag_id/runs/:run_id/tasks/:task_id', (c) => {
    const { ti, tryNumber } = tiOf(c);
    if (!ti) return c.html(<NotFoundPage ctx={pageCtx(c)} what="TaskInstance not found" />, 404);
    const file = logFile(deps.home, ti.dag_id, ti.run_id, ti.task_id, tryNumber);
    const from = c.req.query('from');
    const slice = file ? (from && /^\d{1,15}$/.test(from) ? readSlice(file, Number(from), LOG_PAGE_BYTES, { alignStart: true }) : lastPage(file)) : null;
    return c.html(<LogPage ctx={pageCtx(c)} ti={ti} tryNumber={tryNumber} slice={slice} />);
  });

  app.get('/dags/:dag_id/runs/:run_id/tasks/:task_id/log.txt', (c) => {
    const { ti, tryNumber } = tiOf(c);
    const file = ti && logFile(deps.home, ti.dag_id, ti.run_id, ti.task_id, tryNumber);
    if (!ti || !file) return c.text('TaskInstance not found', 404);
    if (c.req.query('download')) {
      if (!fs.existsSync(file)) return c.text('No log for this try yet', 404);
      const name = `${ti.dag_id}__${ti.run_id}__${ti.task_id}__${tryNumber}.log`.replace(/[^A-Za-z0-9._-]/g, '_');
      return c.body(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, 200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    }
    // from=N: the bytes from N (the tail, the next page); before=N: the page that ends at N (scrolling up).
    const offset = (name: string) => {
      const v = Number(c.req.query(name) ?? NaN);
      return Number.isSafeInteger(v) && v >= 0 ? v : null;
    };
    const before = offset('before');
    const slice = before !== null ? pageBefore(file, before) : readSlice(file, offset('from') ?? 0, LOG_PAGE_BYTES);
    const state = tryNumber === ti.try_number ? ti.state ?? 'none' : 'finished';
    return c.text(slice?.text ?? '', 200, {
      'X-Log-From': String(slice?.from ?? 0),
      'X-Log-Offset': String(slice?.to ?? 0),
      'X-Log-Size': String(slice?.size ?? 0),
      'X-Task-State': state,
    });
  });

  return app;
}

/** The DAG file's text, if it lies in the DAGs folder, with the lines its import errors name highlighted. */
export function FileCode(props: { deps: AppDeps; file: string }) {
  const { deps, file } = props;
  const rel = relativeFile(file, deps.dagsFolder);
  if (rel === file || rel.split('/').includes('..')) return <p class="muted">This DAG's file is outside the DAGs folder.</p>;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return <p class="muted">The file {rel} can no longer be read.</p>;
  }
  const rows = deps.store.importErrors.list().filter((r) => r.filename === file);
  const errorLines = new Map<number, string>();
  for (const row of rows) {
    for (const p of importProblems(row, deps.dagsFolder)) if (p.line) errorLines.set(p.line, p.message);
  }
  return (
    <>
      <ImportErrorBanners rows={rows} dagsFolder={deps.dagsFolder} />
      <CodeView file={rel} text={text} errorLines={errorLines} />
    </>
  );
}
