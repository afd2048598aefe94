// Attempt log lines as Airflow 3's StructuredLogMessage: windsock writes `[time] {LEVEL} message`, which becomes
// {timestamp, level, event}; any other line (a command's own output) is {event: line}.
import { apiDate } from './dates.js';

const LINE = /^\[(\d{4}-\d\d-\d\dT[^\]]+)\] \{([A-Z]+)\} ?(.*)$/s;

export interface StructuredLogMessage {
  event: string;
  timestamp?: string;
  level?: string;
}

export function structuredLine(line: string): StructuredLogMessage {
  const m = LINE.exec(line);
  const timestamp = m ? apiDate(m[1]) : null;
  if (!m || !timestamp) return { event: line };
  return { timestamp, level: m[2].toLowerCase(), event: m[3] };
}

/** The lines of a chunk that ends on a line break (or at the end of a finished log). */
export function structuredLines(text: string): StructuredLogMessage[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(structuredLine);
}
