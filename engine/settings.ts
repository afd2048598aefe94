// The engine's settings: embedded defaults, overridden by WINDSOCK_* environment variables, overridden by CLI flags
// (the CLI writes its flags back into process.env so worker threads and child processes see the same values).
import path from 'node:path';

export interface EngineSettings {
  /** State database, task logs, staging, local lake and warehouse. Absolute. */
  home: string;
  /** Where DAG files are read. Absolute. */
  dagsFolder: string;
  /** Task instances running at once in one runner process (Airflow's [core] parallelism). */
  parallelism: number;
}

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  return {
    home: path.resolve(env.WINDSOCK_HOME || './.windsock'),
    dagsFolder: path.resolve(env.WINDSOCK_DAGS_FOLDER || './dags'),
    parallelism: positiveInt(env.WINDSOCK_PARALLELISM, 32, 'WINDSOCK_PARALLELISM'),
  };
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw == null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${raw} is not a positive whole number; unset it or set e.g. ${name}=${fallback}`);
  return n;
}
