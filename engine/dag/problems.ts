// Collects every problem of a file (Dagu's habit: all errors at once, not the first one) with its line and column.
import type { ImportProblem } from '../types.js';
import type { Pos } from './located.js';

export class Problems {
  readonly list: ImportProblem[] = [];
  /** The same problem reached twice (e.g. a bad default_args value seen by every task) is reported once. */
  private readonly seen = new Set<string>();

  constructor(readonly file: string) {}

  /** Record a problem at `pos` (or at the top of the file when unknown). */
  add(pos: Pos | undefined, message: string, dagId?: string): void {
    const where = pos ? pos.src.linePos(pos.offset) : null;
    const p: ImportProblem = {
      file: pos ? pos.src.file : this.file,
      line: where?.line ?? null,
      column: where?.column ?? null,
      message,
    };
    if (dagId !== undefined) p.dagId = dagId;
    const key = `${dagId ?? ''}|${p.file}:${p.line}:${p.column}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(p);
  }

  get size(): number {
    return this.list.length;
  }
}
