// Backfill progress: a bar with runs and tasks done / total and an ETA on a terminal, plain lines otherwise.
import type { RunLoopEvents } from '../engine/run/run-loop.js';
import { FINISHED_STATES } from '../engine/types.js';


export class BackfillProgress {
  private runsDone = 0;
  private tasksDone = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;
  private lastDraw = 0;

  constructor(
    private readonly tasksPerRun: number,
    private readonly totalRuns: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    this.tty = out.isTTY === true;
  }

  events(): RunLoopEvents {
    return {
      taskState: (run, taskId, state) => {
        if (state && FINISHED_STATES.has(state)) {
          this.tasksDone++;
          if (!this.tty) this.out.write(`${new Date().toISOString()} ${run.run_id} ${taskId} ${state}\n`);
          this.draw();
        }
      },
    };
  }

  /** A run ended; `tasks` counts its tasks when they were not seen finishing (runs that were already done). */
  runDone(success: boolean, tasks: number): void {
    this.runsDone++;
    this.tasksDone += tasks;
    if (!this.tty) this.out.write(`runs ${this.runsDone}/${this.totalRuns} done${success ? '' : ' (one failed)'}\n`);
    this.draw(true);
  }

  private draw(force = false): void {
    if (!this.tty || (!force && Date.now() - this.lastDraw < 100)) return;
    this.lastDraw = Date.now();
    const total = this.totalRuns * this.tasksPerRun;
    const frac = total ? Math.min(1, this.tasksDone / total) : 1;
    const width = 30;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = frac > 0 && frac < 1 ? `ETA ${Math.ceil((elapsed / frac) * (1 - frac))}s` : '';
    this.out.write(`\r\x1b[2K[${bar}] runs ${this.runsDone}/${this.totalRuns}  tasks ${this.tasksDone}/${total}  ${eta}`);
  }

  finish(): void {
    if (this.tty) {
      this.draw(true);
      this.out.write('\n');
    }
  }
}
