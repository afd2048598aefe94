// How star.transform reads the /hours pages, through the whole operator: any JSON layout, the timestamps OpenAQ
// writes and nothing without a zone, and schema drift or broken JSON named by file and field. Pages are rewritten after the partition is built with their manifest entry updated, as if the API had sent
// them so (the checksum still matches).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileLake } from '../../../tasks/lake/file-lake.js';
import { transformOperator, type TransformResult } from '../../../tasks/star/transform.js';
import { runOperator, settleOperator } from '../../support/operator-harness.js';
import { hourRow, hourly, localDay, writeRawPartition, type SpecLocation } from '../../support/raw-partition.js';
import { tempDir } from '../../support/tmp.js';
import { readStar } from './read-star.js';

const DS = '2024-04-20';
const DAY = localDay(DS);
const PREFIX = `raw/openaq/ds=${DS}/`;
const PAGE = `${PREFIX}sensors/40185/hours/page-0001.json`;
const STATION: SpecLocation = { id: 4018, sensors: [{ id: 40185, parameterId: 5 }] };
let home: string;
let lake: FileLake;

beforeEach(() => {
  home = tempDir('windsock-hours-');
  lake = new FileLake(path.join(home, 'lake'));
});

/** A partition whose one /hours page has exactly `body` (the manifest updated to match). */
async function partitionWithPage(body: string): Promise<void> {
  await writeRawPartition(lake, { ds: DS, locations: [STATION], pages: [{ sensorId: 40185, rows: [] }] });
  await lake.put(PAGE, body);
  const key = `${PREFIX}_manifest.json`;
  const manifest = JSON.parse((await lake.get(key)).toString('utf8'));
  const entry = manifest.pages.find((p: { path: string }) => `${PREFIX}${p.path}` === PAGE);
  const bytes = Buffer.from(body);
  Object.assign(entry, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), rows: entries(body) });
  await lake.put(key, JSON.stringify(manifest));
}

/** The entries the extract would have counted (it parsed the page when it fetched it). */
function entries(body: string): number {
  try {
    const results = JSON.parse(body).results;
    return Array.isArray(results) ? results.length : 0;
  } catch {
    return 3;
  }
}

const page = (results: unknown[], indent?: number) => JSON.stringify({ meta: { name: 'openaq-api', page: 1, limit: 1000, found: results.length }, results }, null, indent);
const t0 = Date.parse(DAY.start) + 3_600_000;
const rows = () => hourly(t0, 4, (i) => [12.3, -1, null, 1234.5][i]!).map((h) => hourRow(h, 5, 'Europe/Paris') as Record<string, any>);
const run = () => runOperator<TransformResult>(transformOperator, {}, { home, dsLocal: DS, dagId: 'openaq' });
const failure = async () => (await settleOperator(transformOperator, {}, { home, dsLocal: DS, dagId: 'openaq' })).error?.message;
const facts = async () => (await readStar(lake, 'fact_measurement', DS)).map((r) => [r.value, r.is_valid, r.period_start_utc, r.period_end_utc, r.coverage_percent]);

describe('star.transform reads /hours pages', () => {
  it('reads the same values compact or pretty-printed', async () => {
    for (const indent of [undefined, 2]) {
      await partitionWithPage(page(rows(), indent));
      expect((await run()).result.rows_out).toBe(4);
      expect(await facts()).toEqual([
        [12.3, true, '2024-04-19T22:00:00.000Z', '2024-04-19T23:00:00.000Z', 100],
        [-1, false, '2024-04-19T23:00:00.000Z', '2024-04-20T00:00:00.000Z', 100],
        [null, false, '2024-04-20T00:00:00.000Z', '2024-04-20T01:00:00.000Z', 100],
        [1234.5, true, '2024-04-20T01:00:00.000Z', '2024-04-20T02:00:00.000Z', 100],
      ]);
    }
  });

  it('reads exponents, other key orders, escapes in fields it skips, offsets and null coverage', async () => {
    const odd = [
      { coverage: null, period: { datetimeTo: { local: 'x\\"}{', utc: '2024-04-20T00:00:00+00:00' }, label: '1hour', datetimeFrom: { utc: '2024-04-19T23:00:00.000Z' } }, parameter: { name: 'n"o2', id: 5 }, value: 1.5e2, extra: [{ a: ['}'] }] },
      { value: -0.5, parameter: { id: 5 }, period: { datetimeFrom: { utc: '2024-04-20T03:00:00+02:00' }, datetimeTo: { utc: '2024-04-20T04:00:00+02:00' } }, coverage: { percentCoverage: 87.5 } },
      { value: 0, parameter: { id: 5 }, period: { datetimeFrom: { utc: '2024-04-20T02:00:00Z' }, datetimeTo: { utc: '2024-04-20T03:00:00Z' } }, coverage: { percentCoverage: null } },
    ];
    await partitionWithPage(page(odd));
    const { result } = await run();
    expect(result.rows_out).toBe(3);
    expect(await facts()).toEqual([
      [150, true, '2024-04-19T23:00:00.000Z', '2024-04-20T00:00:00.000Z', null],
      [-0.5, false, '2024-04-20T01:00:00.000Z', '2024-04-20T02:00:00.000Z', 87.5],
      [0, true, '2024-04-20T02:00:00.000Z', '2024-04-20T03:00:00.000Z', null],
    ]);
  });

  it('rejects timestamps without a zone or that are not times as bad_timestamp', async () => {
    const r = rows();
    r[0]!.period.datetimeTo.utc = '2024-04-19T23:00:00';
    r[1]!.period.datetimeFrom.utc = 'yesterday';
    r[2]!.period.datetimeTo.utc = '2024-02-30T00:00:00Z';
    await partitionWithPage(page(r));
    const { result } = await run();
    expect(result.rejected).toEqual({ bad_timestamp: 3 });
    expect(result.rows_out).toBe(1);
  });

  it('reads an empty page', async () => {
    await partitionWithPage(page([]));
    expect((await run()).result).toMatchObject({ rows_in: 0, rows_out: 0, rejected: {} });
  });

  it('names the file and the missing or mistyped field', async () => {
    const at = `schema drift in ${lake.uri}/${PAGE}: `;
    await partitionWithPage('{"meta":{}}');
    expect(await failure()).toContain(`${at}results is missing`);
    await partitionWithPage('{"results":{}}');
    expect(await failure()).toContain(`${at}results is an object (expected an array)`);
    const cases: [(r: Record<string, any>[]) => void, string][] = [
      [(r) => delete r[1]!.parameter, 'results[1].parameter is missing'],
      [(r) => (r[2]!.parameter.id = 'five'), 'results[2].parameter.id is a string (expected an integer)'],
      [(r) => (r[2]!.parameter.id = 5.5), 'results[2].parameter.id is 5.5 (expected an integer)'],
      [(r) => (r[0]!.period.datetimeFrom.utc = 17), 'results[0].period.datetimeFrom.utc is a number (expected a string)'],
      [(r) => delete r[3]!.value, 'results[3].value is missing'],
      [(r) => (r[3]!.value = true), 'results[3].value is a boolean (expected a number or null)'],
      [(r) => delete r[1]!.coverage, 'results[1].coverage is missing'],
      [(r) => (r[1]!.coverage.percentCoverage = '99'), 'results[1].coverage.percentCoverage is a string (expected a number)'],
      [(r) => (r[0] = 7 as never), 'results[0] is a number (expected an object)'],
    ];
    for (const [change, message] of cases) {
      const r = rows();
      change(r);
      await partitionWithPage(page(r));
      expect(await failure()).toContain(`${at}${message}`);
    }
  });

  it('reports broken JSON with the file and the byte offset', async () => {
    await partitionWithPage(page(rows()).slice(0, 500));
    expect(await failure()).toMatch(new RegExp(`^${lake.uri}/${PAGE.replace(/\./g, '\\.')} is not valid JSON at byte \\d+`));
  });
});
