// /dags/{dag_id}/runs/{run_id}/tasks/{task_id}?try=N: one attempt's log. The try selector, the state, a wrap
// toggle (a checkbox and CSS, so it works without script), download, and paging by 256 KiB so a 50 MB log opens at
// once: links to the older and newer pages, and with script the pages above and below are fetched as the reader
// scrolls to them (ui/client/log-view.ts); while the attempt runs, the script appends new lines as they are written.
import type { TaskInstanceRow } from '../../../engine/state/rows.js';
import type { LogSlice } from './data/attempt-log.js';
import { Layout, StateBadge, type PageContext } from './layout.js';
import { dagHref, logHref, tiHref } from './hrefs.js';

export function logTextHref(ti: TaskInstanceRow, tryNumber: number, q: Record<string, string> = {}): string {
  const base = logHref(ti.dag_id, ti.run_id, ti.task_id);
  return `${base}/log.txt?${new URLSearchParams({ try: String(tryNumber), ...q })}`;
}

export function LogPage(props: { ctx: PageContext; ti: TaskInstanceRow; tryNumber: number; slice: LogSlice | null }) {
  const { ti, tryNumber, slice } = props;
  const tries = Array.from({ length: Math.max(ti.try_number, tryNumber, 1) }, (_, i) => i + 1);
  const atEnd = slice !== null && slice.to >= slice.size;
  return (
    <Layout title={`${ti.task_id} log`} ctx={props.ctx} live={`log:${ti.dag_id}`}>
      <p class="muted">
        <a href={dagHref(ti.dag_id)}>{ti.dag_id}</a> › <a href={tiHref(ti.dag_id, ti.run_id, ti.task_id)} class="mono">{ti.run_id}</a> › {ti.task_id}
      </p>
      <h1>
        Log of {ti.task_id}, try {tryNumber}{' '}
        <StateBadge state={tryNumber === ti.try_number ? ti.state : null} id={`log-state:${ti.run_id}:${ti.task_id}`} />
      </h1>
      <nav class="log-tools" aria-label="Tries">
        <span>Try:</span>
        {tries.map((n) => (
          <a href={logHref(ti.dag_id, ti.run_id, ti.task_id, n)} class={n === tryNumber ? 'button primary' : 'button'} aria-current={n === tryNumber ? 'page' : undefined}>{n}</a>
        ))}
      </nav>
      <input type="checkbox" id="wrap" />
      <label for="wrap"> Wrap lines</label>{' · '}
      <a href={logTextHref(ti, tryNumber, { download: '1' })} download>Download</a>
      {slice && slice.from > 0 ? <>{' · '}<a href={`${logHref(ti.dag_id, ti.run_id, ti.task_id, tryNumber)}&from=${Math.max(0, slice.from - 256 * 1024)}`}>« older lines</a></> : null}
      {slice && !atEnd ? <>{' · '}<a href={`${logHref(ti.dag_id, ti.run_id, ti.task_id, tryNumber)}&from=${slice.to}`}>newer lines »</a>{' · '}<a href={logHref(ti.dag_id, ti.run_id, ti.task_id, tryNumber)}>end</a></> : null}
      {slice ? (
        <span class="muted"> · bytes {slice.from}–{slice.to} of {slice.size}</span>
      ) : null}
      <pre
        class="log"
        id="log"
        tabindex={0}
        data-tail={atEnd || slice === null ? logTextHref(ti, tryNumber) : undefined}
        data-text={logTextHref(ti, tryNumber)}
        data-from={String(slice?.from ?? 0)}
        data-offset={String(slice?.to ?? 0)}
        data-size={String(slice?.size ?? 0)}
        data-run={ti.run_id}
        data-task={ti.task_id}
        data-try={String(tryNumber)}
        data-state={tryNumber === ti.try_number ? ti.state ?? 'none' : 'finished'}
      >
        {slice ? slice.text : ''}
      </pre>
      {slice === null ? <p class="muted" id="no-log">No log yet for this try{ti.try_number < tryNumber ? ': it has not started' : ''}.</p> : null}
    </Layout>
  );
}
