// The Gantt chart's geometry, shared by the server that draws it (gantt-tab.tsx) and the script that extends its
// running bars with the clock (ui/client/clock.ts): both place a time the same way. Each task's bars are drawn on a
// track of TRACK units (an SVG viewBox) that the stylesheet stretches to the width there is, so the chart fits a
// phone as well as a wide screen without scrolling sideways.

export const GANTT = { track: 1000, bar: 14, minBar: 3 } as const;

/** Pure: the x of a time `ms` after the chart's start, on an axis `span` ms long (0 to GANTT.track). */
export function ganttX(ms: number, span: number): number {
  return (ms / Math.max(span, 1000)) * GANTT.track;
}

/** Pure: a bar from `from` to `to` (ms after the chart's start), at least GANTT.minBar wide so a short try still shows. */
export function ganttBar(from: number, to: number, span: number): { x: number; width: number } {
  const x = Math.min(ganttX(from, span), GANTT.track - GANTT.minBar);
  return { x, width: Math.max(GANTT.minBar, ganttX(to, span) - x) };
}
