// The Details tab: description, doc_md (sanitized Markdown), params, the DAG's settings, the settings its tasks
// share (what default_args gave them), and the next runs the scheduler will create.
import { raw } from 'hono/html';
import type { DagRow } from '../../../engine/state/rows.js';
import type { DagSpec } from '../../../engine/types.js';
import type { DagRunInfo } from '../../../engine/schedule/index.js';
import { renderMarkdown } from './markdown.js';
import { inZone, utc } from './format.js';
import { JsonBlock } from './json-block.js';

const TASK_SETTINGS: [keyof DagSpec['tasks'][number], string][] = [
  ['owner', 'owner'],
  ['retries', 'retries'],
  ['retryDelaySec', 'retry_delay (s)'],
  ['retryExponentialBackoff', 'retry_exponential_backoff'],
  ['executionTimeoutSec', 'execution_timeout (s)'],
  ['pool', 'pool'],
  ['triggerRule', 'trigger_rule'],
  ['dependsOnPast', 'depends_on_past'],
];

/** Pure: a task setting's value when every task has the same one, else `varies`. */
export function sharedSetting(spec: DagSpec, key: keyof DagSpec['tasks'][number]): string {
  const values = new Set(spec.tasks.map((t) => JSON.stringify(t[key] ?? null)));
  if (values.size === 0) return '';
  if (values.size > 1) return 'varies by task';
  const v = JSON.parse([...values][0]) as unknown;
  return v === null ? '' : String(v);
}


export function DetailsTab(props: { dag: DagRow; spec: DagSpec | undefined; next: DagRunInfo[] }) {
  const { dag, spec } = props;
  return (
    <div>
      <div class="card">
        <h2>Description</h2>
        <p>{dag.description || <span class="muted">none</span>}</p>
        {spec?.docMd ? (
          <>
            <h2>Documentation</h2>
            <div class="markdown" id="doc-md">{raw(renderMarkdown(spec.docMd))}</div>
          </>
        ) : null}
      </div>
      <div class="card">
        <h2>Settings</h2>
        <table class="list kv">
          <tbody>
            <tr><th>schedule</th><td>{dag.schedule_interval} <span class="muted">({dag.timetable_description})</span></td></tr>
            <tr><th>timezone</th><td>{dag.timezone}</td></tr>
            {spec ? (
              <>
                <tr><th>start_date</th><td>{spec.startDate ? utc(spec.startDate.toISOString()) : ''}</td></tr>
                <tr><th>end_date</th><td>{spec.endDate ? utc(spec.endDate.toISOString()) : ''}</td></tr>
                <tr><th>catchup</th><td>{String(spec.catchup)}</td></tr>
                <tr><th>max_active_runs</th><td>{spec.maxActiveRuns}</td></tr>
                <tr><th>max_active_tasks</th><td>{spec.maxActiveTasks}</td></tr>
                <tr><th>dagrun_timeout (s)</th><td>{spec.dagrunTimeoutSec ?? ''}</td></tr>
                <tr><th>tasks</th><td>{spec.tasks.length}</td></tr>
              </>
            ) : null}
            <tr><th>file</th><td class="mono">{dag.fileloc}</td></tr>
          </tbody>
        </table>
      </div>
      {spec ? (
        <div class="card">
          <h2>Default arguments <span class="muted">(as the tasks have them)</span></h2>
          <table class="list kv">
            <tbody>{TASK_SETTINGS.map(([k, label]) => <tr><th>{label}</th><td>{sharedSetting(spec, k)}</td></tr>)}</tbody>
          </table>
        </div>
      ) : null}
      <div class="card">
        <h2>Params</h2>
        {spec && Object.keys(spec.params).length ? (
          <table class="list kv">
            <tbody>{Object.entries(spec.params).map(([k, v]) => <tr><th class="mono">{k}</th><td><JsonBlock value={v} /></td></tr>)}</tbody>
          </table>
        ) : (
          <p class="muted">No params.</p>
        )}
      </div>
      <div class="card">
        <h2>Next runs</h2>
        {props.next.length ? (
          <table class="list">
            <thead><tr><th>Logical date</th><th>In {dag.timezone}</th><th>Data interval</th><th>Runs after</th></tr></thead>
            <tbody>
              {props.next.map((n) => (
                <tr>
                  <td>{utc(n.logicalDate.toISOString())}</td>
                  <td>{inZone(n.logicalDate.toISOString(), dag.timezone)}</td>
                  <td>{utc(n.dataInterval.start.toISOString())} – {utc(n.dataInterval.end.toISOString())}</td>
                  <td>{utc(n.runAfter.toISOString())}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">The scheduler creates no runs for this DAG (no schedule, or past its end date).</p>
        )}
      </div>
    </div>
  );
}
