// `/`: every DAG with its owner, tags, schedule in words with its time zone, next run, last run, the states of its
// recent runs, and its pause switch; search by id, filter by tag, last state and paused; a banner per broken file.
import type { DagList, DagListEntry, DagListFilter } from './data/dag-list.js';
import { roleAtLeast } from '../../../engine/service/users.js';
import { Layout, stateBadge, type PageContext } from './layout.js';
import { h, type Html } from './html.js';
import { ImportErrorBanners } from './import-error-banner.js';
import { stateClass, stateLabel, stateSymbol } from './states.js';
import { inZone, scheduleInWords, utc } from './format.js';
import { pauseSwitch } from './pause-switch.js';
import { dagActions } from './actions/buttons.js';
import { dagHref, runHref } from './hrefs.js';

const RUN_STATES = ['queued', 'running', 'success', 'failed'];

/** The DAG's recent runs as small coloured marks, oldest first, each a link to its run. */
export function runMarks(dagId: string, runs: DagListEntry['recent']): Html {
  return h`<span class="marks" data-marks="${dagId}">${runs.map(
    (r) => h`<a id="${`m:${dagId}:${r.run_id}`}" class="mark ${stateClass(r.state)}" href="${runHref(dagId, r.run_id)}" title="${`${r.run_id}: ${stateLabel(r.state)}`}" data-state="${r.state}"><span aria-hidden="true">${stateSymbol(r.state)}</span><span class="sr-only">${`${r.run_id} ${stateLabel(r.state)}`}</span></a>`,
  )}</span>`;
}

/** One DAG's row, built as a string (see html.ts): a JSX node per element cost most of the list's render at 1,000 DAGs. */
function dagRow(e: DagListEntry, canEdit: boolean): Html {
  const { dag, tags, lastRun, recent } = e;
  const tagLinks = tags.map((t) => h`<a class="tag" href="${`/?tag=${encodeURIComponent(t)}`}">${t}</a>`);
  const next = dag.next_dagrun ? h`<span title="${utc(dag.next_dagrun)}">${inZone(dag.next_dagrun, dag.timezone)}</span>` : h`<span class="muted">none</span>`;
  const last = lastRun ? h`<a href="${runHref(dag.dag_id, lastRun.run_id)}">${stateBadge(lastRun.state)}</a>` : h`<span class="muted">never run</span>`;
  return h`<tr data-dag="${dag.dag_id}"><td data-label="DAG"><a href="${dagHref(dag.dag_id)}"><strong>${dag.dag_id}</strong></a>${dag.description ? h`<div class="muted">${dag.description}</div>` : null}<div>${tagLinks}</div></td><td data-label="Owner">${dag.owners}</td><td data-label="Schedule"><span title="${dag.schedule_interval ?? ''}">${scheduleInWords(dag.timetable_description, dag.schedule_interval, dag.timezone)}</span></td><td data-label="Next run">${next}</td><td data-label="Last run" id="${`last:${dag.dag_id}`}">${last}</td><td data-label="Recent runs">${runMarks(dag.dag_id, recent)}</td><td data-label="Paused">${pauseSwitch(dag.dag_id, dag.is_paused === 1, canEdit)}</td>${canEdit ? h`<td data-label="Actions">${dagActions(dag.dag_id, canEdit, false)}</td>` : null}</tr>`;
}

export function DagListPage(props: { data: DagList; filter: DagListFilter; ctx: PageContext; dagsFolder: string; notice?: string }) {
  const { data, filter } = props;
  const canEdit = roleAtLeast(props.ctx.caller.role, 'user');
  return (
    <Layout title="DAGs" ctx={props.ctx} live="dags">
      <h1>DAGs <span class="muted">({data.entries.length} of {data.total})</span></h1>
      {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
      <ImportErrorBanners rows={data.importErrors} dagsFolder={props.dagsFolder} />
      <form class="filters" method="get" action="/" role="search">
        <label>Search DAG id<input type="search" name="q" value={filter.q ?? ''} placeholder="dag id" /></label>
        <label>
          Tag
          <select name="tag">
            <option value="">any</option>
            {data.allTags.map((t) => <option value={t} selected={t === filter.tag}>{t}</option>)}
          </select>
        </label>
        <label>
          Last run
          <select name="state">
            <option value="">any</option>
            {RUN_STATES.map((s) => <option value={s} selected={s === filter.state}>{s}</option>)}
          </select>
        </label>
        <label>
          Paused
          <select name="paused">
            {(['all', 'active', 'paused'] as const).map((p) => <option value={p} selected={p === (filter.paused ?? 'all')}>{p}</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <table class="list responsive" id="dag-table">
        <thead>
          <tr><th>DAG</th><th>Owner</th><th>Schedule</th><th>Next run</th><th>Last run</th><th>Recent runs</th><th>Paused</th>{canEdit ? <th>Actions</th> : null}</tr>
        </thead>
        <tbody>
          {data.entries.map((e) => dagRow(e, canEdit))}
        </tbody>
      </table>
      {data.entries.length === 0 ? <p class="muted">No DAG matches these filters.</p> : null}
    </Layout>
  );
}
