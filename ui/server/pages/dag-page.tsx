// /dags/{dag_id}[/tab]: the DAG's header (schedule, owner, tags, pause switch) and its tabs.
import type { Child } from 'hono/jsx';
import type { DagRow } from '../../../engine/state/rows.js';
import { roleAtLeast } from '../../../engine/service/users.js';
import { Layout, type PageContext } from './layout.js';
import { PauseSwitch } from './pause-switch.js';
import { DagActions } from './actions/buttons.js';
import { parseTags } from './data/dag-list.js';
import { dagHref } from './hrefs.js';
import { inZone, scheduleInWords } from './format.js';

export const TABS = [
  ['', 'Grid'],
  ['graph', 'Graph'],
  ['gantt', 'Gantt'],
  ['runs', 'Runs'],
  ['code', 'Code'],
  ['details', 'Details'],
  ['audit', 'Audit log'],
] as const;
export type Tab = (typeof TABS)[number][0];

export function DagPage(props: { ctx: PageContext; dag: DagRow; tab: Tab; children?: Child; notice?: string; scripts?: string[] }) {
  const { dag } = props;
  const canEdit = roleAtLeast(props.ctx.caller.role, 'user');
  return (
    <Layout title={dag.dag_id} ctx={props.ctx} live={`dag:${dag.dag_id}`} scripts={props.scripts}>
      <div class="card">
        <h1>
          {dag.dag_id}{' '}
          <PauseSwitch dagId={dag.dag_id} paused={dag.is_paused === 1} canEdit={canEdit} />
          <DagActions dagId={dag.dag_id} canEdit={canEdit} backfill={dag.schedule_interval != null && dag.schedule_interval !== 'None'} />
        </h1>
        <div class="muted">
          {scheduleInWords(dag.timetable_description, dag.schedule_interval, dag.timezone)}
          {dag.next_dagrun ? ` · next run ${inZone(dag.next_dagrun, dag.timezone)}` : ''}
          {dag.owners ? ` · owner ${dag.owners}` : ''}
        </div>
        <div>{parseTags(dag.tags).map((t) => <a class="tag" href={`/?tag=${encodeURIComponent(t)}`}>{t}</a>)}</div>
        {dag.description ? <p>{dag.description}</p> : null}
      </div>
      {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
      <nav class="tabs" aria-label="DAG views">
        {TABS.map(([tab, label]) => (
          <a href={dagHref(dag.dag_id, tab || undefined)} aria-current={tab === props.tab ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      {props.children}
    </Layout>
  );
}
