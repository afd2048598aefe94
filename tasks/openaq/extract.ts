// openaq.extract: one data interval (one local day for the @daily Europe/Paris DAG) of hourly values for the
// stations of a region, every response body staged byte for byte with a manifest (raw-format.ts). Resumable: pages
// staged by an interrupted attempt are not fetched again.
import type { z } from 'zod';
import { FailTask, type OperatorDefinition, type TaskContext } from '../../engine/operators/api.js';
import { isLastPage, MAX_LIMIT, OpenAQClient, buildQuery } from './client.js';
import { OpenAQError } from './errors.js';
import { ExtractArgs, regionQuery, resolveExtractArgs } from './extract-args.js';
import { extractSpec } from './operator-spec.js';
import { parameterById } from './parameter-table.js';
import { pageFileName, type ManifestPage } from './raw-format.js';
import { openaqSettings, type OpenAQSettings } from './settings.js';
import { LocationsPage, MeasurementsPage, ParametersPage, type Envelope } from './shapes.js';
import { Staging, type Fingerprint, type PageRequest } from './staging.js';
import { stagingDir as sourceStagingDir } from '../lake/staged-partition.js';
import { forEachLimit } from '../concurrency.js';

export interface ExtractSummary {
  ds: string;
  locations: number;
  sensors: number;
  pages: number;
  /** Pages taken from an interrupted attempt's staging instead of the API. */
  pages_reused: number;
  rows: number;
  requests: number;
  retries: number;
  rate_limit_wait_seconds: number;
  seconds: number;
  staged_dir: string;
}

export const extract: OperatorDefinition<ExtractArgs> = { ...extractSpec, execute: (args, ctx) => runExtract(args, ctx) };

/** The staging folder of one local day. */
export function stagingDir(home: string, dsLocal: string): string {
  return sourceStagingDir(home, 'openaq', dsLocal);
}

/** "2024-04-19T22:00:00+00:00" -> "2024-04-19T22:00:00Z" (what the API compares with period ends). */
export function apiDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
}

export async function runExtract(args: ExtractArgs, ctx: TaskContext): Promise<ExtractSummary> {
  const started = performance.now();
  const resolved = resolveExtractArgs(args);
  if ('problems' in resolved) throw new FailTask(`openaq.extract: ${resolved.problems.map((p) => p.message).join('; ')}`);
  const start = Date.parse(ctx.dataIntervalStart);
  const end = Date.parse(ctx.dataIntervalEnd);
  if (!(start < end)) throw new FailTask(`openaq.extract: the data interval ${ctx.dataIntervalStart} .. ${ctx.dataIntervalEnd} is empty`);
  if (start >= Date.now()) throw new FailTask(`--date ${ctx.dsLocal} is in the future: OpenAQ has no data yet`);

  let settings: OpenAQSettings;
  try {
    settings = openaqSettings();
  } catch (err) {
    throw new FailTask((err as Error).message);
  }
  const region = regionQuery(resolved.region);
  const parameterIds = [...resolved.parameterIds].sort((a, b) => a - b);
  const fingerprint: Fingerprint = {
    base_url: settings.baseUrl,
    region,
    parameters_id: parameterIds,
    data_interval_start: ctx.dataIntervalStart,
    data_interval_end: ctx.dataIntervalEnd,
  };
  const dir = stagingDir(ctx.home, ctx.dsLocal);
  const { staging, journalled, cleaned } = await Staging.open(dir, fingerprint);
  if (cleaned) ctx.log.info(`starting clean in ${dir}: ${cleaned}`);
  else if (journalled) ctx.log.info(`resuming: ${journalled} page(s) staged by an earlier attempt in ${dir}`);

  const client = OpenAQClient.fromSettings(settings, {
    concurrency: resolved.concurrency ?? settings.concurrency,
    signal: ctx.signal,
    onRetry: (r) => ctx.log.warn(`${r.outcome} from ${r.url}: retrying in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt + 1} of ${r.maxAttempts})`),
  });
  let reused = 0;

  /** One page: from an interrupted attempt's staging when its bytes check out, else from the API (then staged). */
  async function page<T>(req: Omit<PageRequest, 'url'>, pathAndQuery: string, schema: z.ZodType<Envelope<T>>): Promise<Envelope<T>> {
    const url = client.url(pathAndQuery);
    const staged = await staging.reuse(req.path);
    if (staged && staged.record.url === url) {
      const parsed = schema.safeParse(JSON.parse(staged.body.toString('utf8')));
      if (parsed.success) {
        reused++;
        return parsed.data;
      }
    }
    const got = await client.get(pathAndQuery, schema);
    await staging.put({ ...req, url }, { body: got.body, status: got.status, fetchedAt: got.fetchedAt, rows: got.value.results.length });
    return got.value;
  }

  /** Every page of a list endpoint, until a short or empty page. */
  async function allPages<T>(base: Omit<PageRequest, 'url' | 'path' | 'page'>, folder: string, apiPath: string, query: Record<string, string | number>, schema: z.ZodType<Envelope<T>>): Promise<T[]> {
    const out: T[] = [];
    for (let n = 1; ; n++) {
      const body = await page({ ...base, path: `${folder}/${pageFileName(n)}`, page: n }, `${apiPath}?${buildQuery({ ...query, limit: MAX_LIMIT, page: n })}`, schema);
      out.push(...body.results);
      if (isLastPage(body.results.length, MAX_LIMIT)) return out;
    }
  }

  try {
    const parameters = await page({ endpoint: 'parameters', path: `parameters/${pageFileName(1)}`, page: 1 }, `/v3/parameters?${buildQuery({ limit: MAX_LIMIT, page: 1 })}`, ParametersPage);
    for (const id of parameterIds) {
      const known = parameterById(id);
      const served = parameters.results.find((p) => p.id === id);
      if (!served || served.name !== known?.name || served.units !== known?.units) {
        ctx.log.warn(`parameter id ${id} (${known?.name} ${known?.units}) is ${served ? `served as ${served.name} ${served.units}` : 'not listed'} by ${settings.baseUrl}/v3/parameters`);
      }
    }

    const locations = await allPages({ endpoint: 'locations' }, 'locations', '/v3/locations', { ...region, parameters_id: parameterIds.join(',') }, LocationsPage);
    const sensors = new Map<number, number>();
    for (const loc of locations) for (const s of loc.sensors) if (parameterIds.includes(s.parameter.id) && !sensors.has(s.id)) sensors.set(s.id, loc.id);
    const sensorIds = [...sensors.keys()].sort((a, b) => a - b);
    ctx.log.info(`${locations.length} location(s), ${sensorIds.length} sensor(s) of ${resolved.parameterNames.join(', ')} in ${JSON.stringify(region)}`);

    const window = { datetime_from: apiDateTime(ctx.dataIntervalStart), datetime_to: apiDateTime(ctx.dataIntervalEnd) };
    let done = 0;
    await forEachLimit(sensorIds, resolved.concurrency ?? settings.concurrency, async (id) => {
      await allPages({ endpoint: 'sensor_hours', sensor_id: id, location_id: sensors.get(id) }, `sensors/${id}/hours`, `/v3/sensors/${id}/hours`, window, MeasurementsPage);
      if (++done % 10 === 0 || done === sensorIds.length) ctx.log.info(`hours: ${done}/${sensorIds.length} sensor(s)`);
    });

    const manifest = await staging.finish({
      dag_id: ctx.dagId,
      run_id: ctx.runId,
      ds: ctx.dsLocal,
      data_interval_start: ctx.dataIntervalStart,
      data_interval_end: ctx.dataIntervalEnd,
      base_url: settings.baseUrl,
      region,
      parameters_id: parameterIds,
    });
    const summary: ExtractSummary = {
      ds: ctx.dsLocal,
      locations: locations.length,
      sensors: sensorIds.length,
      pages: manifest.pages.length,
      pages_reused: reused,
      rows: manifest.pages.filter((p: ManifestPage) => p.endpoint === 'sensor_hours').reduce((n, p) => n + p.rows, 0),
      requests: client.stats.requests,
      retries: client.stats.retries,
      rate_limit_wait_seconds: round(client.rateLimitWaitSeconds),
      seconds: round((performance.now() - started) / 1000),
      staged_dir: dir,
    };
    ctx.log.info(`staged ${summary.pages} page(s), ${summary.rows} hourly value(s) in ${dir} (${summary.requests} request(s), ${summary.retries} retr${summary.retries === 1 ? 'y' : 'ies'})`);
    return summary;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    if (err instanceof OpenAQError) {
      if (err.fatal) throw new FailTask(err.message);
      throw new Error(`OpenAQ API unavailable: ${err.message}; ${staging.pages().length} page(s) are staged and the next attempt resumes from there`);
    }
    throw err;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
