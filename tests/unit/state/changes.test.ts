import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../engine/state/store.js';
import { toChange } from '../../../engine/state/changes.js';
import { insertTaskInstances } from '../../../engine/state/dag-runs.js';
import { purgeDagRows } from '../../../engine/state/dag-purge.js';
import { MIGRATIONS } from '../../../engine/state/migrations.js';
import { stateDbPath } from '../../../engine/state/db.js';
import { deleteTaskInstance } from '../../../engine/service/delete-task-instance.js';
import { deleteVariable, setVariable } from '../../../engine/service/variables.js';
import { createUser } from '../../../engine/service/users.js';
import { tempDir } from '../../support/tmp.js';

const key = { dagId: 'd', runId: 'r1', taskId: 't' };

function newStore(): Store {
  const store = Store.open(tempDir());
  store.db.prepare(`INSERT INTO dag (dag_id, fileloc) VALUES ('d', '/w/dags/d.yaml')`).run();
  return store;
}

const task = (taskId: string) => ({ taskId, operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 0 });

function createRun(store: Store, runId = 'r1', tasks = ['t'], day = '2024-01-01'): void {
  const d = new Date(`${day}T00:00:00Z`);
  store.runs.create({ dagId: 'd', runId, runType: 'manual', logicalDate: d, dataIntervalStart: d, dataIntervalEnd: d, conf: {}, externalTrigger: true }, tasks.map(task));
}

const changes = (store: Store, after = 0) => store.changes.since(after).map(toChange);

describe('change table', () => {
  it('records a new run and each task instance transition, in commit order, with its try number', () => {
    const store = newStore();
    const start = store.changes.latestId();
    createRun(store);
    store.tis.queue(key, null);
    store.tis.start(key, { hostname: 'h', pid: 1, jobId: null });
    store.tis.heartbeat(1); // not a change anyone watches
    store.tis.finish(key, 'success');
    store.runs.setState('d', 'r1', 'success');
    const seen = changes(store, start).map((c) => [c.kind, c.op, c.task_id, c.state, c.try_number ?? null]);
    expect(seen).toEqual([
      ['dag_run', 'insert', null, 'queued', null],
      ['task_instance', 'update', 't', 'queued', 0],
      ['task_instance', 'update', 't', 'running', 1],
      ['task_instance', 'update', 't', 'success', 1],
      ['dag_run', 'update', null, 'success', null],
    ]);
    expect(changes(store, start)[4]).toMatchObject({ dag_id: 'd', run_id: 'r1', previous_state: 'queued', run_type: 'manual' });
    store.close();
  });

  it('records a pause only when the flag changes, and a run deletion', () => {
    const store = newStore();
    createRun(store);
    const start = store.changes.latestId();
    store.dags.setPaused('d', true);
    store.dags.setPaused('d', true);
    store.runs.delete('d', 'r1');
    expect(changes(store, start).map((c) => [c.kind, c.op, c.is_paused ?? null])).toEqual([
      ['dag', 'update', true],
      ['dag_run', 'delete', null],
    ]);
    store.close();
  });

  it('records import errors that appear, change or go away, and nothing for a parse that finds the same ones', () => {
    const store = newStore();
    const problem = (message: string) => ({ file: '/w/dags/a.yaml', line: 1, column: 1, message });
    const start = store.changes.latestId();
    store.importErrors.replace([problem('broken')], '/w/dags');
    const id = store.importErrors.list()[0].id;
    store.importErrors.replace([problem('broken')], '/w/dags');
    store.importErrors.replace([problem('broken differently')], '/w/dags');
    store.importErrors.replace([], '/w/dags');
    // the row kept its id across the update
    expect(changes(store, start).map((c) => [c.kind, c.op, c.filename, c.import_error_id])).toEqual([
      ['import_error', 'insert', '/w/dags/a.yaml', id],
      ['import_error', 'update', '/w/dags/a.yaml', id],
      ['import_error', 'delete', '/w/dags/a.yaml', id],
    ]);
    store.close();
  });

  it('records a task instance deleted or added back on its own, but a run made or deleted with its tasks as one change', () => {
    const store = newStore();
    const start = store.changes.latestId();
    createRun(store, 'r1', ['t', 'u', 'v']);
    store.tis.queue(key, null);
    deleteTaskInstance(store, { ...key, mapIndex: -1 }); // DELETE .../taskInstances/t
    insertTaskInstances(store.db, 'd', 'r1', [task('t')]); // the scheduler's verify_integrity adds it back
    store.runs.delete('d', 'r1');
    expect(changes(store, start).map((c) => [c.kind, c.op, c.task_id, c.state, c.previous_state ?? null])).toEqual([
      ['dag_run', 'insert', null, 'queued', null],
      ['task_instance', 'update', 't', 'queued', null],
      ['task_instance', 'delete', 't', null, 'queued'],
      ['task_instance', 'insert', 't', null, null],
      ['dag_run', 'delete', null, null, 'queued'],
    ]);
    expect(changes(store, start)[2]).toMatchObject({ dag_id: 'd', run_id: 'r1', map_index: -1, try_number: 0 });
    store.close();
  });

  it("records a DAG's deletion as its runs' deletions, not each task instance's", () => {
    const store = newStore();
    createRun(store, 'r1', ['t', 'u']);
    createRun(store, 'r2', ['t', 'u'], '2024-01-02');
    const start = store.changes.latestId();
    store.tx(() => purgeDagRows(store.db, 'd'));
    expect(changes(store, start).map((c) => [c.kind, c.op, c.run_id])).toEqual([
      ['dag_run', 'delete', 'r1'],
      ['dag_run', 'delete', 'r2'],
      ['dag', 'delete', null],
    ]);
    store.close();
  });

  it('records a backfill made, paused, unpaused and completed, with the state its Runs tab shows', () => {
    const store = newStore();
    const start = store.changes.latestId();
    const b = store.backfills.create({ dagId: 'd', from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-02T00:00:00Z'), conf: {}, reprocessBehavior: 'none', maxActiveRuns: 2 });
    store.backfills.setPaused(b.id, true);
    store.backfills.setPaused(b.id, true); // no change
    store.backfills.setPaused(b.id, false);
    store.backfills.complete(b.id);
    store.backfills.complete(b.id); // already complete: no change
    expect(changes(store, start).map((c) => [c.kind, c.op, c.dag_id, c.state, c.backfill_id, c.is_paused])).toEqual([
      ['backfill', 'insert', 'd', 'running', b.id, false],
      ['backfill', 'update', 'd', 'paused', b.id, true],
      ['backfill', 'update', 'd', 'running', b.id, false],
      ['backfill', 'update', 'd', 'completed', b.id, false],
    ]);
    expect(changes(store, start)[3].completed_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    store.close();
  });

  it('records a variable set, changed or deleted by its key, never its value', () => {
    const store = newStore();
    const start = store.changes.latestId();
    setVariable(store, { key: 'api_token', value: 'secret-1' });
    setVariable(store, { key: 'api_token', value: 'secret-1' }); // the same: no change
    setVariable(store, { key: 'api_token', value: 'secret-2' });
    deleteVariable(store, 'api_token');
    const seen = store.changes.since(start);
    expect(seen.map(toChange).map((c) => [c.kind, c.op, c.key])).toEqual([
      ['variable', 'insert', 'api_token'],
      ['variable', 'update', 'api_token'],
      ['variable', 'delete', 'api_token'],
    ]);
    expect(JSON.stringify(seen)).not.toContain('secret-');
    store.close();
  });

  it('records a user created, given another role or deleted, by name and role, never the password hash', async () => {
    const store = newStore();
    const start = store.changes.latestId();
    await createUser(store, { username: 'ann', role: 'viewer', password: 'ann-password' });
    const hash = store.users.get('ann')!.password_hash;
    store.db.prepare(`UPDATE user SET role = 'op' WHERE username = 'ann'`).run();
    store.users.setPassword('ann', 'another-hash');
    store.users.delete('ann');
    const seen = store.changes.since(start);
    expect(seen.map(toChange).map((c) => [c.kind, c.op, c.username, c.role ?? null])).toEqual([
      ['user', 'insert', 'ann', 'viewer'],
      ['user', 'update', 'ann', 'op'],
      ['user', 'delete', 'ann', null],
    ]);
    expect(JSON.stringify(seen)).not.toContain(hash);
    expect(JSON.stringify(seen)).not.toContain('another-hash');
    store.close();
  });

  it('upgrades a home database made before migration 11: its rows kept, the new changes recorded from then on', () => {
    const home = tempDir();
    const old = new Database(stateDbPath(home));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE migration (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.id <= 10)) {
      old.prepare('INSERT INTO migration (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, '2024-01-01T00:00:00Z');
      old.exec(m.sql);
    }
    // what an older windsock left: a run with its task instances (inserted after the run, as it did), a backfill
    old.exec(`INSERT INTO dag (dag_id) VALUES ('d');
      INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, state) VALUES ('d', 'r1', 'manual', '2024-01-01T00:00:00.000Z', 'running');
      INSERT INTO task_instance (dag_id, run_id, task_id, state) VALUES ('d', 'r1', 't', 'success'), ('d', 'r1', 'u', NULL);
      INSERT INTO backfill (dag_id, from_date, to_date, created_at, updated_at) VALUES ('d', '2024-01-01', '2024-01-02', '2024-01-01', '2024-01-01');`);
    const before = old.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get('change') as number;
    old.close();
    const store = Store.open(home);
    expect(store.db.prepare('SELECT max(id) FROM migration').pluck().get()).toBe(MIGRATIONS[MIGRATIONS.length - 1].id);
    expect(store.tis.get({ dagId: 'd', runId: 'r1', taskId: 't' })?.state).toBe('success');
    expect(store.changes.latestId()).toBe(before); // upgrading writes no change
    deleteTaskInstance(store, { dagId: 'd', runId: 'r1', taskId: 'u', mapIndex: -1 });
    store.backfills.setPaused(1, true);
    expect(changes(store, before).map((c) => [c.kind, c.op, c.task_id ?? c.backfill_id])).toEqual([
      ['task_instance', 'delete', 'u'],
      ['backfill', 'update', 1],
    ]);
    store.close();
  });

  it('writes no change for a transaction that rolls back', () => {
    const store = newStore();
    const start = store.changes.latestId();
    expect(() =>
      store.tx(() => {
        store.dags.setPaused('d', true);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(changes(store, start)).toEqual([]);
    store.close();
  });

  it('keeps about the last 100,000 changes and never reuses an id', () => {
    const store = newStore();
    store.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 101500)
                   INSERT INTO change (kind, op) SELECT 'pool', 'update' FROM n`);
    const latest = store.changes.latestId();
    const count = store.db.prepare('SELECT count(*) FROM change').pluck().get() as number;
    // trimmed by the thousand: between 100,000 and 101,000 rows stay
    expect(count).toBeLessThanOrEqual(101_000);
    expect(count).toBeGreaterThanOrEqual(100_000);
    expect(store.changes.oldestId()).toBe(latest - count + 1);
    store.db.exec('DELETE FROM change');
    store.dags.setPaused('d', true);
    expect(store.changes.since(0).map((r) => r.id)).toEqual([latest + 1]);
    store.close();
  });
});
