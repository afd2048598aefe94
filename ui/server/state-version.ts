// Where the state database stands, as one string that moves with every commit: `PRAGMA data_version` moves when
// another connection (a scheduler, the CLI) commits, this connection's own total_changes() when it writes itself
// (https://www.sqlite.org/pragma.html#pragma_data_version). Read once per API request and shared by what keeps
// answers from memory until the database changes (the bearer identities, the DAG list): each read statement is
// a read transaction of its own, and those, not the queries, were most of a cached request's database time.
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../engine/state/db.js';

export type StateVersionEnv = { Variables: { stateVersion?: string } };

export function stateVersionReader(db: Db): () => string {
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const ownChanges = db.prepare('SELECT total_changes()').pluck();
  return () => `${dataVersion.get() as number}:${ownChanges.get() as number}`;
}

/** Reads the version before anything below answers: a commit while an answer is built leaves it under the older one. */
export function readStateVersion(db: Db): MiddlewareHandler<StateVersionEnv> {
  const read = stateVersionReader(db);
  return async (c, next) => {
    c.set('stateVersion', read());
    await next();
  };
}
