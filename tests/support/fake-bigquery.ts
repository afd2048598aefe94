// A small BigQuery on 127.0.0.1 speaking the part of the REST API v2 that @google-cloud/bigquery v8 uses to create
// datasets and tables and to run load and query jobs, so tests run the real client end to end:
//   GET/POST  /projects/{p}/datasets[/{d}]                 datasets.get / datasets.insert
//   GET/POST  /projects/{p}/datasets/{d}/tables[/{t}]      tables.get / tables.insert
//   POST      /projects/{p}/jobs                           jobs.insert (load, query)
//   GET       /projects/{p}/jobs/{id}                      jobs.get
//   GET       /projects/{p}/queries/{id}                   jobs.getQueryResults (paged with maxResults/pageToken)
// Paths are served with and without the /bigquery/v2 prefix (the client drops it when BIGQUERY_EMULATOR_HOST is set).
//
// The data is real: tables live in an in-memory DuckDB (project = attached catalog, dataset = schema), a load job
// reads the Parquet bytes the job names (`readSource`, e.g. from the fake GCS) and inserts them, and a query job runs
// its SQL in DuckDB after a minimal translation (backticked names to DuckDB identifiers, `MERGE t` to `MERGE INTO t`).
// Counts the client sees (a load's outputRows, a DML's numDmlAffectedRows, totalRows) are counted from that data.
// BigQuery rules the fake enforces: REQUIRED columns (NOT NULL), no primary keys (a duplicate is kept, as BigQuery
// does), a load into table$YYYYMMDD replaces only that partition and refuses rows of another day, a MERGE fails when
// a target row matches more than one source row, and an unqualified table name needs the job's defaultDataset.
// Not modelled: BigQuery's SQL dialect beyond what DuckDB shares with it, its type coercions on load, quotas, job
// latency (every job is DONE at once), streaming inserts, and IAM.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader, type DuckDBType } from '@duckdb/node-api';
import { tempDir } from './tmp.js';

export interface BqCall {
  method: string;
  /** Path without the /bigquery/v2 prefix, e.g. /projects/p/jobs. */
  path: string;
  query: Record<string, string>;
  body?: Record<string, any>;
  status?: number;
}

export interface FakeBigQueryOptions {
  /** The bytes behind a load job's source URI (gs://bucket/object); undefined: no such object. */
  readSource?: (uri: string) => Buffer | undefined;
}

export interface FakeBigQuery {
  /** http://127.0.0.1:<port>: the client's apiEndpoint (WINDSOCK_BIGQUERY_ENDPOINT) or BIGQUERY_EMULATOR_HOST. */
  url: string;
  calls: BqCall[];
  datasets: Map<string, Record<string, any>>;
  /** Table resources by "project.dataset.table"; their rows are in DuckDB. */
  tables: Map<string, Record<string, any>>;
  jobs: Map<string, Record<string, any>>;
  /** jobs.insert bodies of one kind, in order. */
  insertedJobs(kind: 'load' | 'query'): Record<string, any>[];
  /** Runs DuckDB SQL against the fake's data (tables are "project"."dataset"."table"): to seed a table in a test. */
  sql(text: string): Promise<void>;
  close(): Promise<void>;
}

interface QueryResult {
  fields: { name: string; type: string; mode: string }[];
  /** Values as the REST API sends them: strings (or null). TIMESTAMP as microseconds (useInt64Timestamp). */
  rows: (string | null)[][];
  dml?: number;
}

class JobError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** "a.b.c" -> "a"."b"."c" */
export const ident = (dotted: string) =>
  dotted
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');

/** BigQuery Standard SQL -> DuckDB, only as far as the statements under test need. */
export function toDuckSql(sql: string): string {
  return sql.replace(/`([^`]+)`/g, (_, name: string) => ident(name)).replace(/^(\s*)MERGE\s+(?!INTO\b)/i, '$1MERGE INTO ');
}

const DUCK_TYPE: Record<string, string> = {
  INT64: 'BIGINT', INTEGER: 'BIGINT', FLOAT64: 'DOUBLE', FLOAT: 'DOUBLE', NUMERIC: 'DECIMAL(38,9)', STRING: 'VARCHAR',
  BOOL: 'BOOLEAN', BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMPTZ', DATETIME: 'TIMESTAMP', BYTES: 'BLOB',
};

function columnsDdl(schema: { fields?: { name: string; type: string; mode?: string }[] } | undefined): string {
  const fields = schema?.fields ?? [];
  if (fields.length === 0) throw new JobError('invalid', 'fake-bigquery: a table needs a schema');
  return fields
    .map((f) => {
      const t = DUCK_TYPE[f.type.toUpperCase()];
      if (!t) throw new JobError('invalid', `fake-bigquery: type ${f.type} of ${f.name} is not modelled`);
      return `${ident(f.name)} ${t}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`;
    })
    .join(', ');
}

/** A DuckDB result column type -> the type name BigQuery's REST API gives a result field. */
function bqResultType(t: DuckDBType): string {
  const s = t.toString();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(s)) return 'INTEGER';
  if (/^(FLOAT|DOUBLE|DECIMAL)/.test(s)) return 'FLOAT'; // BigQuery's 1.5 is FLOAT64; DuckDB's is DECIMAL
  if (s === 'BOOLEAN') return 'BOOLEAN';
  if (s === 'DATE') return 'DATE';
  if (s === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP';
  if (s.startsWith('TIMESTAMP')) return 'DATETIME';
  return 'STRING';
}

function restValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && 'micros' in v) return String((v as { micros: bigint }).micros); // TIMESTAMP(TZ)
  return String(v); // bigint, number, boolean, string, DATE (YYYY-MM-DD), DECIMAL
}

const statementType = (sql: string) => /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';

export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const calls: BqCall[] = [];
  const datasets = new Map<string, Record<string, any>>();
  const tables = new Map<string, Record<string, any>>();
  const jobs = new Map<string, Record<string, any>>();
  const results = new Map<string, QueryResult>();
  const scratch = tempDir('fake-bigquery-');
  const duck = await DuckDBInstance.create(':memory:');
  const db: DuckDBConnection = await duck.connect();
  await db.run(`SET TimeZone = 'UTC'`);
  const projects = new Set<string>();

  // One request at a time against DuckDB: USE and transactions are per connection.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };

  async function ensureProject(project: string): Promise<void> {
    if (projects.has(project)) return;
    await db.run(`ATTACH ':memory:' AS ${ident(project)}`);
    projects.add(project);
  }

  async function createTable(key: string, resource: Record<string, any>): Promise<void> {
    await db.run(`CREATE TABLE ${ident(key)} (${columnsDdl(resource.schema)})`);
    tables.set(key, resource);
  }

  async function load(jobId: string, config: Record<string, any>): Promise<Record<string, string>> {
    const d = config.destinationTable;
    if (!datasets.has(`${d.projectId}.${d.datasetId}`)) throw new JobError('notFound', `Not found: Dataset ${d.projectId}:${d.datasetId}`);
    if (config.sourceFormat !== 'PARQUET') throw new JobError('invalid', `fake-bigquery: only PARQUET loads are modelled, not ${config.sourceFormat}`);
    const [base, decorator] = String(d.tableId).split('$') as [string, string | undefined];
    const key = `${d.projectId}.${d.datasetId}.${base}`;
    const files = (config.sourceUris as string[]).map((uri, i) => {
      const bytes = options.readSource?.(uri);
      if (!bytes) throw new JobError('notFound', `Not found: URI ${uri}`);
      const file = path.join(scratch, `${jobId}-${i}.parquet`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const source = `read_parquet([${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}])`;
    const disposition = config.writeDisposition ?? 'WRITE_APPEND';
    await db.run('BEGIN TRANSACTION');
    try {
      if (!tables.has(key)) {
        if (config.createDisposition === 'CREATE_NEVER') throw new JobError('notFound', `Not found: Table ${key}`);
        await createTable(key, { kind: 'bigquery#table', tableReference: { ...d, tableId: base }, schema: config.schema });
      } else if (disposition === 'WRITE_TRUNCATE' && !decorator && config.schema) {
        // Truncating a whole table also replaces its schema with the load's.
        await db.run(`DROP TABLE ${ident(key)}`);
        await createTable(key, { ...tables.get(key), schema: config.schema });
      }
      const table = tables.get(key)!;
      const names = new Set<string>(table.schema.fields.map((f: { name: string }) => f.name));
      const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      for (const { column_name } of described.getRowObjectsJS() as { column_name: string }[]) {
        if (!names.has(column_name)) throw new JobError('invalid', `Provided Schema does not match Table ${key}. Field ${column_name} is not in the table`);
      }
      let where = 'true';
      if (decorator) {
        const field = table.timePartitioning?.field;
        if (!field || !/^\d{8}$/.test(decorator)) throw new JobError('invalid', `Invalid partition decorator ${d.tableId}: ${base} is not partitioned by day`);
        where = `${ident(field)} = DATE '${decorator.slice(0, 4)}-${decorator.slice(4, 6)}-${decorator.slice(6)}'`;
        const strays = await db.runAndReadAll(`SELECT count(*) FROM ${source} WHERE ${ident(field)} IS DISTINCT FROM DATE '${decorator.slice(0, 4)}-${decorator.slice(4, 6)}-${decorator.slice(6)}'`);
        if (Number(strays.getRows()[0]![0]) > 0) throw new JobError('invalid', `Some rows belong to different partitions rather than destination partition ${decorator}`);
      }
      const count = Number((await db.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRows()[0]![0]);
      if (disposition === 'WRITE_TRUNCATE') await db.run(`DELETE FROM ${ident(key)} WHERE ${where}`);
      else if (disposition === 'WRITE_EMPTY' && Number((await db.runAndReadAll(`SELECT count(*) FROM ${ident(key)} WHERE ${where}`)).getRows()[0]![0]) > 0) {
        throw new JobError('duplicate', `Already Exists: Table ${d.tableId} is not empty`);
      }
      const inserted = await db.run(`INSERT INTO ${ident(key)} BY NAME SELECT * FROM ${source}`);
      if (inserted.rowsChanged !== count) throw new Error(`inserted ${inserted.rowsChanged} of ${count} rows`);
      await db.run('COMMIT');
      return { outputRows: String(count), inputFiles: String(files.length), inputFileBytes: String(files.reduce((n, f) => n + fs.statSync(f).size, 0)) };
    } catch (err) {
      await db.run('ROLLBACK');
      throw err instanceof JobError ? err : new JobError('invalid', (err as Error).message.split('\n')[0]!);
    } finally {
      for (const f of files) fs.rmSync(f, { force: true });
    }
  }

  /** BigQuery refuses a MERGE in which one target row matches several source rows; DuckDB would update it twice. */
  async function checkMerge(sql: string): Promise<void> {
    const m = /^\s*MERGE\s+(?:INTO\s+)?(\S+)\s+(?:AS\s+)?(\w+)\s+USING\s+(\S+)\s+(?:AS\s+)?(\w+)\s+ON\s+([\s\S]+?)\s+WHEN\b/i.exec(sql);
    if (!m) return;
    const [, target, t, source, s, on] = m;
    const r = await db.runAndReadAll(`SELECT count(*) FROM (SELECT ${t}.rowid FROM ${target} AS ${t} JOIN ${source} AS ${s} ON ${on} GROUP BY ${t}.rowid HAVING count(*) > 1)`);
    if (Number(r.getRows()[0]![0]) > 0) throw new JobError('invalidQuery', 'UPDATE/MERGE must match at most one source row for each target row');
  }

  async function query(project: string, config: Record<string, any>): Promise<QueryResult> {
    const bqSql = String(config.query);
    const sql = toDuckSql(bqSql);
    const dflt = config.defaultDataset as { projectId?: string; datasetId: string } | undefined;
    await ensureProject(project);
    if (dflt) {
      if (!datasets.has(`${dflt.projectId ?? project}.${dflt.datasetId}`)) throw new JobError('notFound', `Not found: Dataset ${dflt.projectId ?? project}:${dflt.datasetId}`);
      await db.run(`USE ${ident(`${dflt.projectId ?? project}.${dflt.datasetId}`)}`);
    } else {
      await db.run(`USE ${ident(`${project}.main`)}`);
    }
    try {
      if (statementType(sql) === 'MERGE') await checkMerge(sql);
      const r: DuckDBResultReader = await db.runAndReadAll(sql);
      const type = statementType(bqSql);
      if (type !== 'SELECT' && type !== 'WITH') return { fields: [], rows: [], dml: r.rowsChanged };
      return {
        fields: r.columnNames().map((name, i) => ({ name, type: bqResultType(r.columnTypes()[i]!), mode: 'NULLABLE' })),
        rows: r.getRows().map((row) => row.map(restValue)),
      };
    } catch (err) {
      if (err instanceof JobError) throw err;
      const message = (err as Error).message;
      const unqualified = /Table with name (\S+) does not exist/.exec(message);
      if (unqualified && !dflt) throw new JobError('invalid', `Table "${unqualified[1]}" must be qualified with a dataset (e.g. dataset.table).`);
      throw new JobError('invalidQuery', message.split('\n')[0]!);
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/bigquery\/v2/, '');
    const call: BqCall = { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams) };
    calls.push(call);
    const send = (status: number, body: unknown) => {
      call.status = status;
      const buf = Buffer.from(JSON.stringify(body));
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(buf.length) });
      res.end(buf);
    };
    const fail = (status: number, reason: string, message: string) => send(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: reason } });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      serial(async () => {
        if (chunks.length) call.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        await route();
      }).catch((err: Error) => fail(500, 'backendError', `fake-bigquery: ${err.message}`));
    });

    async function route(): Promise<void> {
      let m: RegExpExecArray | null;
      if ((m = /^\/projects\/([^/]+)\/datasets$/.exec(path)) && req.method === 'POST') {
        const ref = { projectId: m[1], ...call.body!.datasetReference };
        const key = `${ref.projectId}.${ref.datasetId}`;
        if (datasets.has(key)) return fail(409, 'duplicate', `Already Exists: Dataset ${ref.projectId}:${ref.datasetId}`);
        await ensureProject(ref.projectId);
        await db.run(`CREATE SCHEMA ${ident(key)}`);
        const resource = { kind: 'bigquery#dataset', id: `${ref.projectId}:${ref.datasetId}`, ...call.body, datasetReference: ref, location: call.body!.location ?? 'US' };
        datasets.set(key, resource);
        return send(200, resource);
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const d = datasets.get(`${m[1]}.${m[2]}`);
        return d ? send(200, d) : fail(404, 'notFound', `Not found: Dataset ${m[1]}:${m[2]}`);
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/.exec(path)) && req.method === 'POST') {
        if (!datasets.has(`${m[1]}.${m[2]}`)) return fail(404, 'notFound', `Not found: Dataset ${m[1]}:${m[2]}`);
        const ref = { projectId: m[1], datasetId: m[2], ...call.body!.tableReference };
        const key = `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
        if (tables.has(key)) return fail(409, 'duplicate', `Already Exists: Table ${key}`);
        const resource = { kind: 'bigquery#table', id: `${ref.projectId}:${ref.datasetId}.${ref.tableId}`, type: 'TABLE', ...call.body, tableReference: ref };
        await createTable(key, resource);
        return send(200, resource);
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const key = `${m[1]}.${m[2]}.${decodeURIComponent(m[3]!)}`;
        const t = tables.get(key);
        if (!t) return fail(404, 'notFound', `Not found: Table ${m[1]}:${m[2]}.${m[3]}`);
        const n = (await db.runAndReadAll(`SELECT count(*) FROM ${ident(key)}`)).getRows()[0]![0];
        return send(200, { ...t, numRows: String(n) });
      }
      if ((m = /^\/projects\/([^/]+)\/jobs$/.exec(path)) && req.method === 'POST') return insertJob(m[1]!);
      if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const job = jobs.get(decodeURIComponent(m[2]!));
        return job ? send(200, job) : fail(404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      }
      if ((m = /^\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path)) && req.method === 'GET') return queryResults(decodeURIComponent(m[2]!));
      fail(404, 'notFound', `fake-bigquery: no route for ${req.method} ${path}`);
    }

    async function insertJob(project: string): Promise<void> {
      const body = call.body!;
      const ref = { projectId: project, location: 'US', ...body.jobReference };
      const config = body.configuration ?? {};
      const now = String(Date.now());
      const job: Record<string, any> = {
        kind: 'bigquery#job',
        id: `${project}:${ref.location}.${ref.jobId}`,
        jobReference: ref,
        configuration: config,
        status: { state: 'DONE' },
        statistics: { creationTime: now, startTime: now, endTime: now },
      };
      try {
        if (config.load) job.statistics.load = await load(ref.jobId, config.load);
        else if (config.query) {
          const r = await query(project, config.query);
          results.set(ref.jobId, r);
          job.statistics.query = { totalBytesProcessed: '0', statementType: statementType(config.query.query), ...(r.dml !== undefined ? { numDmlAffectedRows: String(r.dml) } : {}) };
        } else throw new JobError('invalid', 'fake-bigquery: only load and query jobs are modelled');
      } catch (err) {
        if (!(err instanceof JobError)) throw err;
        job.status = { state: 'DONE', errorResult: { reason: err.reason, message: err.message }, errors: [{ reason: err.reason, message: err.message }] };
      }
      jobs.set(ref.jobId, job);
      send(200, job);
    }

    function queryResults(jobId: string): void {
      const job = jobs.get(jobId);
      if (!job) return fail(404, 'notFound', `Not found: Job ${jobId}`);
      if (job.status.errorResult) return fail(400, job.status.errorResult.reason, job.status.errorResult.message);
      const r = results.get(jobId)!;
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const max = Number(url.searchParams.get('maxResults') ?? r.rows.length) || r.rows.length;
      const int64Timestamps = url.searchParams.get('formatOptions.useInt64Timestamp') === 'true';
      const page = r.rows.slice(start, start + max).map((row) =>
        row.map((v, i) => (v !== null && r.fields[i]!.type === 'TIMESTAMP' && !int64Timestamps ? String(Number(v) / 1e6) : v)),
      );
      const body: Record<string, unknown> = {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: job.jobReference,
        jobComplete: true,
        totalRows: String(r.rows.length),
        cacheHit: false,
        schema: { fields: r.fields },
        rows: page.map((row) => ({ f: row.map((v) => ({ v })) })),
      };
      if (r.dml !== undefined) body.numDmlAffectedRows = String(r.dml);
      if (start + max < r.rows.length) body.pageToken = String(start + max);
      send(200, body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    datasets,
    tables,
    jobs,
    insertedJobs: (kind) => calls.filter((c) => c.method === 'POST' && /\/jobs$/.test(c.path) && c.body?.configuration?.[kind]).map((c) => c.body!),
    sql: (text) => serial(async () => void (await db.run(text))),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          db.closeSync();
          duck.closeSync();
          return err ? reject(err) : resolve();
        });
      }),
  };
}
