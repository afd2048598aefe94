// The listing indexes of migration 10 serve the REST API's queries as written: SQLite uses an expression index
// only for the same expression text, so a change to RUN_AFTER_SQL or to the ORDER BY shape must keep these plans.
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../../engine/state/store.js';
import { RUN_AFTER_SQL } from '../../../ui/server/api/v2/shapes/dag-run.js';
import { orderBySql } from '../../../ui/server/paging.js';
import { tempDir } from '../../support/tmp.js';

const store = Store.open(tempDir());
afterAll(() => store.close());
const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array((sql.match(/\?/g) ?? []).length).fill('x')) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('listing indexes', () => {
  it('list runs newest first by run_after, of all DAGs or one, without sorting', () => {
    const order = orderBySql(['-run_after'], { run_after: RUN_AFTER_SQL, id: 'r.id' }, 'id');
    expect(plan(`SELECT r.* FROM dag_run r ORDER BY ${order} LIMIT 100`)).toMatch(/^SCAN r USING INDEX idx_dag_run_run_after$/);
    expect(plan(`SELECT r.* FROM dag_run r WHERE r.dag_id = ? ORDER BY ${order} LIMIT 100`)).toMatch(/^SEARCH r USING INDEX idx_dag_run_dag_run_after \(dag_id=\?\)$/);
  });

  it("list a run's task instances by map_index without sorting", () => {
    const order = orderBySql(['map_index'], { map_index: 'ti.map_index', id: 'ti.rowid' }, 'id');
    const p = plan(`SELECT ti.* FROM task_instance ti JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id WHERE ti.dag_id = ? AND ti.run_id = ? ORDER BY ${order} LIMIT 500`);
    expect(p).toContain('USING INDEX idx_ti_run_map_index');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('still put nulls last in both directions', () => {
    store.db.exec(`INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, state, start_date) VALUES
      ('d', 'a', 'manual', '2024-01-01', 'success', '2024-01-02'), ('d', 'b', 'manual', '2024-01-02', 'queued', NULL), ('d', 'c', 'manual', '2024-01-03', 'success', '2024-01-01')`);
    const ids = (key: string) => store.db.prepare(`SELECT run_id FROM dag_run r ORDER BY ${orderBySql([key], { start_date: 'r.start_date', id: 'r.id' }, 'id')}`).pluck().all();
    expect(ids('start_date')).toEqual(['c', 'a', 'b']);
    expect(ids('-start_date')).toEqual(['a', 'c', 'b']);
  });
});
