// The engine's settings: embedded defaults, overridden by WINDSOCK_* environment variables, overridden by CLI flags
// (the CLI writes its flags back into process.env so worker threads and child processes see the same values).
// Every WINDSOCK_* variable the engine reads is declared here, checked when a command starts (a bad value is one
// line naming it, exit 2), and read from here: nothing else in the engine looks at process.env for a setting.
import path from 'node:path';
import { readEnvVars, seconds, text, oneOf, wholeNumber, type EnvVars } from './env-vars.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const ENGINE_VARIABLES = {
  WINDSOCK_HOME: { schema: text(), default: './.windsock', example: '/srv/windsock', meaning: 'state database, task logs, staging, local lake and warehouse' },
  WINDSOCK_DAGS_FOLDER: { schema: text(), default: './dags', example: './dags', meaning: 'where DAG files are read' },
  WINDSOCK_PARALLELISM: { schema: wholeNumber(1), default: '32', example: '32', meaning: 'task instances running at once in one process' },
  WINDSOCK_HEARTBEAT_SEC: { schema: seconds(true), default: '5', example: '5', meaning: 'how often a running job and its task instances heartbeat' },
  WINDSOCK_JOB_DEAD_AFTER_SEC: {
    schema: seconds(true), default: '30', example: '30', meaning: 'a job without a heartbeat for this long is dead and its tasks are reset',
  },
  WINDSOCK_KILL_GRACE_SEC: { schema: seconds(false), default: '5', example: '5', meaning: 'after SIGTERM at execution_timeout, how long before SIGKILL' },
  WINDSOCK_LOG_LEVEL: { schema: oneOf(LOG_LEVELS), default: 'warn', example: 'info', meaning: "the engine's own log" },
  WINDSOCK_PLUGINS: { schema: text(), default: '', example: './plugins/my-operators.js', meaning: 'more operator modules (comma-separated paths)' },
  WINDSOCK_PASSWORD_COST: {
    schema: wholeNumber(10, 20), default: '14', example: '14', meaning: "scrypt's cost for new password hashes, as log2 N (14: N = 16384); lower only in tests",
  },
} satisfies EnvVars;

export interface EngineSettings {
  /** State database, task logs, staging, local lake and warehouse. Absolute. */
  home: string;
  /** Where DAG files are read. Absolute. */
  dagsFolder: string;
  /** Task instances running at once in one runner process (Airflow's [core] parallelism). */
  parallelism: number;
  /** Between two heartbeats of a job and its task instances (Airflow's job_heartbeat_sec). */
  heartbeatMs: number;
  /** A job whose last heartbeat is older is dead (Airflow's scheduler_health_check_threshold). */
  jobDeadAfterMs: number;
  /** Between SIGTERM and SIGKILL when an attempt is stopped (timeout or shutdown). */
  killGraceMs: number;
  logLevel: LogLevel;
  /** Operator plugin modules (paths or file: URLs), as given. */
  plugins: string[];
  /** scrypt's N for new password hashes (a power of two); a stored hash keeps the N it was made with. */
  passwordCostN: number;
}

let cached: { key: string; settings: EngineSettings } | undefined;

/** The settings from `env`, parsed once per distinct set of values; a bad variable is a UserError naming it. */
export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const key = Object.keys(ENGINE_VARIABLES).map((k) => env[k] ?? '').join('\0');
  if (cached?.key === key) return cached.settings;
  const v = readEnvVars(ENGINE_VARIABLES, env);
  const settings: EngineSettings = {
    home: path.resolve(v.WINDSOCK_HOME),
    dagsFolder: path.resolve(v.WINDSOCK_DAGS_FOLDER),
    parallelism: v.WINDSOCK_PARALLELISM,
    heartbeatMs: v.WINDSOCK_HEARTBEAT_SEC * 1000,
    jobDeadAfterMs: v.WINDSOCK_JOB_DEAD_AFTER_SEC * 1000,
    killGraceMs: v.WINDSOCK_KILL_GRACE_SEC * 1000,
    logLevel: v.WINDSOCK_LOG_LEVEL,
    plugins: v.WINDSOCK_PLUGINS.split(',').map((s) => s.trim()).filter(Boolean),
    passwordCostN: 2 ** v.WINDSOCK_PASSWORD_COST,
  };
  cached = { key, settings };
  return settings;
}

/** The log level without failing (the logger is made before a command checks its settings). */
export function logLevelOf(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const v = env.WINDSOCK_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(v ?? '') ? (v as LogLevel) : 'warn';
}
