// Collects every problem of a file (Dagu's habit: all errors at once, not the first one) with its line and column.
// Bounded: each message is one line of at most MAX_MESSAGE_LENGTH characters, and a file reports at most
// MAX_PROBLEMS_PER_FILE problems, so a hostile or hopeless file cannot flood the output or the import_error table.
import type { ImportProblem } from '../types.js';
import { excerpt } from './excerpt.js';
import { MAX_MESSAGE_LENGTH, MAX_PROBLEMS_PER_FILE } from './limits.js';
import type { Pos } from './located.js';

export class Problems {
  readonly list: ImportProblem[] = [];
  /** The same problem reached twice (e.g. a bad default_args value seen by every task) is reported once. */
  private readonly seen = new Set<string>();
  /** Distinct problems recorded, those past the cap included. */
  private count = 0;

  constructor(readonly file: string) {}

  /** Record a problem at `pos` (or at the top of the file when unknown). */
  add(pos: Pos | undefined, message: string, dagId?: string): void {
    const where = pos ? pos.src.linePos(pos.offset) : null;
    const p: ImportProblem = {
      file: pos ? pos.src.file : this.file,
      line: where?.line ?? null,
      column: where?.column ?? null,
      message: excerpt(message, MAX_MESSAGE_LENGTH),
    };
    if (dagId !== undefined) p.dagId = dagId;
    const key = `${dagId ?? ''}|${p.file}:${p.line}:${p.column}:${p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.count++;
    if (this.list.length < MAX_PROBLEMS_PER_FILE) {
      this.list.push(p);
      return;
    }
    const more = `... and ${this.count - MAX_PROBLEMS_PER_FILE} more problem(s) in this file: fix the ones above, then run \`dag validate\` again`;
    const last = this.list[MAX_PROBLEMS_PER_FILE];
    if (last) last.message = more;
    else this.list.push({ file: this.file, line: null, column: null, message: more });
  }

  /** How many distinct problems were recorded (can exceed the listed ones). */
  get size(): number {
    return this.count;
  }
}
