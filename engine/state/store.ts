// The state store: one SQLite database under WINDSOCK_HOME and a repository per table.
import { openDb, type Db } from './db.js';
import { DagRepo } from './dags.js';
import { DagRunRepo } from './dag-runs.js';
import { TaskInstanceRepo } from './task-instances.js';
import { XcomRepo } from './xcom.js';
import { ImportErrorRepo } from './import-errors.js';
import { EventLogRepo } from './event-log.js';
import { PoolRepo } from './pools.js';
import { JobRepo } from './jobs.js';
import { FolderParseRepo } from './folder-parses.js';
import { UserRepo } from './users.js';

export class Store {
  readonly dags: DagRepo;
  readonly runs: DagRunRepo;
  readonly tis: TaskInstanceRepo;
  readonly xcom: XcomRepo;
  readonly importErrors: ImportErrorRepo;
  readonly events: EventLogRepo;
  readonly pools: PoolRepo;
  readonly jobs: JobRepo;
  readonly folderParses: FolderParseRepo;
  readonly users: UserRepo;

  constructor(readonly db: Db) {
    this.dags = new DagRepo(db);
    this.runs = new DagRunRepo(db);
    this.tis = new TaskInstanceRepo(db);
    this.xcom = new XcomRepo(db);
    this.importErrors = new ImportErrorRepo(db);
    this.events = new EventLogRepo(db);
    this.pools = new PoolRepo(db);
    this.jobs = new JobRepo(db);
    this.folderParses = new FolderParseRepo(db);
    this.users = new UserRepo(db);
  }

  static open(home: string): Store {
    return new Store(openDb(home));
  }

  /** Run `fn` in one transaction: everything it records is committed together, before the caller acts on it. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}

export type { TiKey } from './task-instances.js';
export * from './rows.js';
