// Settings checked when a command starts: a bad WINDSOCK_* / OPENAQ_* variable or numeric flag is one line naming it
// with a value that works, exit 2, and no run is left behind. One variable of each family (the engine's, checked
// for every command; the pipeline's, checked for the DAG's operators) and each numeric flag go through a real `dag`
// process per command; the other values through the same command tree in this process (in-process-cli.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dag, workspace, type CliResult, type Workspace } from '../support/cli.js';
import { dagInProcess } from '../support/in-process-cli.js';
import { ROOT } from '../support/paths.js';
import { stateDb } from '../support/state.js';

const OPENAQ_DAG = fs.readFileSync(path.join(ROOT, 'dags/openaq.yaml'), 'utf8');

/** Runs in the state database (none if the command never opened it). */
function runCount(ws: Workspace): number {
  if (!fs.existsSync(path.join(ws.home, 'windsock.db'))) return 0;
  const db = stateDb(ws.home);
  try {
    return db.prepare('SELECT count(*) FROM dag_run').pluck().get() as number;
  } finally {
    db.close();
  }
}

function expectOneLine(r: CliResult, name: string): void {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  // an example value (e.g. NAME=...), or for URIs the forms that work (use file:///path or gs://bucket/prefix)
  expect(lines[0]).toMatch(new RegExp(`^error: ${name}[= ].*(e\\.g\\. ${name}=|use [a-z]+://)`));
}

/** The commands that create or run runs, each with a bad value in `env` or `args`. */
const COMMANDS: string[][] = [
  ['run', 'openaq', '--date', '2024-04-20'],
  ['backfill', 'openaq', '--from', '2024-04-20', '--to', '2024-04-21'],
  ['trigger', 'openaq'],
  ['scheduler'],
];

const BAD_VARIABLES: [string, string][] = [
  ['WINDSOCK_HEARTBEAT_SEC', 'abc'],
  ['WINDSOCK_HEARTBEAT_SEC', '0'],
  ['WINDSOCK_JOB_DEAD_AFTER_SEC', 'abc'],
  ['WINDSOCK_JOB_DEAD_AFTER_SEC', '-1'],
  ['WINDSOCK_KILL_GRACE_SEC', 'soon'],
  ['WINDSOCK_PARALLELISM', '0'],
  ['WINDSOCK_LOG_LEVEL', 'bogus'],
  ['WINDSOCK_PASSWORD_COST', '21'],
  ['OPENAQ_CONCURRENCY', '0'],
  ['OPENAQ_BASE_URL', 'ftp://example.org'],
  ['OPENAQ_RATE_LIMIT_PER_MINUTE', '-1'],
  ['OPENAQ_RATE_LIMIT_PER_HOUR', '1.5'],
  ['OPENAQ_RATE_WINDOW_MS', '0'],
  ['OPENAQ_TIMEOUT_MS', 'abc'],
  ['OPENAQ_MAX_ATTEMPTS', '0'],
  ['OPENAQ_RETRY_BASE_MS', 'x'],
  ['OPENAQ_RETRY_MAX_MS', '-5'],
  ['WINDSOCK_LAKE', 's3://bucket/raw'],
  ['WINDSOCK_WAREHOUSE', 'postgres://db/x'],
  ['WINDSOCK_GCS_ENDPOINT', 'not a url'],
  ['WINDSOCK_BIGQUERY_ENDPOINT', 'ftp://127.0.0.1:9050'],
];

/** Through a real `dag` process: the first of the engine's variables and the pipeline's. */
const IN_A_PROCESS = new Set(['WINDSOCK_HEARTBEAT_SEC=abc', 'OPENAQ_CONCURRENCY=0']);

describe('a bad setting stops the command before any run exists', () => {
  for (const [name, value] of BAD_VARIABLES) {
    it(`${name}=${value}: run, backfill, trigger and scheduler say so in one line and exit 2`, async () => {
      const real = IN_A_PROCESS.has(`${name}=${value}`);
      const results = await Promise.all(
        COMMANDS.map(async (args) => {
          const ws = workspace({ 'openaq.yaml': OPENAQ_DAG }, { [name]: value });
          return { args, ws, r: await (real ? dag(ws, args, { timeoutMs: 90_000 }) : dagInProcess(ws, args)) };
        }),
      );
      for (const { args, ws, r } of results) {
        expectOneLine(r, name);
        expect(runCount(ws), `${args.join(' ')} left a run`).toBe(0);
      }
    }, 240_000);
  }
});

describe('numeric flags', () => {
  const cases: [string, string[]][] = [
    ['--tick', ['scheduler', '--tick', '-1']],
    ['--tick', ['scheduler', '--tick', '0']],
    ['--tick', ['scheduler', '--tick', 'abc']],
    ['-n', ['next-execution', 'openaq', '-n', '0']],
    ['-n', ['next-execution', 'openaq', '-n', 'abc']],
    ['-n', ['next-execution', 'openaq', '-n', '99999999']],
    ['--max-active-runs', ['backfill', 'openaq', '--from', '2024-04-20', '--to', '2024-04-21', '--max-active-runs', '0']],
    ['--max-active-runs', ['backfill', 'openaq', '--from', '2024-04-20', '--to', '2024-04-21', '--max-active-runs', 'abc']],
    ['SLOTS', ['pools', 'set', 'p', '-1']],
    ['SLOTS', ['pools', 'set', 'p', 'abc']],
  ];
  it('a bad value is one line naming the flag and an example, exit 2, and no run', async () => {
    // each flag's first bad value through a real process, its others in this one
    const results = await Promise.all(cases.map(async ([flag, args], i) => {
      const ws = workspace({ 'openaq.yaml': OPENAQ_DAG });
      const real = cases.findIndex(([f]) => f === flag) === i;
      return { flag, args, ws, r: await (real ? dag(ws, args, { timeoutMs: 90_000 }) : dagInProcess(ws, args)) };
    }));
    for (const { flag, args, ws, r } of results) {
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^error: ${flag} \\S+ is not a whole number.*e\\.g\\.`));
      expect(runCount(ws)).toBe(0);
    }
  }, 240_000);
});

describe('names that look like settings', () => {
  it('an unknown WINDSOCK_ variable gets a warning with the closest setting; the command still runs', async () => {
    const ws = workspace({ 'openaq.yaml': OPENAQ_DAG }, { WINDSOCK_HEARTBEAT_SECS: '2', WINDSOCK_VAR_REGION: 'paris' });
    const r = await dag(ws, ['list', '-o', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: WINDSOCK_HEARTBEAT_SECS is not a windsock setting (did you mean WINDSOCK_HEARTBEAT_SEC?)');
    expect(r.stderr).not.toContain('WINDSOCK_VAR_REGION'); // a template variable, not a setting
  }, 240_000);
});
