// A backfill over a huge range (a mistyped --to) is refused at once instead of computing millions of runs silently.
// The --dry-run listing is a real `dag` process (10000 lines through a pipe); the refusals run in this process.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dag, workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { stateDb } from '../support/state.js';

const DAILY = `daily:
  schedule: "@daily"
  start_date: 2024-01-01
  catchup: false
  tasks:
    a: {operator: bash, bash_command: echo hi}
`;

describe('backfill over more than 10000 runs', () => {
  it('--dry-run lists the first 10000 and says the range is too large, exit 2', async () => {
    const ws = workspace({ 'daily.yaml': DAILY });
    const r = await dag(ws, ['backfill', 'daily', '--from', '2024-01-01', '--to', '9999-12-31', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(10_000);
    expect(r.stderr.trim()).toBe(
      'error: --from 2024-01-01 --to 9999-12-31 makes more than 10000 runs of daily, the most one backfill makes: narrow the range or split it into several backfills (the first 10000 are listed above)',
    );
  }, 240_000);

  it('without --dry-run it refuses before creating a run', async () => {
    const ws = workspace({ 'daily.yaml': DAILY });
    const r = await dagInProcess(ws, ['backfill', 'daily', '--from', '2024-01-01', '--to', '9999-12-31']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --from 2024-01-01 --to 9999-12-31 makes more than 10000 runs of daily/);
    if (fs.existsSync(path.join(ws.home, 'windsock.db'))) {
      const db = stateDb(ws.home);
      expect(db.prepare('SELECT count(*) FROM dag_run').pluck().get()).toBe(0);
      db.close();
    }
  }, 240_000);

  it('next-execution -n above 1000 is refused in one line', async () => {
    const ws = workspace({ 'daily.yaml': DAILY });
    const r = await dagInProcess(ws, ['next-execution', 'daily', '-n', '99999999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: -n 99999999 is not a whole number from 1 to 1000: pass e.g. -n 10\n');
  }, 240_000);
});
