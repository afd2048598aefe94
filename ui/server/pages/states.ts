// How a state looks: Airflow 3's colours (airflow-core/src/airflow/ui/src/theme.ts, one semantic token per state) as
// CSS classes, plus a symbol and a title so a state can be told without colour. Bundled into the browser script
// too (no Node imports here), which patches cells when the change events say a state moved.
export const STATE_SYMBOLS: Record<string, string> = {
  success: '✓',
  failed: '✕',
  running: '▶',
  queued: '…',
  scheduled: '◷',
  up_for_retry: '↻',
  up_for_reschedule: '⟳',
  upstream_failed: '!',
  skipped: '»',
  restarting: '↺',
  deferred: '⏸',
  removed: '–',
  none: '·',
};

/** The states of a try still under way: the time it takes grows until it ends (the clock counts it on). */
export const UNDER_WAY: ReadonlySet<string> = new Set(['running', 'deferred']);

/** Pure: the CSS class of a state (`null` is Airflow's `none`). */
export function stateClass(state: string | null | undefined): string {
  const s = state ?? 'none';
  return `st st-${s in STATE_SYMBOLS ? s : 'none'}`;
}

export function stateSymbol(state: string | null | undefined): string {
  return STATE_SYMBOLS[state ?? 'none'] ?? STATE_SYMBOLS.none;
}

export function stateLabel(state: string | null | undefined): string {
  return (state ?? 'no status').replaceAll('_', ' ');
}

/** Pure: the state a group shows for a run, the most urgent of its members' (as Airflow's grid summarises groups). */
const URGENCY = ['failed', 'upstream_failed', 'up_for_retry', 'running', 'restarting', 'queued', 'scheduled', 'success', 'skipped', 'removed'];
export function groupState(states: (string | null)[]): string | null {
  let best: string | null = null;
  let rank = Infinity;
  for (const s of states) {
    const r = s === null ? URGENCY.length : URGENCY.indexOf(s);
    if (r >= 0 && r < rank) {
      rank = r;
      best = s;
    }
  }
  return best;
}

/** Airflow 3's solid colours (theme.ts, the 600 shade of each palette), for the stylesheet. */
export const STATE_COLORS: Record<string, string> = {
  success: 'oklch(0.47 0.20 149)',
  failed: 'oklch(0.577 0.245 27.325)',
  running: 'oklch(0.609 0.126 221.723)',
  queued: 'oklch(0.444 0.011 73.639)',
  scheduled: 'oklch(0.442 0.017 285.786)',
  up_for_retry: 'oklch(0.681 0.162 75.834)',
  up_for_reschedule: 'oklch(0.588 0.158 241.966)',
  upstream_failed: 'oklch(0.5902 0.198 35.93)',
  skipped: 'oklch(0.592 0.249 0.584)',
  restarting: 'oklch(0.541 0.281 293.009)',
  deferred: 'oklch(0.558 0.288 302.321)',
  removed: 'oklch(0.446 0.043 257.281)',
  none: 'oklch(0.45 0.055 251)',
};
