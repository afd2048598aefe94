// lake.load_raw end to end: a hand-made staged partition published into a file lake and into a GCS lake (the real
// client against fake-gcs), through the operator registry's definition and the test harness's TaskContext.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailTask } from '../../engine/operators/api.js';
import { OperatorRegistry } from '../../engine/operators/registry.js';
import { operators } from '../../tasks/lake/index.js';
import type { LoadRawResult } from '../../tasks/lake/load-raw.js';
import { openLake } from '../../tasks/lake/open-lake.js';
import { extract } from '../../tasks/openaq/extract.js';
import { RawManifest } from '../../tasks/openaq/raw-format.js';
import { startSimulator } from '../../tasks/openaq/simulator/index.js';
import { startFakeGcs, type FakeGcs } from '../support/fake-gcs.js';
import { openaqEnv } from '../support/openaq-env.js';
import { runOperator, settleOperator } from '../support/operator-harness.js';
import { tempDir } from '../support/tmp.js';
import { stageRaw } from '../unit/lake/staged-raw.js';

const BASE = tempDir('windsock-load-raw-');
const DS = '2024-04-20';
const P = `raw/openaq/ds=${DS}/`;
const loadRaw = new OperatorRegistry().registerAll(operators).resolve('lake.load_raw')!;
const ENV = ['WINDSOCK_LAKE', 'WINDSOCK_GCS_ENDPOINT', 'STORAGE_EMULATOR_HOST'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let fake: FakeGcs;
beforeAll(async () => {
  fake = await startFakeGcs({ buckets: ['windsock-lake'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  for (const k of ENV) delete process.env[k];
});
afterEach(() => {
  for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
});

const newHome = () => fs.mkdtempSync(path.join(BASE, 'home-'));
const run = (home: string, args: Record<string, unknown> = {}) =>
  runOperator<LoadRawResult>(loadRaw, args, { home, dagId: 'openaq', taskId: 'load_raw', dsLocal: DS });

describe('lake.load_raw into the default file lake', () => {
  it('publishes the listed pages and the manifest, byte for byte, and returns what it did', async () => {
    const home = newHome();
    const staged = stageRaw(home, DS);
    const { result, logs } = await run(home);

    const expectedFiles = [...staged.pages.keys(), '_manifest.json'];
    const bytes = expectedFiles.reduce((n, f) => n + fs.statSync(path.join(staged.dir, f)).size, 0);
    const lakeRoot = path.join(home, 'lake');
    expect(result).toEqual({ ds: DS, lake: `file://${lakeRoot}`, prefix: P, files: expectedFiles.length, bytes });

    const lake = openLake(undefined, home);
    expect(await lake.list(P)).toEqual(expectedFiles.map((f) => P + f).sort());
    for (const f of expectedFiles) expect((await lake.get(P + f)).equals(fs.readFileSync(path.join(staged.dir, f)))).toBe(true);
    expect(await lake.exists(`${P}_progress.jsonl`)).toBe(false);
    expect(logs.map((l) => l.msg).join('\n')).toContain(`published ${expectedFiles.length} files`);
    // The staging folder is left as it was, with no publishing leftovers beside it.
    expect(fs.readdirSync(path.join(home, 'staging', 'openaq'))).toEqual([`ds=${DS}`]);
  });

  it('re-running replaces the partition: a page gone from the new extract is gone from the lake', async () => {
    const home = newHome();
    stageRaw(home, DS);
    const first = await run(home);
    const again = await run(home);
    expect(again.result).toEqual(first.result);

    stageRaw(home, DS, 2); // a new extract with fewer pages
    const smaller = await run(home);
    expect(smaller.result.files).toBe(3);
    const lake = openLake(undefined, home);
    expect(await lake.list(P)).toEqual([`${P}_manifest.json`, `${P}locations/page-0001.json`, `${P}parameters/page-0001.json`]);
    expect(fs.readdirSync(path.join(home, 'lake', 'raw', 'openaq'))).toEqual([`ds=${DS}`]);
  });

  it('fails without publishing when a staged page is corrupted, naming the page', async () => {
    const home = newHome();
    const staged = stageRaw(home, DS);
    await run(home);
    const page = path.join(staged.dir, 'sensors/3917/hours/page-0002.json');
    const good = fs.readFileSync(page, 'utf8');
    expect(good).toContain('"value"');
    fs.writeFileSync(page, good.replace('"value"', '"VALUE"')); // same size, different bytes

    const { error } = await settleOperator(loadRaw, {}, { home, dagId: 'openaq', dsLocal: DS });
    expect(error).toBeInstanceOf(FailTask);
    expect(error!.message).toMatch(/sensors\/3917\/hours\/page-0002\.json \(sha256 [0-9a-f]+\.\.\., the manifest says/);
    expect(error!.message).toContain('dag tasks clear openaq -t extract -s 2024-04-20 -e 2024-04-20');
    // The lake still holds the previous, good publication.
    const lake = openLake(undefined, home);
    const published = await lake.get(`${P}sensors/3917/hours/page-0002.json`);
    expect(published.equals(staged.pages.get('sensors/3917/hours/page-0002.json')!)).toBe(true);
  });

  it('says to run the extract first when nothing is staged', async () => {
    const home = newHome();
    const { error } = await settleOperator(loadRaw, {}, { home, dagId: 'openaq', dsLocal: DS });
    expect(error).toBeInstanceOf(FailTask);
    const dir = path.join(home, 'staging', 'openaq', `ds=${DS}`);
    expect(error!.message).toBe(`nothing staged for ds=${DS} at ${dir}: run the extract task first (dag tasks clear openaq -t extract -s ${DS} -e ${DS})`);
  });

  it('honours WINDSOCK_LAKE=file://... and validates its arguments', async () => {
    const home = newHome();
    stageRaw(home, DS);
    const elsewhere = path.join(newHome(), 'my lake');
    process.env.WINDSOCK_LAKE = `file://${elsewhere}`;
    const { result } = await run(home);
    expect(result.lake).toBe(`file://${elsewhere}`);
    expect(fs.existsSync(path.join(elsewhere, P, '_manifest.json'))).toBe(true);

    expect(() => loadRaw.args.parse({ source: '../etc' })).toThrow('source must be a lowercase name');
    expect(() => loadRaw.args.parse({ bucket: 'x' })).toThrow();
    expect(loadRaw.args.parse({})).toEqual({});
  });

  it('reports a bad WINDSOCK_LAKE as the one-line user error', async () => {
    const home = newHome();
    stageRaw(home, DS);
    process.env.WINDSOCK_LAKE = 's3://x';
    const { error } = await settleOperator(loadRaw, {}, { home, dagId: 'openaq', dsLocal: DS });
    expect(error!.message).toBe("WINDSOCK_LAKE='s3://x' has an unknown scheme: use file:///path or gs://bucket/prefix");
  });
});

describe('lake.load_raw into a GCS lake', () => {
  it('uploads the pages, then the manifest, and removes stale objects', async () => {
    const home = newHome();
    const staged = stageRaw(home, DS);
    process.env.WINDSOCK_LAKE = 'gs://windsock-lake/prod';
    process.env.WINDSOCK_GCS_ENDPOINT = fake.url;
    const lake = openLake(undefined, home);
    await lake.put(`${P}sensors/999/hours/page-0001.json`, 'from an older extract');
    fake.requests.length = 0;

    const { result } = await run(home);
    const expectedFiles = [...staged.pages.keys(), '_manifest.json'];
    expect(result).toMatchObject({ ds: DS, lake: 'gs://windsock-lake/prod', prefix: P, files: expectedFiles.length });
    expect(fake.names('windsock-lake')).toEqual(expectedFiles.map((f) => `prod/${P}${f}`).sort());
    for (const f of expectedFiles) {
      expect(fake.buckets.get('windsock-lake')!.get(`prod/${P}${f}`)!.data.equals(fs.readFileSync(path.join(staged.dir, f)))).toBe(true);
    }
    const uploads = fake.requests.filter((r) => r.path.startsWith('/upload/'));
    expect(uploads.at(-1)!.query.name).toBe(`prod/${P}_manifest.json`);
    expect(uploads.every((r) => r.query.uploadType === 'multipart')).toBe(true);
    const deleted = fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.object);
    expect(deleted).toEqual([`prod/${P}sensors/999/hours/page-0001.json`]);
  });
});

describe('lake.load_raw after the real extract', () => {
  it('publishes exactly what openaq.extract staged from the simulator', async () => {
    const sim = await startSimulator();
    const restore = openaqEnv(sim.url);
    try {
      const home = newHome();
      await runOperator(extract, {}, { home, dagId: 'openaq', taskId: 'extract', dsLocal: DS });
      const { result } = await run(home);
      const dir = path.join(home, 'staging', 'openaq', `ds=${DS}`);
      const manifest = RawManifest.parse(JSON.parse(fs.readFileSync(path.join(dir, '_manifest.json'), 'utf8')));
      const lake = openLake(undefined, home);
      const listed = await lake.list(P);
      expect(listed).toEqual([...manifest.pages.map((p) => P + p.path), `${P}_manifest.json`].sort());
      expect(result.files).toBe(manifest.pages.length + 1);
      for (const page of manifest.pages.slice(0, 5)) {
        expect((await lake.get(P + page.path)).equals(fs.readFileSync(path.join(dir, page.path)))).toBe(true);
      }
    } finally {
      restore();
      await sim.close();
    }
  });
});
