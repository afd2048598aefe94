// A small BigQuery on 127.0.0.1 speaking the part of the REST API v2 that @google-cloud/bigquery v8 uses to create
// datasets and tables and to run load and query jobs, so tests run the real client end to end. It records every
// call, keeps datasets, tables and jobs in memory, and answers every job as DONE at once:
//   GET/POST  /projects/{p}/datasets[/{d}]                 datasets.get / datasets.insert
//   GET/POST  /projects/{p}/datasets/{d}/tables[/{t}]      tables.get / tables.insert
//   POST      /projects/{p}/jobs                           jobs.insert (load, query)
//   GET       /projects/{p}/jobs/{id}                      jobs.get
//   GET       /projects/{p}/queries/{id}                   jobs.getQueryResults (paged with maxResults/pageToken)
// Paths are served with and without the /bigquery/v2 prefix (the client drops it when BIGQUERY_EMULATOR_HOST is set).
// Load jobs report `loadRows(config)` output rows; query jobs answer `queryResult(sql)` (default: no rows).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BqCall {
  method: string;
  /** Path without the /bigquery/v2 prefix, e.g. /projects/p/jobs. */
  path: string;
  query: Record<string, string>;
  body?: Record<string, any>;
  status?: number;
}

export interface BqQueryResult {
  fields: { name: string; type: string; mode?: string }[];
  /** Values as the REST API sends them: strings (or null). */
  rows: (string | null)[][];
}

export interface FakeBigQueryOptions {
  /** Output rows of a load job (default 0). */
  loadRows?: (load: Record<string, any>) => number;
  /** The result of a query job (default: no schema, no rows, as for DML). An Error fails the job with its message. */
  queryResult?: (sql: string) => BqQueryResult | Error | undefined;
}

export interface FakeBigQuery {
  /** http://127.0.0.1:<port>: the client's apiEndpoint (WINDSOCK_BIGQUERY_ENDPOINT) or BIGQUERY_EMULATOR_HOST. */
  url: string;
  calls: BqCall[];
  datasets: Map<string, Record<string, any>>;
  tables: Map<string, Record<string, any>>;
  jobs: Map<string, Record<string, any>>;
  options: FakeBigQueryOptions;
  /** jobs.insert bodies of one kind, in order. */
  insertedJobs(kind: 'load' | 'query'): Record<string, any>[];
  close(): Promise<void>;
}

export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const calls: BqCall[] = [];
  const datasets = new Map<string, Record<string, any>>();
  const tables = new Map<string, Record<string, any>>();
  const jobs = new Map<string, Record<string, any>>();
  const results = new Map<string, BqQueryResult | undefined>();

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
      try {
        if (chunks.length) call.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        route();
      } catch (err) {
        fail(500, 'backendError', `fake-bigquery: ${(err as Error).message}`);
      }
    });

    function route(): void {
      let m: RegExpExecArray | null;
      if ((m = /^\/projects\/([^/]+)\/datasets$/.exec(path)) && req.method === 'POST') {
        const ref = { projectId: m[1], ...call.body!.datasetReference };
        const key = `${ref.projectId}.${ref.datasetId}`;
        if (datasets.has(key)) return fail(409, 'duplicate', `Already Exists: Dataset ${ref.projectId}:${ref.datasetId}`);
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
        tables.set(key, resource);
        return send(200, resource);
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const t = tables.get(`${m[1]}.${m[2]}.${decodeURIComponent(m[3]!)}`);
        return t ? send(200, t) : fail(404, 'notFound', `Not found: Table ${m[1]}:${m[2]}.${m[3]}`);
      }
      if ((m = /^\/projects\/([^/]+)\/jobs$/.exec(path)) && req.method === 'POST') return insertJob(m[1]!);
      if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const job = jobs.get(decodeURIComponent(m[2]!));
        return job ? send(200, job) : fail(404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      }
      if ((m = /^\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path)) && req.method === 'GET') return queryResults(decodeURIComponent(m[2]!));
      fail(404, 'notFound', `fake-bigquery: no route for ${req.method} ${path}`);
    }

    function insertJob(project: string): void {
      const body = call.body!;
      const ref = { projectId: project, location: 'US', ...body.jobReference };
      const config = body.configuration ?? {};
      const job: Record<string, any> = {
        kind: 'bigquery#job',
        id: `${project}:${ref.location}.${ref.jobId}`,
        jobReference: ref,
        configuration: config,
        status: { state: 'DONE' },
        statistics: { creationTime: String(Date.now()), startTime: String(Date.now()), endTime: String(Date.now()) },
      };
      if (config.load) {
        const d = config.load.destinationTable;
        if (!datasets.has(`${d.projectId}.${d.datasetId}`)) {
          job.status = { state: 'DONE', errorResult: { reason: 'notFound', message: `Not found: Dataset ${d.projectId}:${d.datasetId}` } };
          job.status.errors = [job.status.errorResult];
        } else {
          const base = String(d.tableId).split('$')[0]!;
          const key = `${d.projectId}.${d.datasetId}.${base}`;
          if (!tables.has(key)) tables.set(key, { kind: 'bigquery#table', tableReference: { ...d, tableId: base }, schema: config.load.schema });
          job.statistics.load = { outputRows: String(options.loadRows?.(config.load) ?? 0), inputFiles: String(config.load.sourceUris?.length ?? 0) };
        }
      } else if (config.query) {
        const r = options.queryResult?.(config.query.query);
        if (r instanceof Error) {
          job.status = { state: 'DONE', errorResult: { reason: 'invalidQuery', message: r.message }, errors: [{ reason: 'invalidQuery', message: r.message }] };
        } else {
          results.set(ref.jobId, r);
          job.statistics.query = { totalBytesProcessed: '0', statementType: r ? 'SELECT' : 'MERGE' };
        }
      }
      jobs.set(ref.jobId, job);
      send(200, job);
    }

    function queryResults(jobId: string): void {
      const job = jobs.get(jobId);
      if (!job) return fail(404, 'notFound', `Not found: Job ${jobId}`);
      const r = results.get(jobId);
      const all = r?.rows ?? [];
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const max = Number(url.searchParams.get('maxResults') ?? all.length) || all.length;
      const page = all.slice(start, start + max);
      const body: Record<string, unknown> = {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: job.jobReference,
        jobComplete: true,
        totalRows: String(all.length),
        cacheHit: false,
      };
      if (r) {
        body.schema = { fields: r.fields.map((f) => ({ mode: 'NULLABLE', ...f })) };
        body.rows = page.map((row) => ({ f: row.map((v) => ({ v })) }));
      }
      if (start + max < all.length) body.pageToken = String(start + max);
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
    options,
    insertedJobs: (kind) => calls.filter((c) => c.method === 'POST' && /\/jobs$/.test(c.path) && c.body?.configuration?.[kind]).map((c) => c.body!),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
