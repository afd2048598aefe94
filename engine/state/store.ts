// The state store: one SQLite database under WINDSOCK_HOME and a repository per table.
import { openDb, type Db } from './db.js';
import { sqliteCode, stateDbError, type StateDbError } from './db-errors.js';
import { DagRepo } from './dags.js';
import { DagRunRepo } from './dag-runs.js';
import { TaskInstanceRepo } from './task-instances.js';
import { XcomRepo } from './xcom.js';
import { ImportErrorRepo } from './import-errors.js';
import { EventLogRepo } from './event-log.js';
import { PoolRepo } from './pools.js';
import { JobRepo } from './jobs.js';
import { FolderParseRepo } from './folder-parses.js';
import { DagWarningRepo } from './dag-warnings.js';
import { ChangeRepo } from './changes.js';
import { UserRepo } from './users.js';
import { VariableRepo } from './variables.js';
import { BackfillRepo } from './backfills.js';

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
  private readonly failureListeners = new Set<(err: StateDbError) => void>();
  readonly dagWarnings: DagWarningRepo;
  readonly changes: ChangeRepo;
  readonly users: UserRepo;
  readonly variables: VariableRepo;
  readonly backfills: BackfillRepo;

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
    this.dagWarnings = new DagWarningRepo(db);
    this.changes = new ChangeRepo(db);
    this.users = new UserRepo(db);
    this.variables = new VariableRepo(db);
    this.backfills = new BackfillRepo(db);
  }

  static open(home: string): Store {
    return new Store(openDb(home));
  }

  private dataVersionStmt?: { get(): unknown };

  /**
   * SQLite's `PRAGMA data_version`: moves when another connection commits, never for this one's own commits
   * (https://www.sqlite.org/pragma.html#pragma_data_version). Equal to the last look: nobody else changed anything.
   */
  dataVersion(): number {
    return (this.dataVersionStmt ??= this.db.prepare('PRAGMA data_version').pluck()).get() as number;
  }

  /** Run `fn` in one transaction: everything it records is committed together, before the caller acts on it. */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw this.storageFailure(err);
    }
  }

  /**
   * Be told when the database can no longer record state (disk full, read-only, damaged): a process driving runs
   * must then stop rather than go on with work it cannot record. Returns the unsubscribe function.
   */
  onStorageFailure(listener: (err: StateDbError) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** A SQLite failure as the StateDbError a user can act on (listeners told when it is fatal); anything else as is. */
  storageFailure(err: unknown): unknown {
    if (sqliteCode(err) === undefined) return err;
    const e = stateDbError(err, this.db.name);
    if (!e) return err;
    if (e.fatal) for (const l of [...this.failureListeners]) l(e);
    return e;
  }

  close(): void {
    this.db.close();
  }
}

export type { TiKey } from './task-instances.js';
export * from './rows.js';
