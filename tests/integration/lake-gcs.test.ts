// The GCS lake through the real @google-cloud/storage client, against an in-memory GCS on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GcsLake } from '../../tasks/lake/gcs-lake.js';
import { LakeNotFoundError, type Lake } from '../../tasks/lake/lake.js';
import { InvalidLakeKeyError } from '../../tasks/lake/lake-key.js';
import { openLake } from '../../tasks/lake/open-lake.js';
import { startFakeGcs, type FakeGcs, type RecordedRequest } from '../support/fake-gcs.js';
import { tempDir } from '../support/tmp.js';
import { BAD_KEYS } from '../unit/lake/bad-keys.js';

const BUCKET = 'windsock-test';
const P = 'raw/openaq/ds=2024-04-20/';
const BASE = tempDir('windsock-gcs-test-');

let fake: FakeGcs;
let lake: Lake;

beforeAll(async () => {
  fake = await startFakeGcs({ buckets: [BUCKET], pageSize: 3 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.buckets.get(BUCKET)!.clear();
  fake.requests.length = 0;
  lake = openLake(`gs://${BUCKET}/lake`, undefined, { WINDSOCK_GCS_ENDPOINT: fake.url });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(BASE, 'part-'));
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

const uploads = (reqs: RecordedRequest[]) => reqs.filter((r) => r.method === 'POST' && r.path.startsWith('/upload/'));

describe('GCS lake through @google-cloud/storage', () => {
  it('puts and gets objects under the URI prefix, with single-request uploads', async () => {
    expect(lake).toBeInstanceOf(GcsLake);
    await lake.put(`${P}a.json`, '{"a":1}');
    await lake.put(`${P}b.bin`, new Uint8Array([0, 1, 254, 255]));
    expect((await lake.get(`${P}a.json`)).toString()).toBe('{"a":1}');
    expect([...(await lake.get(`${P}b.bin`))]).toEqual([0, 1, 254, 255]);
    expect(fake.names(BUCKET)).toEqual([`lake/${P}a.json`, `lake/${P}b.bin`]);
    expect(fake.buckets.get(BUCKET)!.get(`lake/${P}a.json`)!.contentType).toBe('application/json');
    const ups = uploads(fake.requests);
    expect(ups.map((r) => [r.query.uploadType, r.query.name])).toEqual([
      ['multipart', `lake/${P}a.json`],
      ['multipart', `lake/${P}b.bin`],
    ]);
    // Downloads went through the JSON API's media endpoint.
    expect(fake.requests.some((r) => r.method === 'GET' && r.query.alt === 'media' && r.object === `lake/${P}a.json`)).toBe(true);
  });

  it('reports a missing object as LakeNotFoundError and answers exists()', async () => {
    await lake.put(`${P}a.json`, 'a');
    await expect(lake.get(`${P}none.json`)).rejects.toBeInstanceOf(LakeNotFoundError);
    await expect(lake.get(`${P}none.json`)).rejects.toThrow(`${P}none.json not found in the lake gs://${BUCKET}/lake`);
    await expect(readAll(lake.getStream(`${P}none.json`))).rejects.toBeInstanceOf(LakeNotFoundError);
    expect(await lake.exists(`${P}a.json`)).toBe(true);
    expect(await lake.exists(`${P}none.json`)).toBe(false);
  });

  it('lists a folder across pages, sorted, without its neighbours', async () => {
    const keys = ['raw/x/b.json', 'raw/x/a/2.json', 'raw/x/a/1.json', 'raw/x/c.json', 'raw/x/d.json', 'raw/x/e.json', 'raw/x/f.json', 'raw/x2/z.json'];
    for (const k of keys) await lake.put(k, k);
    fake.requests.length = 0;
    expect(await lake.list('raw/x')).toEqual(['raw/x/a/1.json', 'raw/x/a/2.json', 'raw/x/b.json', 'raw/x/c.json', 'raw/x/d.json', 'raw/x/e.json', 'raw/x/f.json']);
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.path === `/storage/v1/b/${BUCKET}/o`);
    expect(lists.map((r) => r.query.prefix)).toEqual(['lake/raw/x/', 'lake/raw/x/', 'lake/raw/x/']); // 7 objects, pages of 3
    expect(lists.filter((r) => r.query.pageToken).length).toBe(2);
    expect(await lake.list('')).toHaveLength(8);
    expect(await lake.list('nothing/')).toEqual([]);
  });

  it('deletes, and deleting what is not there is fine', async () => {
    await lake.put(`${P}a.json`, 'a');
    await lake.delete(`${P}a.json`);
    await lake.delete(`${P}a.json`);
    expect(fake.names(BUCKET)).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([204, 404]);
  });

  it('streams a large object in and out, checked end to end by the client (crc32c)', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const chunks = Array.from({ length: 4 }, (_, i) => data.subarray(i * (data.length / 4) | 0, (i + 1) * (data.length / 4) | 0));
    await lake.putStream('big/blob.bin', Readable.from(chunks));
    expect(fake.buckets.get(BUCKET)!.get('lake/big/blob.bin')!.data.equals(data)).toBe(true);
    expect((await readAll(lake.getStream('big/blob.bin'))).equals(data)).toBe(true);
    expect(uploads(fake.requests).map((r) => r.query.uploadType)).toEqual(['multipart']);
  });

  it('refuses bad keys before any request is sent', async () => {
    for (const key of BAD_KEYS) {
      await expect(lake.put(key, 'x'), JSON.stringify(key)).rejects.toBeInstanceOf(InvalidLakeKeyError);
      await expect(lake.get(key)).rejects.toBeInstanceOf(InvalidLakeKeyError);
      expect(() => lake.getStream(key)).toThrow(InvalidLakeKeyError);
      await expect(lake.delete(key)).rejects.toBeInstanceOf(InvalidLakeKeyError);
    }
    await expect(lake.list('../')).rejects.toBeInstanceOf(InvalidLakeKeyError);
    expect(fake.requests).toEqual([]);
  });

  it('tries an upload again after a transient server error, but not a streamed one', async () => {
    fake.failNext(2, 503, (r) => r.path.startsWith('/upload/'));
    await lake.put(`${P}a.json`, 'a');
    expect((await lake.get(`${P}a.json`)).toString()).toBe('a');
    expect(uploads(fake.requests).map((r) => r.status)).toEqual([503, 503, 200]);

    fake.failNext(1, 503, (r) => r.path.startsWith('/upload/'));
    await expect(lake.putStream(`${P}b.json`, Readable.from(['b']))).rejects.toThrow(`GCS upload of gs://${BUCKET}/lake/${P}b.json failed (HTTP 503)`);
    fake.failNext(1, 403, (r) => r.path.startsWith('/upload/'));
    await expect(lake.put(`${P}c.json`, 'c')).rejects.toThrow('(HTTP 403): fake-gcs: injected 403');
    expect(fake.names(BUCKET)).toEqual([`lake/${P}a.json`]);
  });

  it('says which bucket and object when the bucket does not exist', async () => {
    const missing = openLake('gs://no-such-bucket/lake', undefined, { WINDSOCK_GCS_ENDPOINT: fake.url });
    await expect(missing.put('a.json', 'a')).rejects.toThrow('GCS upload of gs://no-such-bucket/lake/a.json failed (HTTP 404): The specified bucket does not exist.');
    await expect(missing.get('a.json')).rejects.toThrow('GCS download of gs://no-such-bucket/lake/a.json failed (HTTP 404): The specified bucket does not exist.');
  });
});

describe('GCS lake: replacePartition', () => {
  it('uploads the pages, then the manifest, then deletes what the new partition does not have', async () => {
    // The old partition: pages that stay, pages that go, and neighbours that must not be touched.
    await lake.put(`${P}_manifest.json`, 'old');
    await lake.put(`${P}sensors/1/hours/page-0001.json`, 'old 1');
    await lake.put(`${P}sensors/2/hours/page-0001.json`, 'old 2 (stale)');
    await lake.put(`${P}sensors/2/hours/page-0002.json`, 'old 2.2 (stale)');
    await lake.put('raw/openaq/ds=2024-04-21/_manifest.json', 'neighbour');
    await lake.put('raw/openaq/ds=2024-04-201/x.json', 'prefix lookalike');
    fake.requests.length = 0;

    const files: Record<string, string> = { '_manifest.json': 'new' };
    for (const s of [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) files[`sensors/${s}/hours/page-0001.json`] = `new ${s}`; // > 8 at once
    await lake.replacePartition(P, folder(files), '_manifest.json');

    const expected = Object.keys(files).map((f) => P + f).sort();
    expect(await lake.list(P)).toEqual(expected);
    for (const f of Object.keys(files)) expect((await lake.get(P + f)).toString()).toBe(files[f]);
    expect((await lake.get('raw/openaq/ds=2024-04-21/_manifest.json')).toString()).toBe('neighbour');
    expect(await lake.exists('raw/openaq/ds=2024-04-201/x.json')).toBe(true);

    // Order, as the server saw it: every page answered before the manifest upload began; deletions after it ended.
    const ups = uploads(fake.requests);
    expect(ups).toHaveLength(13);
    const manifest = ups.find((r) => r.query.name === `lake/${P}_manifest.json`)!;
    const pages = ups.filter((r) => r !== manifest);
    for (const page of pages) expect(page.doneAt!).toBeLessThan(manifest.arrivedAt);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.object).sort()).toEqual([`lake/${P}sensors/2/hours/page-0001.json`, `lake/${P}sensors/2/hours/page-0002.json`]);
    for (const d of deletes) expect(d.arrivedAt).toBeGreaterThan(manifest.doneAt!);
  });

  it('refuses a folder without its manifest and sends nothing', async () => {
    const from = folder({ 'a.json': 'a' });
    await expect(lake.replacePartition(P, from, '_manifest.json')).rejects.toThrow(`${path.join(from, '_manifest.json')} is missing`);
    expect(fake.requests).toEqual([]);
  });
});

describe('GCS lake: STORAGE_EMULATOR_HOST', () => {
  it('is honoured by the client (JSON API paths without /storage/v1), with no credentials needed', async () => {
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = fake.url;
    try {
      const emu = openLake(`gs://${BUCKET}/emu`, undefined, {});
      await emu.put('k/one.json', '{}');
      expect(await emu.list('k')).toEqual(['k/one.json']);
      expect((await emu.get('k/one.json')).toString()).toBe('{}');
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
    expect(fake.names(BUCKET)).toEqual(['emu/k/one.json']);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /upload/storage/v1/b/${BUCKET}/o`,
      `GET /b/${BUCKET}/o`,
      `GET /b/${BUCKET}/o/emu%2Fk%2Fone.json`,
    ]);
  });
});
