// The store on a database that cannot grow: SQLite's own SQLITE_FULL, made real with PRAGMA max_page_count (the
// database is full at its current size), reaches the caller as one StateDbError saying what is full and what to do,
// and tells the store's owner (the runner ends its command on it). The failed transaction leaves nothing behind.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../engine/state/store.js';
import { StateDbError } from '../../../engine/state/db-errors.js';
import { tempDir } from '../../support/tmp.js';

describe('the state store when the disk is full', () => {
  it('turns SQLITE_FULL into a StateDbError naming the file, tells its owner, and rolls the transaction back', () => {
    const home = tempDir();
    const store = Store.open(home);
    const told: StateDbError[] = [];
    store.onStorageFailure((e) => told.push(e));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    let thrown: unknown;
    try {
      store.tx(() => {
        for (let i = 0; i < 2000; i++) store.events.add({ event: 'filler', dagId: 'd', extra: { blob: 'x'.repeat(500), i } });
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StateDbError);
    const e = thrown as StateDbError;
    expect(e.fatal).toBe(true);
    expect(e.message).toBe(`cannot write the state database ${path.join(home, 'windsock.db')}: the disk is full (SQLITE_FULL)`);
    expect(e.hint).toBe(`free space on the disk holding ${home}, then run the command again (an interrupted run resumes where it stopped)`);
    expect(told).toEqual([e]);
    expect(store.db.prepare(`SELECT count(*) FROM log WHERE event = 'filler'`).pluck().get()).toBe(0);
    store.close();
  });

  it('leaves errors of our own code as they are (a bug stays a bug)', () => {
    const store = Store.open(tempDir());
    const told: unknown[] = [];
    store.onStorageFailure((e) => told.push(e));
    expect(() => store.tx(() => store.db.prepare('SELECT * FROM no_such_table').all())).toThrow(/no such table/);
    expect(() =>
      store.tx(() => {
        throw new TypeError('oops');
      }),
    ).toThrow(TypeError);
    expect(told).toEqual([]);
    store.close();
  });
});
