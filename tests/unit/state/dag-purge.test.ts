// Deleting a DAG's rows finds every table with a dag_id column from the schema, so tables that later migrations add
// are covered too, whatever foreign keys they hold between them; the audit log and other DAGs keep their rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../engine/state/store.js';
import { purgeDagRows, tablesWithDagId } from '../../../engine/state/dag-purge.js';
import { tempDir } from '../../support/tmp.js';

let store: Store;
beforeAll(() => {
  store = Store.open(tempDir());
  // as a later migration might add them: a parent table, and rows pointing at it
  store.db.exec(`CREATE TABLE later_parent (id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL);
                 CREATE TABLE bf_run (id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL, backfill_id INTEGER NOT NULL REFERENCES later_parent (id));`);
});
afterAll(() => store.close());

describe('purgeDagRows', () => {
  it('covers the tables with a dag_id but the audit log, the change feed and jobs', () => {
    const tables = tablesWithDagId(store.db);
    expect(tables).toEqual(expect.arrayContaining(['backfill', 'later_parent', 'bf_run', 'dag', 'dag_run', 'dag_warning', 'task_instance', 'task_instance_history', 'xcom']));
    expect(tables).not.toContain('log');
    expect(tables).not.toContain('change');
    expect(tables).not.toContain('job');
  });

  it("deletes one DAG's rows in any table order, foreign keys between them included, and leaves the others", () => {
    for (const dag of ['gone', 'kept']) {
      store.db.prepare(`INSERT INTO dag (dag_id) VALUES (?)`).run(dag);
      const bf = store.db.prepare(`INSERT INTO later_parent (dag_id) VALUES (?)`).run(dag).lastInsertRowid;
      store.db.prepare(`INSERT INTO bf_run (dag_id, backfill_id) VALUES (?, ?)`).run(dag, bf);
      store.events.add({ event: 'note', dagId: dag });
    }
    const rows = store.tx(() => purgeDagRows(store.db, 'gone'));
    expect(rows).toBe(3);
    const count = (table: string, dag: string) => store.db.prepare(`SELECT count(*) FROM ${table} WHERE dag_id = ?`).pluck().get(dag);
    for (const t of ['dag', 'later_parent', 'bf_run']) {
      expect(count(t, 'gone')).toBe(0);
      expect(count(t, 'kept')).toBe(1);
    }
    expect(count('log', 'gone')).toBe(1);
  });
});
