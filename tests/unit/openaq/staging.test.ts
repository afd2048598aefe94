// The staging folder and its progress journal: pages staged by an interrupted attempt are reused when their bytes
// still match; other arguments, a finished extract or a damaged page mean fetching again.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RawManifest } from '../../../tasks/openaq/raw-format.js';
import { JOURNAL_FILE, Staging, sha256, type Fingerprint } from '../../../tasks/openaq/staging.js';
import { tempDir } from '../../support/tmp.js';

const fp: Fingerprint = {
  base_url: 'http://127.0.0.1:1',
  region: { bbox: '1,2,3,4' },
  parameters_id: [1, 2],
  data_interval_start: '2024-04-19T22:00:00+00:00',
  data_interval_end: '2024-04-20T22:00:00+00:00',
};
const page = (n: number) => ({ path: `locations/page-000${n}.json`, endpoint: 'locations' as const, url: `http://127.0.0.1:1/v3/locations?page=${n}`, page: n });
const body = (s: string) => Buffer.from(s);
const got = (s: string) => ({ body: body(s), status: 200, fetchedAt: '2024-04-21T00:00:00.000Z', rows: 1 });

describe('Staging', () => {
  it('keeps bodies byte for byte and journals them', async () => {
    const dir = path.join(tempDir(), 'ds=2024-04-20');
    const { staging, journalled, cleaned } = await Staging.open(dir, fp);
    expect([journalled, cleaned]).toEqual([0, undefined]);
    const rec = await staging.put(page(1), got('{"a": 1}\n'));
    expect(fs.readFileSync(path.join(dir, 'locations/page-0001.json'), 'utf8')).toBe('{"a": 1}\n');
    expect(rec).toMatchObject({ bytes: 9, sha256: sha256(body('{"a": 1}\n')), rows: 1, status: 200 });
    const lines = fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0])).toEqual({ fingerprint: fp });
    expect(JSON.parse(lines[1])).toEqual(rec);
  });

  it('resumes with the same arguments, reusing only pages whose bytes match', async () => {
    const dir = path.join(tempDir(), 'ds=2024-04-20');
    const first = (await Staging.open(dir, fp)).staging;
    await first.put(page(1), got('one'));
    await first.put(page(2), got('two'));
    fs.writeFileSync(path.join(dir, 'locations/page-0002.json'), 'tw0');
    fs.writeFileSync(path.join(dir, 'locations/page-0003.json.tmp-1-x'), 'half');
    fs.appendFileSync(path.join(dir, JOURNAL_FILE), '{"path":"locations/page-00'); // a line cut by a kill

    const again = await Staging.open(dir, { ...fp, region: { bbox: '1,2,3,4' } });
    expect(again.journalled).toBe(2);
    expect((await again.staging.reuse('locations/page-0001.json'))?.body.toString()).toBe('one');
    expect(await again.staging.reuse('locations/page-0002.json')).toBeUndefined();
    expect(await again.staging.reuse('locations/page-0003.json')).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'locations/page-0003.json.tmp-1-x'))).toBe(false);
  });

  it('starts clean when the arguments differ', async () => {
    const dir = path.join(tempDir(), 'ds=2024-04-20');
    await (await Staging.open(dir, fp)).staging.put(page(1), got('one'));
    const other = await Staging.open(dir, { ...fp, parameters_id: [5] });
    expect(other.cleaned).toMatch(/other arguments/);
    expect(fs.existsSync(path.join(dir, 'locations/page-0001.json'))).toBe(false);
  });

  it('writes the manifest last, sorted by path, drops the journal, and starts clean after a finished extract', async () => {
    const dir = path.join(tempDir(), 'ds=2024-04-20');
    const { staging } = await Staging.open(dir, fp);
    await staging.put(page(2), got('two'));
    await staging.put({ path: 'parameters/page-0001.json', endpoint: 'parameters', url: 'http://127.0.0.1:1/v3/parameters', page: 1 }, got('p'));
    await staging.put(page(1), got('one'));
    const m = await staging.finish({ dag_id: 'd', run_id: 'r', ds: '2024-04-20', data_interval_start: fp.data_interval_start, data_interval_end: fp.data_interval_end, base_url: fp.base_url, region: fp.region, parameters_id: fp.parameters_id });
    expect(m.pages.map((p) => p.path)).toEqual(['locations/page-0001.json', 'locations/page-0002.json', 'parameters/page-0001.json']);
    expect(RawManifest.parse(JSON.parse(fs.readFileSync(path.join(dir, '_manifest.json'), 'utf8')))).toEqual(m);
    expect(fs.readdirSync(dir).sort()).toEqual(['_manifest.json', 'locations', 'parameters']);
    const next = await Staging.open(dir, fp);
    expect(next.cleaned).toMatch(/had finished/);
  });
});
