// The BigQuery warehouse (WINDSOCK_WAREHOUSE=bigquery://project/dataset), through @google-cloud/bigquery with
// Application Default Credentials, loading the star files straight from a gs:// lake:
//   - dataset and tables created when missing; fact_measurement partitioned by ds (DAY), clustered by
//     parameter_id, location_id;
//   - each dimension loaded into <dim>_staging (WRITE_TRUNCATE) then MERGEd into the dimension on its key;
//   - the fact partition replaced atomically: a load job WRITE_TRUNCATE into fact_measurement$YYYYMMDD.
// Emulators and test servers: BIGQUERY_EMULATOR_HOST (read by the client) or WINDSOCK_BIGQUERY_ENDPOINT (passed as
// apiEndpoint); with either, requests carry no credentials.
import type * as arrow from 'apache-arrow';
import type { BigQuery, BigQueryOptions, Dataset, Job } from '@google-cloud/bigquery';
import type { Lake } from '../lake/lake.js';
import { parseLakeUri } from '../lake/lake-uri.js';
import { STAR_TABLES, starFileKey, type StarTableName, type TableDef } from '../star/schema.js';
import { rowsToBatch, type BqResultField } from './bigquery-arrow.js';
import { loadJobConfig, mergeSql, partitionDecorator, stagingName, tableOptions } from './bigquery-sql.js';
import { checkStarPartition } from './star-input.js';
import { DAILY_AIR_QUALITY, dailyStatsStatements } from './daily-stats.js';
import { WarehouseInputError, WarehouseQueryError, type LoadStarResult, type Warehouse } from './warehouse.js';

export interface BigQueryWarehouseOptions {
  project: string;
  dataset: string;
  location?: string;
  uri: string;
  /** A local endpoint (emulator, test server): http://127.0.0.1:9050. */
  apiEndpoint?: string;
  /** BIGQUERY_EMULATOR_HOST is set: the client goes there by itself. */
  emulator?: boolean;
  dagId?: string;
  /** The task that loads the star, for "run ... again" hints. */
  loadTask?: string;
}

/** Rows per page of query results. */
const PAGE_ROWS = 10_000;

export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery' as const;
  readonly uri: string;
  private clientPromise: Promise<BigQuery> | undefined;

  constructor(private readonly opts: BigQueryWarehouseOptions) {
    this.uri = opts.uri;
  }

  private client(): Promise<BigQuery> {
    this.clientPromise ??= (async () => {
      const { BigQuery } = await import('@google-cloud/bigquery');
      const options: BigQueryOptions = { projectId: this.opts.project, location: this.opts.location };
      if (this.opts.apiEndpoint) options.apiEndpoint = this.opts.apiEndpoint;
      if (this.opts.apiEndpoint || this.opts.emulator) {
        // A local endpoint takes no credentials: never look for them (nor ask a metadata server).
        const { PassThroughClient } = await import('google-auth-library');
        options.authClient = new PassThroughClient();
      }
      return new BigQuery(options);
    })();
    return this.clientPromise;
  }

  private ref(tableId: string) {
    return { projectId: this.opts.project, datasetId: this.opts.dataset, tableId };
  }

  async loadStar(lake: Lake, ds: string, log: (msg: string) => void = () => undefined): Promise<LoadStarResult> {
    const loc = parseLakeUri(lake.uri);
    if (loc.kind !== 'gcs') {
      throw new WarehouseInputError(`BigQuery loads the star files from Cloud Storage, but the lake is ${lake.uri}: set WINDSOCK_LAKE=gs://bucket/prefix`);
    }
    await checkStarPartition(lake, ds, { dagId: this.opts.dagId, loadTask: this.opts.loadTask });
    const bq = await this.client();
    const dataset = await this.ensureDataset(bq);
    for (const def of [...STAR_TABLES, DAILY_AIR_QUALITY]) await this.ensureTable(dataset, def);
    const uriOf = (def: TableDef) => `${lake.uri.replace(/\/+$/, '')}/${starFileKey(def.name, ds)}`;

    const loaded = {} as Record<StarTableName, number>;
    for (const def of STAR_TABLES) {
      if (def.kind === 'dimension') {
        const job = await this.runJob(bq, { configuration: loadJobConfig(def, uriOf(def), this.ref(stagingName(def))) }, `loading ${uriOf(def)}`);
        loaded[def.name] = outputRows(job);
        await this.runJob(bq, { configuration: { query: { query: mergeSql(def, this.opts.project, this.opts.dataset), useLegacySql: false } } }, `merging ${def.name}`);
      } else {
        const job = await this.runJob(bq, { configuration: loadJobConfig(def, uriOf(def), this.ref(partitionDecorator(def.name, ds))) }, `loading ${uriOf(def)}`);
        loaded[def.name] = outputRows(job);
      }
    }
    // After the fact partition: the statistics of ds and of the next day (whose first 8-hour windows start in ds).
    const table = (name: string) => `\`${this.opts.project}.${this.opts.dataset}.${name}\``;
    for (const sql of dailyStatsStatements(ds, table)) {
      await this.runJob(bq, { configuration: { query: { query: sql, useLegacySql: false } } }, `computing ${DAILY_AIR_QUALITY.name}`);
    }
    log(`loaded ${ds} into ${this.uri}: ${loaded.fact_measurement} facts into ${partitionDecorator('fact_measurement', ds)}, dimensions merged`);
    return { ds, warehouse: this.uri, loaded, replaced_fact_rows: null };
  }

  private async ensureDataset(bq: BigQuery): Promise<Dataset> {
    const dataset = bq.dataset(this.opts.dataset, { location: this.opts.location });
    const [exists] = await dataset.exists();
    if (!exists) {
      try {
        await dataset.create({ location: this.opts.location });
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err; // created meanwhile by another load
      }
    }
    return dataset;
  }

  private async ensureTable(dataset: Dataset, def: TableDef<string>): Promise<void> {
    const [exists] = await dataset.table(def.name).exists();
    if (exists) return;
    try {
      await dataset.createTable(def.name, tableOptions(def));
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }

  /** Inserts a job and waits for it; a failed job rejects with BigQuery's reason and what we were doing. */
  private async runJob(bq: BigQuery, options: Record<string, unknown>, doing: string): Promise<Job> {
    try {
      const [job] = await bq.createJob({ ...options, location: this.opts.location } as never);
      await job.promise();
      return job;
    } catch (err) {
      throw new Error(`BigQuery failed ${doing}: ${(err as Error).message}`);
    }
  }

  async *query(sql: string): AsyncGenerator<arrow.RecordBatch> {
    const bq = await this.client();
    let job: Job;
    try {
      // Unqualified names (SELECT ... FROM fact_measurement, as with DuckDB) resolve in the warehouse's dataset.
      const defaultDataset = { projectId: this.opts.project, datasetId: this.opts.dataset };
      [job] = await bq.createQueryJob({ query: sql, useLegacySql: false, location: this.opts.location, defaultDataset });
    } catch (err) {
      throw new WarehouseQueryError(firstLine((err as Error).message));
    }
    let pageToken: string | undefined;
    let sent = 0;
    for (;;) {
      let rows: Record<string, unknown>[];
      let response: { schema?: { fields?: BqResultField[] }; pageToken?: string };
      try {
        const [r, , resp] = await job.getQueryResults({ autoPaginate: false, maxResults: PAGE_ROWS, pageToken });
        rows = r as Record<string, unknown>[];
        response = (resp ?? {}) as typeof response;
      } catch (err) {
        throw new WarehouseQueryError(firstLine((err as Error).message));
      }
      const fields = response.schema?.fields ?? [];
      if (rows.length > 0 || sent === 0) {
        yield rowsToBatch(fields, rows);
        sent++;
      }
      pageToken = response.pageToken;
      if (!pageToken) return;
    }
  }

  async close(): Promise<void> {
    // The client holds no connection that needs closing.
  }
}

function outputRows(job: Job): number {
  const stats = (job.metadata as { statistics?: { load?: { outputRows?: string | number } } } | undefined)?.statistics;
  return Number(stats?.load?.outputRows ?? 0);
}

function firstLine(message: string): string {
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? message;
}
