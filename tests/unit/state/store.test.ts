import { describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../../engine/state/store.js';
import { migrate } from '../../../engine/state/db.js';
import { MIGRATIONS } from '../../../engine/state/migrations.js';
import { tempDir } from '../../support/tmp.js';

describe('state store', () => {
  it('creates the Airflow tables in WAL mode with default_pool at 128 slots', () => {
    const home = tempDir();
    const store = Store.open(home);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    for (const t of ['dag', 'dag_run', 'task_instance', 'xcom', 'import_error', 'log', 'slot_pool', 'job', 'migration']) expect(tables).toContain(t);
    expect(store.pools.list().map((p) => [p.pool, p.slots])).toEqual([['default_pool', 128]]);
    store.close();
  });

  it("pulls an XCom by key, or the most recent of any key when the key is null (Airflow's key=None)", () => {
    const store = Store.open(tempDir());
    store.xcom.push('d', 'r', 't', 'return_value', { rows: 3 });
    store.xcom.push('d', 'r', 't', 'summary', 'last');
    expect(store.xcom.pull('d', 'r', 't')).toEqual({ rows: 3 });
    expect(store.xcom.pull('d', 'r', 't', 'summary')).toBe('last');
    expect(store.xcom.pull('d', 'r', 't', null)).toBe('last');
    expect(store.xcom.pull('d', 'r', 'other', null)).toBeUndefined();
    store.close();
  });

  it("replaces the import errors of one DAGs folder only, not a sibling folder's", () => {
    const store = Store.open(tempDir());
    const problem = (file: string) => ({ file, line: 1, column: 1, message: 'broken' });
    store.importErrors.replace([problem('/w/dags2/a.yaml')], '/w/dags2');
    store.importErrors.replace([problem('/w/dags/b.yaml')], '/w/dags');
    store.importErrors.replace([], '/w/dags');
    expect(store.importErrors.list().map((e) => e.filename)).toEqual(['/w/dags2/a.yaml']);
    store.close();
  });

  it('applies each migration once, even when two connections migrate the same file', () => {
    const home = tempDir();
    const a = Store.open(home);
    const b = new Database(path.join(home, 'windsock.db'));
    migrate(b);
    expect(b.prepare('SELECT count(*) FROM migration').pluck().get()).toBe(MIGRATIONS.length);
    b.close();
    a.close();
  });

  it('creates a run with its task instances, clears it with a fresh set of retries', () => {
    const store = Store.open(tempDir());
    const t = (taskId: string) => ({ taskId, operator: 'bash', pool: 'default_pool', poolSlots: 1, priorityWeight: 1, maxTries: 2 });
    store.runs.create(
      { dagId: 'd', runId: 'r', runType: 'manual', logicalDate: new Date('2024-01-01T00:00:00Z'), dataIntervalStart: new Date('2024-01-01T00:00:00Z'),
        dataIntervalEnd: new Date('2024-01-02T00:00:00Z'), conf: { a: 1 }, externalTrigger: true },
      [t('x'), t('y')],
    );
    const k = { dagId: 'd', runId: 'r', taskId: 'x' };
    store.tis.start(k, { hostname: 'h', pid: 1, jobId: null });
    store.tis.finish(k, 'failed');
    expect(store.tis.get(k)).toMatchObject({ state: 'failed', try_number: 1, max_tries: 2 });
    store.runs.clear('d', 'r', () => 2);
    expect(store.tis.get(k)).toMatchObject({ state: null, try_number: 1, max_tries: 3 });
    expect(store.runs.get('d', 'r')).toMatchObject({ state: 'queued', clear_number: 1, conf: '{"a":1}' });
    expect(store.tis.history(k).map((h) => [h.try_number, h.state])).toEqual([[1, 'failed']]);
    store.close();
  });
});
