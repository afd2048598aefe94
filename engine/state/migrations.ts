// Numbered migrations, applied in order at start. Each runs in a transaction that inserts its `migration` row first,
// so two processes migrating the same database at once collide on the primary key instead of both applying it.
// Table and column names follow Airflow's metadata database; times are UTC ISO 8601 strings (sortable as text).

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE dag (
  dag_id TEXT PRIMARY KEY,
  is_paused INTEGER NOT NULL DEFAULT 0,
  is_active INTEGER NOT NULL DEFAULT 1,
  fileloc TEXT,
  owners TEXT,
  description TEXT,
  schedule_interval TEXT,
  timetable_description TEXT,
  timezone TEXT,
  max_active_runs INTEGER,
  max_active_tasks INTEGER,
  has_import_errors INTEGER NOT NULL DEFAULT 0,
  last_parsed_time TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  next_dagrun TEXT,
  next_dagrun_data_interval_start TEXT,
  next_dagrun_data_interval_end TEXT,
  next_dagrun_create_after TEXT
);

CREATE TABLE dag_run (
  id INTEGER PRIMARY KEY,
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_type TEXT NOT NULL,
  logical_date TEXT NOT NULL,
  data_interval_start TEXT,
  data_interval_end TEXT,
  state TEXT NOT NULL,
  queued_at TEXT,
  start_date TEXT,
  end_date TEXT,
  external_trigger INTEGER NOT NULL DEFAULT 0,
  conf TEXT NOT NULL DEFAULT '{}',
  last_scheduling_decision TEXT,
  clear_number INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  updated_at TEXT,
  UNIQUE (dag_id, run_id),
  UNIQUE (dag_id, logical_date)
);
CREATE INDEX idx_dag_run_state ON dag_run (state, dag_id);

CREATE TABLE task_instance (
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  map_index INTEGER NOT NULL DEFAULT -1,
  state TEXT,
  try_number INTEGER NOT NULL DEFAULT 0,
  max_tries INTEGER NOT NULL DEFAULT 0,
  start_date TEXT,
  end_date TEXT,
  duration REAL,
  hostname TEXT,
  unixname TEXT,
  pid INTEGER,
  job_id INTEGER,
  pool TEXT NOT NULL DEFAULT 'default_pool',
  pool_slots INTEGER NOT NULL DEFAULT 1,
  queue TEXT NOT NULL DEFAULT 'default',
  priority_weight INTEGER NOT NULL DEFAULT 1,
  operator TEXT,
  queued_dttm TEXT,
  queued_by_job_id INTEGER,
  next_retry_at TEXT,
  last_heartbeat_at TEXT,
  updated_at TEXT,
  PRIMARY KEY (dag_id, run_id, task_id, map_index)
);
CREATE INDEX idx_ti_state ON task_instance (state, pool);
CREATE INDEX idx_ti_dag_state ON task_instance (dag_id, state);

CREATE TABLE task_instance_history (
  id INTEGER PRIMARY KEY,
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  map_index INTEGER NOT NULL DEFAULT -1,
  try_number INTEGER NOT NULL,
  state TEXT,
  start_date TEXT,
  end_date TEXT,
  duration REAL,
  hostname TEXT,
  pid INTEGER,
  job_id INTEGER
);
CREATE INDEX idx_tih_ti ON task_instance_history (dag_id, run_id, task_id);

CREATE TABLE xcom (
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  map_index INTEGER NOT NULL DEFAULT -1,
  key TEXT NOT NULL,
  value TEXT,
  timestamp TEXT NOT NULL,
  PRIMARY KEY (dag_id, run_id, task_id, map_index, key)
);

CREATE TABLE import_error (
  id INTEGER PRIMARY KEY,
  timestamp TEXT NOT NULL,
  filename TEXT NOT NULL,
  stacktrace TEXT NOT NULL,
  processor_subdir TEXT
);
CREATE INDEX idx_import_error_file ON import_error (filename);

CREATE TABLE log (
  id INTEGER PRIMARY KEY,
  dttm TEXT NOT NULL,
  dag_id TEXT,
  task_id TEXT,
  map_index INTEGER,
  event TEXT NOT NULL,
  execution_date TEXT,
  run_id TEXT,
  owner TEXT,
  try_number INTEGER,
  extra TEXT
);

CREATE TABLE slot_pool (
  id INTEGER PRIMARY KEY,
  pool TEXT NOT NULL UNIQUE,
  slots INTEGER NOT NULL,
  description TEXT,
  include_deferred INTEGER NOT NULL DEFAULT 0
);
INSERT INTO slot_pool (pool, slots, description) VALUES ('default_pool', 128, 'Default pool');

CREATE TABLE job (
  id INTEGER PRIMARY KEY,
  dag_id TEXT,
  state TEXT NOT NULL,
  job_type TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  latest_heartbeat TEXT NOT NULL,
  executor_class TEXT,
  hostname TEXT,
  unixname TEXT,
  pid INTEGER
);
CREATE INDEX idx_job_type_state ON job (job_type, state);
`,
  },
  {
    id: 2,
    name: 'last DAGs folder parse',
    // The fingerprint of the folder the `dag` and `import_error` tables were last synced from, so listings can answer
    // from the tables without parsing when nothing changed (Airflow's serialized DAG table plays this part).
    sql: `
CREATE TABLE dag_folder_parse (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  signature TEXT NOT NULL,
  parsed_at TEXT NOT NULL
);
`,
  },
  {
    id: 3,
    name: 'DAG warnings',
    // Airflow's dag_warning table: problems that do not stop a DAG from loading but stop it from running as written
    // (warning_type 'nonexistent pool': a task uses a pool that does not exist, so it would wait forever).
    sql: `
CREATE TABLE dag_warning (
  dag_id TEXT NOT NULL,
  warning_type TEXT NOT NULL,
  message TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  PRIMARY KEY (dag_id, warning_type)
);
`,
  },
  {
    id: 4,
    name: 'run drivers and interrupted attempts',
    // Which job drives a run (claimed atomically, so two processes never drive one run), why a queued run is still
    // waiting, and how many attempts in a row were interrupted by their runner dying (so a task that kills its own
    // runner is not retried forever). Airflow records a task instance's owner (queued_by_job_id / job_id); a whole
    // run needs one owner here because `dag run`, `dag backfill` and the scheduler all drive runs.
    sql: `
ALTER TABLE dag_run ADD COLUMN driver_job_id INTEGER;
ALTER TABLE dag_run ADD COLUMN waiting_reason TEXT;
ALTER TABLE task_instance ADD COLUMN interrupted_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task_instance ADD COLUMN refunded_tries INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    id: 5,
    name: 'change feed',
    // One row per change a watcher may want to hear about (the web server's event stream), written by triggers in the
    // same transaction as the change itself, so every write path is covered, whichever process commits it. The
    // AUTOINCREMENT id never goes back, even after trimming, so it doubles as the stream's resume cursor.
    sql: `
CREATE TABLE change (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  kind TEXT NOT NULL,
  op TEXT NOT NULL,
  dag_id TEXT,
  run_id TEXT,
  task_id TEXT,
  state TEXT,
  payload TEXT NOT NULL DEFAULT '{}'
);

-- Keep the last 100,000 changes (and up to 1,000 more): every 1,000th insert drops the oldest 1,000.
CREATE TRIGGER change_trim AFTER INSERT ON change WHEN NEW.id % 1000 = 0 BEGIN
  DELETE FROM change WHERE id <= NEW.id - 100000;
END;

CREATE TRIGGER change_dag_run_insert AFTER INSERT ON dag_run BEGIN
  INSERT INTO change (kind, op, dag_id, run_id, state, payload)
  VALUES ('dag_run', 'insert', NEW.dag_id, NEW.run_id, NEW.state,
          json_object('run_type', NEW.run_type, 'logical_date', NEW.logical_date, 'clear_number', NEW.clear_number));
END;
CREATE TRIGGER change_dag_run_state AFTER UPDATE OF state ON dag_run WHEN OLD.state IS NOT NEW.state BEGIN
  INSERT INTO change (kind, op, dag_id, run_id, state, payload)
  VALUES ('dag_run', 'update', NEW.dag_id, NEW.run_id, NEW.state,
          json_object('previous_state', OLD.state, 'run_type', NEW.run_type, 'logical_date', NEW.logical_date,
                      'clear_number', NEW.clear_number));
END;
CREATE TRIGGER change_dag_run_delete AFTER DELETE ON dag_run BEGIN
  INSERT INTO change (kind, op, dag_id, run_id, state, payload)
  VALUES ('dag_run', 'delete', OLD.dag_id, OLD.run_id, NULL, json_object('previous_state', OLD.state));
END;

-- Task instances are created with their run (the dag_run insert says so) and deleted with it; what changes between
-- is the state and, when an attempt starts, the try number.
CREATE TRIGGER change_task_instance_state AFTER UPDATE OF state, try_number ON task_instance
WHEN OLD.state IS NOT NEW.state OR OLD.try_number IS NOT NEW.try_number BEGIN
  INSERT INTO change (kind, op, dag_id, run_id, task_id, state, payload)
  VALUES ('task_instance', 'update', NEW.dag_id, NEW.run_id, NEW.task_id, NEW.state,
          json_object('previous_state', OLD.state, 'map_index', NEW.map_index, 'try_number', NEW.try_number,
                      'max_tries', NEW.max_tries));
END;

CREATE TRIGGER change_dag_insert AFTER INSERT ON dag BEGIN
  INSERT INTO change (kind, op, dag_id, payload)
  VALUES ('dag', 'insert', NEW.dag_id, json_object('is_paused', json(iif(NEW.is_paused, 'true', 'false')),
          'is_active', json(iif(NEW.is_active, 'true', 'false')),
          'has_import_errors', json(iif(NEW.has_import_errors, 'true', 'false'))));
END;
CREATE TRIGGER change_dag_update AFTER UPDATE OF is_paused, is_active, has_import_errors ON dag
WHEN OLD.is_paused IS NOT NEW.is_paused OR OLD.is_active IS NOT NEW.is_active OR OLD.has_import_errors IS NOT NEW.has_import_errors BEGIN
  INSERT INTO change (kind, op, dag_id, payload)
  VALUES ('dag', 'update', NEW.dag_id, json_object('is_paused', json(iif(NEW.is_paused, 'true', 'false')),
          'is_active', json(iif(NEW.is_active, 'true', 'false')),
          'has_import_errors', json(iif(NEW.has_import_errors, 'true', 'false'))));
END;
CREATE TRIGGER change_dag_delete AFTER DELETE ON dag BEGIN
  INSERT INTO change (kind, op, dag_id) VALUES ('dag', 'delete', OLD.dag_id);
END;

CREATE TRIGGER change_import_error_insert AFTER INSERT ON import_error BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('import_error', 'insert', json_object('import_error_id', NEW.id, 'filename', NEW.filename));
END;
CREATE TRIGGER change_import_error_update AFTER UPDATE OF stacktrace ON import_error WHEN OLD.stacktrace IS NOT NEW.stacktrace BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('import_error', 'update', json_object('import_error_id', NEW.id, 'filename', NEW.filename));
END;
CREATE TRIGGER change_import_error_delete AFTER DELETE ON import_error BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('import_error', 'delete', json_object('import_error_id', OLD.id, 'filename', OLD.filename));
END;

CREATE TRIGGER change_pool_insert AFTER INSERT ON slot_pool BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('pool', 'insert', json_object('pool', NEW.pool, 'slots', NEW.slots));
END;
CREATE TRIGGER change_pool_update AFTER UPDATE ON slot_pool BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('pool', 'update', json_object('pool', NEW.pool, 'slots', NEW.slots));
END;
CREATE TRIGGER change_pool_delete AFTER DELETE ON slot_pool BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('pool', 'delete', json_object('pool', OLD.pool));
END;
`,
  },
  {
    id: 6,
    name: 'web users and revoked tokens',
    // Airflow 3's simple auth manager keeps users in a file; windsock keeps them here, with a role
    // (viewer < user < op < admin) and an scrypt hash. A token revoked at logout stays listed until it expires
    // (Airflow 3.2's revoked_token table, CVE-2025-57735).
    sql: `
CREATE TABLE user (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'user', 'op', 'admin')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE revoked_token (
  jti TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
);
CREATE INDEX idx_revoked_token_expiry ON revoked_token (expires_at);
`,
  },
  {
    id: 7,
    name: 'who triggered a run, run and task instance notes',
    // Airflow 3's dag_run.triggered_by (DagRunTriggeredByType: cli, rest_api, timetable, backfill, test, ...) and
    // triggering_user_name; the note a user may put on a task instance (dag_run.note exists since migration 1).
    // has_logical_date = 0 for a run triggered through the API with `logical_date: null` (Airflow 3 allows such
    // runs): windsock still runs it for a date (its run_after, kept in logical_date), but answers logical_date null.
    sql: `
ALTER TABLE dag_run ADD COLUMN triggered_by TEXT;
ALTER TABLE dag_run ADD COLUMN triggering_user_name TEXT;
ALTER TABLE dag_run ADD COLUMN has_logical_date INTEGER NOT NULL DEFAULT 1;
UPDATE dag_run SET triggered_by = CASE run_type WHEN 'scheduled' THEN 'timetable' WHEN 'backfill' THEN 'backfill' ELSE 'cli' END;
ALTER TABLE task_instance ADD COLUMN note TEXT;
`,
  },
  {
    id: 8,
    name: 'variables',
    // Airflow's `variable` table: the metastore behind {{ var.value.x }} / {{ var.json.x }} and /api/v2/variables.
    // Values are kept as given (is_encrypted stays 0: there is no Fernet key); environment variables
    // (AIRFLOW_VAR_*, WINDSOCK_VAR_*) are read before it, as Airflow's secrets backends are.
    sql: `
CREATE TABLE variable (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  val TEXT NOT NULL,
  description TEXT,
  is_encrypted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    id: 9,
    name: 'backfills',
    // Airflow 3's `backfill` table (airflow/models/backfill.py) and dag_run.backfill_id: a backfill made by the API
    // or `dag backfill` is a row; its runs point at it; the scheduler drives the queued ones within its
    // max_active_runs while it is not paused, and sets completed_at when none is left unfinished.
    sql: `
CREATE TABLE backfill (
  id INTEGER PRIMARY KEY,
  dag_id TEXT NOT NULL,
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  dag_run_conf TEXT NOT NULL DEFAULT '{}',
  is_paused INTEGER NOT NULL DEFAULT 0,
  reprocess_behavior TEXT NOT NULL DEFAULT 'none' CHECK (reprocess_behavior IN ('none', 'failed', 'completed')),
  max_active_runs INTEGER NOT NULL DEFAULT 10,
  triggering_user_name TEXT,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX idx_backfill_dag ON backfill (dag_id, completed_at);
ALTER TABLE dag_run ADD COLUMN backfill_id INTEGER REFERENCES backfill (id);
CREATE INDEX idx_dag_run_backfill ON dag_run (backfill_id, state);
`,
  },
  {
    id: 10,
    name: 'listing indexes: runs by run_after, a run\'s task instances by map_index',
    // The REST API and the UI list runs newest first by run_after (Airflow 3's default sort for the runs pages):
    // without these a page of 100 sorts every run. The expression is the API's run_after (ui/server/api/v2/shapes/
    // dag-run.ts, RUN_AFTER_SQL) and must stay the same text for SQLite to use the index. A run's task instances are
    // listed by map_index (then insertion order, which the index carries as its rowid) without sorting wide rows.
    sql: `
CREATE INDEX idx_dag_run_run_after ON dag_run ((CASE WHEN run_type IN ('scheduled', 'backfill') THEN coalesce(data_interval_end, logical_date) ELSE logical_date END), id);
CREATE INDEX idx_dag_run_dag_run_after ON dag_run (dag_id, (CASE WHEN run_type IN ('scheduled', 'backfill') THEN coalesce(data_interval_end, logical_date) ELSE logical_date END), id);
CREATE INDEX idx_ti_run_map_index ON task_instance (dag_id, run_id, map_index);
`,
  },
  {
    id: 11,
    name: 'change feed: task instances added or deleted on their own, backfills, variables, users',
    // Migration 5 left out task instance inserts and deletes (they came and went with their run) and the backfill
    // table, so a task instance deleted through the API, one the scheduler adds back (verify_integrity), and a
    // backfill paused, unpaused or completed never reached an open page; nor did a variable set or deleted (its key
    // only: values may be secrets, and the events route sends variable changes to op and admin users only), nor a
    // user created, given another role or deleted (name and role, never the hash; sent to admins only). A task instance's insert or delete is a
    // change only while its run exists: the store inserts a new run's task instances before the run row and deletes
    // a run's row before its task instances (engine/state/dag-runs.ts), so a run's creation or deletion stays one
    // change, not one per task.
    sql: `
CREATE TRIGGER change_task_instance_insert AFTER INSERT ON task_instance
WHEN EXISTS (SELECT 1 FROM dag_run WHERE dag_id = NEW.dag_id AND run_id = NEW.run_id) BEGIN
  INSERT INTO change (kind, op, dag_id, run_id, task_id, state, payload)
  VALUES ('task_instance', 'insert', NEW.dag_id, NEW.run_id, NEW.task_id, NEW.state,
          json_object('map_index', NEW.map_index, 'try_number', NEW.try_number, 'max_tries', NEW.max_tries));
END;
CREATE TRIGGER change_task_instance_delete AFTER DELETE ON task_instance
WHEN EXISTS (SELECT 1 FROM dag_run WHERE dag_id = OLD.dag_id AND run_id = OLD.run_id) BEGIN
  INSERT INTO change (kind, op, dag_id, run_id, task_id, state, payload)
  VALUES ('task_instance', 'delete', OLD.dag_id, OLD.run_id, OLD.task_id, NULL,
          json_object('previous_state', OLD.state, 'map_index', OLD.map_index, 'try_number', OLD.try_number));
END;

-- A backfill's state is the one its Runs tab shows: completed once completed_at is set, else paused or running.
CREATE TRIGGER change_backfill_insert AFTER INSERT ON backfill BEGIN
  INSERT INTO change (kind, op, dag_id, state, payload)
  VALUES ('backfill', 'insert', NEW.dag_id, iif(NEW.completed_at IS NOT NULL, 'completed', iif(NEW.is_paused, 'paused', 'running')),
          json_object('backfill_id', NEW.id, 'is_paused', json(iif(NEW.is_paused, 'true', 'false')), 'completed_at', NEW.completed_at));
END;
CREATE TRIGGER change_backfill_update AFTER UPDATE OF is_paused, completed_at ON backfill
WHEN OLD.is_paused IS NOT NEW.is_paused OR OLD.completed_at IS NOT NEW.completed_at BEGIN
  INSERT INTO change (kind, op, dag_id, state, payload)
  VALUES ('backfill', 'update', NEW.dag_id, iif(NEW.completed_at IS NOT NULL, 'completed', iif(NEW.is_paused, 'paused', 'running')),
          json_object('backfill_id', NEW.id, 'is_paused', json(iif(NEW.is_paused, 'true', 'false')), 'completed_at', NEW.completed_at));
END;
CREATE TRIGGER change_backfill_delete AFTER DELETE ON backfill BEGIN
  INSERT INTO change (kind, op, dag_id, payload) VALUES ('backfill', 'delete', OLD.dag_id, json_object('backfill_id', OLD.id));
END;

CREATE TRIGGER change_variable_insert AFTER INSERT ON variable BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('variable', 'insert', json_object('key', NEW.key));
END;
CREATE TRIGGER change_variable_update AFTER UPDATE ON variable
WHEN OLD.key IS NOT NEW.key OR OLD.val IS NOT NEW.val OR OLD.description IS NOT NEW.description BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('variable', 'update', json_object('key', NEW.key));
END;
CREATE TRIGGER change_variable_delete AFTER DELETE ON variable BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('variable', 'delete', json_object('key', OLD.key));
END;

CREATE TRIGGER change_user_insert AFTER INSERT ON user BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('user', 'insert', json_object('username', NEW.username, 'role', NEW.role));
END;
CREATE TRIGGER change_user_update AFTER UPDATE OF username, role ON user
WHEN OLD.username IS NOT NEW.username OR OLD.role IS NOT NEW.role BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('user', 'update', json_object('username', NEW.username, 'role', NEW.role));
END;
CREATE TRIGGER change_user_delete AFTER DELETE ON user BEGIN
  INSERT INTO change (kind, op, payload) VALUES ('user', 'delete', json_object('username', OLD.username));
END;
`,
  },
];
