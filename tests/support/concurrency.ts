// Measuring how many things ran at once from a log of "start X" / "end X" lines appended by tasks.
import fs from 'node:fs';

/** A bash snippet that records the start and end of `label` around `body` in `file` (appends are atomic). */
export function traced(file: string, label: string, body: string): string {
  return `echo "start ${label}" >> ${file}; ${body}; echo "end ${label}" >> ${file}`;
}

export function maxConcurrency(file: string): number {
  let now = 0;
  let max = 0;
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
    now += line.startsWith('start ') ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}
