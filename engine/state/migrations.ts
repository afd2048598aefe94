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
];
