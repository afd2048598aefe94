import { describe, expect, it } from 'vitest';
import { Store } from '../../../engine/state/store.js';
import { toChange } from '../../../engine/state/changes.js';
import { tempDir } from '../../support/tmp.js';

const key = { dagId: 'd', runId: 'r1', taskId: 't' };

function newStore(): Store {
  const store = Store.open(tempDir());
  store.db.prepare(`INSERT INTO dag (dag_id, fileloc) VALUES ('d', '/w/dags/d.yaml')`).run();
  return store;
}

function createRun(store: Store, runId = 'r1'): void {
  store.runs.create(
    { dagId: 'd', runId, runType: 'manual', logicalDate: new Date('2024-01-01T00:00:00Z'), dataIntervalStart: new Date('2024-01-01T00:00:00Z'),
      dataIntervalEnd: new Date('2024-01-01T00:00:00Z'), conf: {}, externalTrigger: true },
    [{ taskId: 't', operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 0 }],
  );
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
