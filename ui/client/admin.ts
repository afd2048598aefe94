// The admin pages' one script: follows /api/windsock/events (the session cookie authenticates it) and patches what
// changed in place - grid cells, run bars and marks, state badges, pause switches - so no page needs a reload.
// Changes an event does not carry enough to draw (a new run, a run's state on a list of runs: its duration, a fixed
// DAG file, a try on the Gantt tab or in the task instance panel) refresh the region they touch from the server, in
// place.
// Also: arrow keys in the grid, collapsible task groups, the task instance panel without a page load, the log
// view (log-view.ts: the tail, and the slices above and below fetched as the reader scrolls), and what still runs
// counted on with the clock between changes (clock.ts: running runs' and tries' durations, running Gantt bars).
// The symbols and names are the server's own (one table for both sides).
import { STATE_SYMBOLS, UNDER_WAY, groupState, stateLabel } from '../server/pages/states.js';
import { startLog, tail } from './log-view.js';
import { startClocks } from './clock.js';

interface Change {
  id: number;
  kind: 'dag' | 'dag_run' | 'task_instance' | 'import_error' | 'pool' | 'backfill' | 'variable' | 'user';
  op: 'insert' | 'update' | 'delete';
  dag_id: string | null;
  run_id: string | null;
  task_id: string | null;
  state: string | null;
  is_paused?: boolean;
  try_number?: number;
}

const live = document.body.dataset.live ?? '';
const byId = (id: string) => document.getElementById(id);

function setState(el: Element | null, state: string | null): void {
  if (!el) return;
  const s = state ?? 'none';
  el.classList.forEach((c) => c.startsWith('st-') && el.classList.remove(c));
  el.classList.add('st', `st-${s in STATE_SYMBOLS ? s : 'none'}`);
  el.setAttribute('data-state', s);
}

function patchBadge(el: Element | null, state: string | null): void {
  if (!el) return;
  setState(el, state);
  el.setAttribute('title', stateLabel(state));
  el.replaceChildren(Object.assign(document.createElement('span'), { ariaHidden: 'true', textContent: STATE_SYMBOLS[state ?? 'none'] ?? '·' }), stateLabel(state));
}

// --- refreshing a region from the server (debounced), for changes that add or remove rows ---
// One pending refresh per region (its selector), so refreshes of different regions asked together all happen (one
// shared timer let the last cancel the others: a backfill and its runs on the Runs tab). Changes asked while a
// region's refresh waits join it (the timer is not pushed back, so a busy run cannot starve it). Within a region only
// the latest request may write: a newer one aborts the one before, and an answer that arrives after a newer request
// started is dropped. Across regions, an answer is also dropped when the region now holds content from a newer answer
// (an enclosing region replaced since this request started). Each outcome is told as a `windsock:refresh` event (for
// tests and other scripts).
/** Where only the latest fetch counts: its sequence number and the fetch still in flight. */
interface Latest {
  seq: number;
  abort: AbortController | null;
}

/**
 * Fetch `url` as request `seq` of `slot`: a fetch started before on the slot is aborted, and this one's answer is
 * null when a newer one has started since (or it failed), so a slow stale answer is never used.
 */
async function latestText(slot: Latest, seq: number, url: string): Promise<string | null> {
  slot.seq = seq;
  slot.abort?.abort();
  const abort = (slot.abort = new AbortController());
  try {
    const res = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin', signal: abort.signal });
    if (!res.ok || res.redirected) return null;
    const text = await res.text();
    return seq === slot.seq ? text : null;
  } catch {
    return null; // aborted by a newer fetch, or the server is away
  } finally {
    if (slot.abort === abort) slot.abort = null;
  }
}

interface Region extends Latest {
  url: string;
  timer?: number;
}
const regions = new Map<string, Region>();
/** The sequence number of the answer that put an element in the page (elements the page came with have none). */
const writtenBy = new WeakMap<Element, number>();
let refreshSeq = 0;
function refreshMain(url = location.href, selector = '#live-root'): void {
  let r = regions.get(selector);
  if (!r) regions.set(selector, (r = { url, seq: 0, abort: null }));
  r.url = url;
  if (r.timer === undefined) {
    r.timer = window.setTimeout(() => {
      r.timer = undefined;
      void refreshNow(r, selector);
    }, 120);
  }
}

function writtenAfter(el: Element, seq: number): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) if ((writtenBy.get(e) ?? 0) > seq) return true;
  return false;
}

/**
 * The parts of `old` that an answer newer than `seq` wrote (the task instance panel a click filled, an inner region
 * refreshed) while this region's answer was on its way: moved into `fresh` in place of the older copies it carries,
 * so the region's answer does not put back what the page already showed newer. Returns the parts kept.
 */
function keepNewer(old: Element, fresh: Element, seq: number): Element[] {
  const kept: Element[] = [];
  for (const el of old.querySelectorAll('[id]')) {
    if ((writtenBy.get(el) ?? 0) <= seq || kept.some((k) => k.contains(el))) continue;
    const stale = fresh.querySelector(`[id="${CSS.escape(el.id)}"]`);
    if (stale) {
      stale.replaceWith(el);
      kept.push(el);
    }
  }
  return kept;
}

/** The grid marks the cell of the task instance the panel shows (the region's answer marked the one it was asked for). */
function selectPanelCell(): void {
  const p = document.querySelector<HTMLElement>('[data-ti-panel]');
  document.querySelectorAll(`#grid ${CELL}[aria-selected]`).forEach((c) => c.removeAttribute('aria-selected'));
  if (p?.dataset.run && p.dataset.task) gridCell(p.dataset.run, p.dataset.task)?.setAttribute('aria-selected', 'true');
}

async function refreshNow(r: Region, selector: string): Promise<void> {
  const url = r.url;
  const seq = ++refreshSeq;
  let applied = false;
  try {
    const text = await latestText(r, seq, url);
    if (text === null) return; // the next change or resync refreshes again
    const fresh = new DOMParser().parseFromString(text, 'text/html').querySelector(selector);
    const old = document.querySelector(selector);
    if (fresh && old && !writtenAfter(old, seq)) {
      const focused = document.activeElement?.id;
      const kept = keepNewer(old, fresh, seq);
      old.replaceWith(fresh);
      writtenBy.set(fresh, seq);
      if (focused) byId(focused)?.focus();
      enhance();
      if (kept.some((el) => el.id === 'panel')) selectPanelCell();
      applied = true;
    }
  } finally {
    document.dispatchEvent(new CustomEvent('windsock:refresh', { detail: { url, selector, seq, applied } }));
  }
}

function gridFragmentUrl(dagId: string): string {
  const u = new URL(location.href);
  return `/dags/${encodeURIComponent(dagId)}/fragment/grid${u.search}`;
}

// --- applying one change ---
function apply(ch: Change): void {
  if (ch.kind === 'task_instance' && ch.run_id && ch.task_id) {
    const cell = gridCell(ch.run_id, ch.task_id);
    if (cell) {
      setState(cell, ch.state);
      // A deleted task instance's cell is drawn as the server draws a task the run does not have.
      cell.textContent = ch.op === 'delete' ? '' : STATE_SYMBOLS[ch.state ?? 'none'] ?? '·';
      cell.setAttribute('title', ch.op === 'delete' ? 'not in this run' : `${stateLabel(ch.state)}${(ch.try_number ?? 0) > 1 ? `, try ${ch.try_number}` : ''}`);
      patchGroupCell(cell);
    } else if (ch.op === 'insert' && live === `dag:${ch.dag_id}`) {
      scheduleGridRefresh(ch.dag_id!); // a task new to the DAG, added to a run: a row the grid does not have yet
    }
    // The task instance list gains or loses a row.
    if (live === 'tis' && ch.op !== 'update') refreshMain();
    // The Gantt tab draws the tries of its run: one started, finished or retried moves a bar.
    if (byId('gantt')?.dataset.run === ch.run_id) refreshMain(location.href, '#gantt');
    patchBadge(byId(`ts:${ch.dag_id}:${ch.run_id}:${ch.task_id}`), ch.state);
    if (byId('graph')?.dataset.run === ch.run_id) patchGraphNode(ch.task_id, ch.state);
    const panel = document.querySelector<HTMLElement>('[data-ti-panel]');
    // Run and task in attributes of their own: an HTML parser turns a NUL between them into U+FFFD (HTML's "unexpected-null-character").
    if (panel && panel.dataset.run === ch.run_id && panel.dataset.task === ch.task_id) {
      patchBadge(byId('panel-state'), ch.state);
      // A try that stopped running stops counting; its final duration (and a new try's row) come with the refresh.
      if (!UNDER_WAY.has(ch.state ?? '')) panel.querySelectorAll('[data-elapsed]').forEach((d) => d.removeAttribute('data-elapsed'));
      // Unless a click's panel is on its way: it is newer than what this change would refresh.
      if (!panelFetch.abort) void loadPanel(byId('grid')?.dataset.dag ?? ch.dag_id!, ch.run_id, ch.task_id);
    }
    const log = byId('log');
    if (log && log.dataset.run === ch.run_id && log.dataset.task === ch.task_id) {
      if (String(ch.try_number) === log.dataset.try) {
        log.dataset.state = ch.state ?? 'none';
        patchBadge(byId(`log-state:${ch.run_id}:${ch.task_id}`), ch.state);
        tail();
      }
    }
    return;
  }
  if (ch.kind === 'dag_run' && ch.dag_id && ch.run_id) {
    const mark = byId(`m:${ch.dag_id}:${ch.run_id}`);
    if (ch.op === 'update') {
      setState(mark, ch.state);
      if (mark) mark.setAttribute('title', `${ch.run_id}: ${stateLabel(ch.state)}`);
      const bar = runHeader(ch.run_id);
      if (bar) {
        bar.setAttribute('data-state', ch.state ?? 'none');
        setState(bar.querySelector('a'), ch.state);
      }
      patchBadge(byId(`rs:${ch.dag_id}:${ch.run_id}`), ch.state);
      // A run that stopped running stops counting; its final duration comes with the refresh of its list below.
      if (ch.state !== 'running') byId(`rd:${ch.dag_id}:${ch.run_id}`)?.removeAttribute('data-elapsed');
      const last = byId(`last:${ch.dag_id}`)?.querySelector('.badge');
      const marks = document.querySelector(`[data-marks="${CSS.escape(ch.dag_id)}"]`);
      if (last && marks?.lastElementChild === mark) patchBadge(last, ch.state);
    }
    if (live === `dag:${ch.dag_id}` && (ch.op !== 'update' || ['success', 'failed'].includes(ch.state ?? ''))) scheduleGridRefresh(ch.dag_id);
    // A backfill's runs moved (started, finished, failed by a cancel): its counts and state on the Runs tab.
    if (live === `dag:${ch.dag_id}` && byId('backfills')) refreshMain(location.href, '#backfills');
    // A list of runs gains or loses a row, or a run's duration starts, counts or ends with its state.
    if (live === `dag:${ch.dag_id}` && byId('dag-runs')) refreshMain(location.href, '#dag-runs');
    if (live === 'runs') refreshMain(location.href, '#runs-list');
    // The Gantt tab, unless a run is chosen, shows the latest run.
    if (live === `dag:${ch.dag_id}` && ch.op !== 'update' && byId('gantt') && !new URL(location.href).searchParams.has('run')) refreshMain(location.href, '#gantt');
    if (live === 'dags' && ch.op !== 'update') refreshMain();
    return;
  }
  if (ch.kind === 'dag' && ch.dag_id) {
    if (ch.op === 'update' && typeof ch.is_paused === 'boolean') {
      document.querySelectorAll<HTMLElement>(`[data-paused-of="${CSS.escape(ch.dag_id)}"]`).forEach((t) => patchPause(t, ch.is_paused!));
    }
    if (live === 'dags' && ch.op !== 'update') refreshMain();
    return;
  }
  if (ch.kind === 'import_error' && (live === 'dags' || live === 'import-errors')) refreshMain();
  if (ch.kind === 'pool' && live === 'pools') refreshMain();
  // A variable set or deleted elsewhere: the list, not the form (which may hold what the user is typing).
  if (ch.kind === 'variable' && live === 'variables') refreshMain(location.href, '#variable-list');
  if (ch.kind === 'user' && live === 'users') refreshMain();
  // Paused, unpaused, completed or started: the Runs tab's backfill table.
  if (ch.kind === 'backfill' && live === `dag:${ch.dag_id}` && byId('backfills')) refreshMain(location.href, '#backfills');
}

// --- finding a cell: the run of a column is on its header, the task of a row on the row ---
/** A grid cell: the link in a cell of the grid (no class of its own beyond its state's, to keep the page small). */
const CELL = 'td>a';
let columns: Map<string, number> | null = null;
function runHeader(runId: string): HTMLElement | null {
  return [...document.querySelectorAll<HTMLElement>('#grid th.bar')].find((th) => th.dataset.run === runId) ?? null;
}
function gridCell(runId: string, taskId: string): HTMLElement | null {
  const grid = byId('grid');
  if (!grid) return null;
  if (!columns) columns = new Map([...grid.querySelectorAll<HTMLElement>('th.bar')].map((th, i) => [th.dataset.run!, i + 1]));
  const col = columns.get(runId);
  const tr = grid.querySelector<HTMLTableRowElement>(`tr[data-task="${CSS.escape(taskId)}"]`);
  return col && tr ? tr.cells[col]?.querySelector<HTMLElement>(CELL) ?? null : null;
}
function cellRunTask(cell: HTMLElement): { run: string; task: string } | null {
  const td = cell.parentElement as HTMLTableCellElement;
  const task = (td.parentElement as HTMLTableRowElement).dataset.task;
  const run = document.querySelectorAll<HTMLElement>('#grid th.bar')[td.cellIndex - 1]?.dataset.run;
  return task && run ? { run, task } : null;
}
const stateOf = (el: Element | null | undefined): string | null => {
  const s = /\bst-([a-z_]+)/.exec(el?.className ?? '')?.[1] ?? 'none';
  return s === 'none' ? null : s;
};

/** A group's summary cell in the same column follows its members' cells. */
function patchGroupCell(cell: HTMLElement): void {
  const tr = cell.closest<HTMLTableRowElement>('tr[data-group]');
  if (!tr) return;
  const group = tr.dataset.group!;
  const col = (cell.parentElement as HTMLTableCellElement).cellIndex;
  const members = document.querySelectorAll<HTMLTableRowElement>(`tr[data-group="${CSS.escape(group)}"]`);
  const states = [...members].map((r) => stateOf(r.cells[col]?.querySelector(CELL)));
  const summary = document.querySelector(`tr[data-group-row="${CSS.escape(group)}"]`)?.children[col]?.querySelector(CELL);
  if (!summary) return;
  const s = groupState(states);
  setState(summary, s);
  summary.textContent = STATE_SYMBOLS[s ?? 'none'] ?? '·';
}

/** The Graph tab's node of a task (drawn by graph.ts) and its line in the script-less list follow its state. */
function patchGraphNode(taskId: string, state: string | null): void {
  const node = byId(`gn:${taskId}`);
  const rect = node?.querySelector('rect');
  const sym = node?.querySelector('tspan.sym');
  if (sym) sym.textContent = `${STATE_SYMBOLS[state ?? 'none'] ?? '·'} `;
  if (rect) {
    setState(rect, state);
    const title = rect.querySelector('title');
    if (title) title.textContent = `${taskId}: ${stateLabel(state)}`;
  }
  const item = byId(`gs:${taskId}`);
  if (item) {
    setState(item, state);
    item.setAttribute('title', stateLabel(state));
    const sym = item.querySelector('[aria-hidden]');
    if (sym) sym.textContent = STATE_SYMBOLS[state ?? 'none'] ?? '·';
  }
}

function patchPause(t: HTMLElement, paused: boolean): void {
  t.dataset.paused = String(paused);
  const sw = t.querySelector('.switch');
  sw?.setAttribute('aria-checked', String(!paused));
  const label = t.querySelector('.label');
  if (label) label.textContent = paused ? 'paused' : 'active';
  const next = t.querySelector<HTMLInputElement>('input[name=paused]');
  if (next) next.value = String(!paused);
  if (sw?.tagName === 'BUTTON') sw.setAttribute('title', paused ? 'Unpause' : 'Pause');
}

let gridTimer: number | undefined;
function scheduleGridRefresh(dagId: string): void {
  if (!byId('grid')) return;
  window.clearTimeout(gridTimer);
  gridTimer = window.setTimeout(() => refreshMain(gridFragmentUrl(dagId), '.grid-wrap'), 150);
}

// --- the event stream ---
function subscribe(): void {
  const params = new URLSearchParams();
  const m = /^(?:dag|log):(.+)$/.exec(live);
  if (m) params.append('dag_id', m[1]);
  // From the change the page was rendered after (EventSource sends Last-Event-ID itself when it reconnects).
  const after = document.body.dataset.eventsAfter;
  if (after) params.append('last_event_id', after);
  const es = new EventSource(`/api/windsock/events${params.size ? `?${params}` : ''}`);
  const onMessage = (e: MessageEvent) => {
    try {
      apply(JSON.parse(e.data) as Change);
    } catch {
      // a malformed event must not stop the others
    }
  };
  for (const kind of ['dag', 'dag_run', 'task_instance', 'import_error', 'pool', 'backfill', 'variable', 'user']) es.addEventListener(kind, onMessage);
  es.addEventListener('resync', () => refreshMain());
  es.addEventListener('open', () => document.documentElement.setAttribute('data-live', 'connected'));
}

// --- the grid: arrow keys, groups, the panel ---
function enhance(): void {
  startClocks();
  const grid = byId('grid');
  columns = null;
  if (grid && !grid.dataset.enhanced) {
    grid.dataset.enhanced = '1';
    grid.addEventListener('keydown', onGridKey);
    grid.addEventListener('click', onGridClick);
    // The cells are sent without titles (the page would be a fifth larger): a cell gets its state's name when
    // pointed at or focused.
    const titled = (e: Event) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>(CELL);
      if (cell && !cell.title) cell.title = stateLabel(stateOf(cell));
    };
    grid.addEventListener('mouseover', titled);
    grid.addEventListener('focusin', titled);
  }
}

function visibleRows(grid: HTMLElement): HTMLTableRowElement[] {
  return [...grid.querySelectorAll<HTMLTableRowElement>('tbody tr')].filter((r) => !r.hidden);
}

function onGridKey(e: KeyboardEvent): void {
  const cell = (e.target as HTMLElement).closest<HTMLAnchorElement>(CELL);
  const grid = e.currentTarget as HTMLElement;
  if (!cell) return;
  const td = cell.parentElement as HTMLTableCellElement;
  const tr = td.parentElement as HTMLTableRowElement;
  const rows = visibleRows(grid);
  let r = rows.indexOf(tr);
  let col = td.cellIndex;
  if (e.key === 'ArrowUp') r--;
  else if (e.key === 'ArrowDown') r++;
  else if (e.key === 'ArrowLeft') col--;
  else if (e.key === 'ArrowRight') col++;
  else if (e.key === 'Home') col = 1;
  else if (e.key === 'End') col = tr.cells.length - 1;
  else return;
  e.preventDefault();
  const target = rows[Math.max(0, Math.min(rows.length - 1, r))]?.cells[Math.max(1, col)]?.querySelector<HTMLElement>(CELL);
  target?.focus();
}

const panelFetch: Latest = { seq: 0, abort: null };
async function onGridClick(e: MouseEvent): Promise<void> {
  const toggle = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-group-toggle]');
  if (toggle) {
    const group = toggle.dataset.groupToggle!;
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? '▾' : '▸';
    document.querySelectorAll<HTMLTableRowElement>(`tr[data-group="${CSS.escape(group)}"]`).forEach((row) => (row.hidden = !open));
    return;
  }
  const cell = (e.target as HTMLElement).closest<HTMLAnchorElement>(`tr[data-task] ${CELL}`);
  const at = cell && cellRunTask(cell);
  if (!cell || !at || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  const shown = await loadPanel(byId('grid')!.dataset.dag!, at.run, at.task);
  if (!shown) return; // the cell stays a link to the full page
  document.querySelectorAll(`${CELL}[aria-selected]`).forEach((c) => c.removeAttribute('aria-selected'));
  cell.setAttribute('aria-selected', 'true');
  history.replaceState(null, '', `${location.pathname}?${new URLSearchParams({ run: at.run, task: at.task })}`);
}

/**
 * Fills the panel with the task instance (run, task) as the server draws it now: on a click, and when a change says
 * the one shown moved (its final duration, a new try's row). Only the latest request may fill it: a newer one aborts
 * the fetch before it, and an answer that still arrives for an older one is dropped, so a slow answer for cell A never
 * replaces cell B's panel. Each outcome is told as a `windsock:panel` event (for tests); true when it was shown.
 */
async function loadPanel(dagId: string, run: string, task: string): Promise<boolean> {
  // Numbered with the region refreshes, so an enclosing region's older answer does not undo it.
  const seq = ++refreshSeq;
  let applied = false;
  try {
    const text = await latestText(panelFetch, seq, `/dags/${encodeURIComponent(dagId)}/fragment/panel?${new URLSearchParams({ run, task })}`);
    const panel = text === null ? null : new DOMParser().parseFromString(text, 'text/html').querySelector('#panel');
    if (!panel) return false;
    byId('panel')?.replaceWith(panel);
    writtenBy.set(panel, seq);
    startClocks();
    return (applied = true);
  } finally {
    document.dispatchEvent(new CustomEvent('windsock:panel', { detail: { run, task, seq, applied } }));
  }
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'w' && byId('wrap') && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) {
    const w = byId('wrap') as HTMLInputElement;
    w.checked = !w.checked;
  }
});

enhance();
startLog();
subscribe();
(window as unknown as { windsockReady: boolean }).windsockReady = true;
