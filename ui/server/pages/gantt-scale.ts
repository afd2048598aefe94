// The Gantt chart's geometry, shared by the server that draws it (gantt-tab.tsx) and the script that extends its
// running bars with the clock (ui/client/clock.ts): both place a time the same way.

export const GANTT = { row: 22, label: 200, width: 900, pad: 10 } as const;

/** Pure: the x of a time `ms` after the chart's start, on an axis `span` ms long. */
export function ganttX(ms: number, span: number): number {
  return GANTT.label + (ms / Math.max(span, 1000)) * (GANTT.width - GANTT.label - GANTT.pad);
}

/** Pure: a bar from `from` to `to` (ms after the chart's start), at least 2 px wide so a short try still shows. */
export function ganttBar(from: number, to: number, span: number): { x: number; width: number } {
  const x = ganttX(from, span);
  return { x, width: Math.max(2, ganttX(to, span) - x) };
}
