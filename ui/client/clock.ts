// What still runs, counted on with the clock between two changes: the server draws it as of its render (a Runs tab
// duration "12 s so far", a running try's in the task instance panel, a Gantt bar up to the render), and the page
// would otherwise stand still until the next change event. Such a duration carries the seconds it stood for
// (`data-elapsed`); a Gantt chart with a running try carries its render time (`data-now`, ms after the chart's
// start) and each bar its times, so its running bars extend to now and the axis with them, as Airflow's Gantt extends
// a pending run to now (airflow-core/src/airflow/ui/src/layouts/Details/Gantt/utils.ts).
// One 1 s interval for all, started when something counts and stopped when nothing does. The bars step once a
// second rather than animate, so there is no motion for prefers-reduced-motion to calm.
import { duration } from '../server/pages/format.js';
import { ganttBar } from '../server/pages/gantt-scale.js';

/**
 * When the page got each counting element, on the browser's monotonic clock: the server sends how long things had
 * run, not when they started, so a browser clock set apart from the server's does not shift them.
 */
const seenAt = new WeakMap<Element, number>();
let timer: number | undefined;
const counting = () => document.querySelectorAll<HTMLElement>('[data-elapsed],.gantt-rows[data-now]');

/** Count what the page now shows: after its load, and after a region is replaced. */
export function startClocks(): void {
  const now = performance.now();
  const shown = counting();
  shown.forEach((el) => seenAt.has(el) || seenAt.set(el, now));
  if (shown.length && timer === undefined) timer = window.setInterval(tick, 1000);
}

function tick(): void {
  const shown = counting();
  if (!shown.length) {
    window.clearInterval(timer);
    timer = undefined;
    return;
  }
  const now = performance.now();
  for (const el of shown) {
    if (!seenAt.has(el)) seenAt.set(el, now);
    const since = now - seenAt.get(el)!;
    if (el.dataset.now !== undefined) extendGantt(el, Number(el.dataset.now) + since);
    else el.textContent = `${duration(Number(el.dataset.elapsed) + since / 1000)} so far`;
  }
}

/** Redraws a Gantt chart as of `now` (ms after its start): running bars end there, the axis ends there or later. */
function extendGantt(chart: HTMLElement, now: number): void {
  const bars = [...chart.querySelectorAll<SVGRectElement>('rect[data-from]')];
  const span = Math.max(now, 1000, ...bars.map((b) => Number(b.dataset.to ?? 0)));
  for (const b of bars) {
    const from = Number(b.dataset.from);
    const running = b.dataset.to === undefined;
    const { x, width } = ganttBar(from, running ? now : Number(b.dataset.to), span);
    b.setAttribute('x', x.toFixed(1));
    b.setAttribute('width', width.toFixed(1));
    const title = running ? b.querySelector('title') : null;
    if (title) title.textContent = title.textContent!.replace(/[^,]*$/, ` ${duration((now - from) / 1000)} so far`);
  }
  const total = chart.parentElement?.querySelector('[data-gantt-total]');
  if (total) total.textContent = `${duration(span / 1000)} so far`;
}
