// The install's configuration in Airflow's shape (sections of options, `airflow config list`), for GET
// /api/v2/config: windsock's settings under the Airflow section and option they correspond to, windsock's own
// under [windsock]. Secrets are never shown: an option marked secret, or whose name looks secret, reads
// `< hidden >` (Airflow's value with [api] expose_config = non-sensitive-only).
import path from 'node:path';
import type { EngineSettings } from '../settings.js';
import { isSensitiveName } from './secrets-mask.js';

export interface ConfigOption {
  section: string;
  key: string;
  value: string;
  secret?: boolean;
}

export interface ConfigSection {
  name: string;
  options: { key: string; value: string }[];
}

export const HIDDEN = '< hidden >';

export function engineConfig(s: EngineSettings): ConfigOption[] {
  return [
    { section: 'core', key: 'dags_folder', value: s.dagsFolder },
    { section: 'core', key: 'parallelism', value: String(s.parallelism) },
    { section: 'core', key: 'executor', value: 'LocalExecutor' },
    { section: 'core', key: 'default_timezone', value: 'utc' },
    { section: 'core', key: 'load_examples', value: 'False' },
    { section: 'core', key: 'plugins', value: s.plugins.join(',') },
    // The path of the state database is not a credential here, but Airflow hides every sql_alchemy_conn.
    { section: 'database', key: 'sql_alchemy_conn', value: `sqlite:///${path.join(s.home, 'windsock.db')}`, secret: true },
    { section: 'logging', key: 'base_log_folder', value: path.join(s.home, 'logs') },
    { section: 'logging', key: 'logging_level', value: s.logLevel.toUpperCase() },
    { section: 'scheduler', key: 'job_heartbeat_sec', value: String(s.heartbeatMs / 1000) },
    { section: 'scheduler', key: 'scheduler_health_check_threshold', value: String(s.jobDeadAfterMs / 1000) },
    { section: 'scheduler', key: 'task_instance_heartbeat_timeout', value: String(s.jobDeadAfterMs / 1000) },
    { section: 'windsock', key: 'home', value: s.home },
    { section: 'windsock', key: 'kill_grace_sec', value: String(s.killGraceMs / 1000) },
  ];
}

export function isHidden(o: ConfigOption): boolean {
  return o.secret === true || isSensitiveName(o.key);
}

/** The options grouped in sections, in first-seen order, secrets hidden; `section` keeps only that one. */
export function configSections(options: ConfigOption[], section?: string): ConfigSection[] {
  const sections = new Map<string, ConfigSection>();
  for (const o of options) {
    if (section !== undefined && o.section !== section) continue;
    let s = sections.get(o.section);
    if (!s) sections.set(o.section, (s = { name: o.section, options: [] }));
    s.options.push({ key: o.key, value: isHidden(o) ? HIDDEN : o.value });
  }
  return [...sections.values()];
}

/** The sections as an Airflow config file: `[section]` then `key = value` lines. */
export function configText(sections: ConfigSection[]): string {
  return sections.map((s) => `[${s.name}]\n${s.options.map((o) => `${o.key} = ${o.value}`).join('\n')}\n`).join('\n');
}
