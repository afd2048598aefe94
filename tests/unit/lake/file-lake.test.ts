import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { FileLake } from '../../../tasks/lake/file-lake.js';
import { LakeNotFoundError } from '../../../tasks/lake/lake.js';
import { InvalidLakeKeyError } from '../../../tasks/lake/lake-key.js';
import { STALE_MS } from '../../../tasks/lake/partition-swap.js';
import { tempDir } from '../../support/tmp.js';
import { BAD_KEYS } from './bad-keys.js';

const P = 'raw/openaq/ds=2024-04-20/';
const BASE = tempDir('windsock-lake-test-');
/** A fresh folder under the file's one temp folder (removed at exit). */
const scratch = () => fs.mkdtempSync(path.join(BASE, 'd-'));

function newLake(): FileLake {
  return new FileLake(path.join(scratch(), 'lake'));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A local folder holding `files` (relative path -> content), like a staged partition. */
function folder(files: Record<string, string>): string {
  const dir = scratch();
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

/** Everything on disk under `dir`, including the lake's hidden bookkeeping. */
function onDisk(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile()).sort();
}

describe('file lake: objects', () => {
  it('puts and gets strings and bytes, overwriting in place', async () => {
    const lake = newLake();
    await lake.put(`${P}a.json`, '{"a":1}');
    await lake.put(`${P}b.bin`, new Uint8Array([0, 1, 254, 255]));
    expect((await lake.get(`${P}a.json`)).toString()).toBe('{"a":1}');
    expect([...(await lake.get(`${P}b.bin`))]).toEqual([0, 1, 254, 255]);
    await lake.put(`${P}a.json`, '{"a":2}');
    expect((await lake.get(`${P}a.json`)).toString()).toBe('{"a":2}');
    expect(fs.readFileSync(path.join(lake.root, 'raw/openaq/ds=2024-04-20/a.json'), 'utf8')).toBe('{"a":2}');
    // No temp file is left beside the object.
    expect(onDisk(lake.root)).toEqual(['raw/openaq/ds=2024-04-20/a.json', 'raw/openaq/ds=2024-04-20/b.bin']);
  });

  it('reports a missing key as LakeNotFoundError naming the key and the lake', async () => {
    const lake = newLake();
    await expect(lake.get('raw/none.json')).rejects.toBeInstanceOf(LakeNotFoundError);
    await expect(lake.get('raw/none.json')).rejects.toThrow(`raw/none.json not found in the lake ${lake.uri}`);
    await lake.put('raw/x/y.json', '1');
    await expect(lake.get('raw/x')).rejects.toBeInstanceOf(LakeNotFoundError); // a folder is not an object
    expect(await lake.exists('raw/x/y.json')).toBe(true);
    expect(await lake.exists('raw/x')).toBe(false);
    expect(await lake.exists('raw/none.json')).toBe(false);
  });

  it('lists every key under a folder, recursively and sorted, folder by folder', async () => {
    const lake = newLake();
    for (const k of ['raw/x/b.json', 'raw/x/a/2.json', 'raw/x/a/1.json', 'raw/x2/c.json', 'star/d.parquet']) await lake.put(k, k);
    expect(await lake.list('raw/x/')).toEqual(['raw/x/a/1.json', 'raw/x/a/2.json', 'raw/x/b.json']);
    expect(await lake.list('raw/x')).toEqual(await lake.list('raw/x/')); // never raw/x2
    expect(await lake.list('')).toEqual(['raw/x/a/1.json', 'raw/x/a/2.json', 'raw/x/b.json', 'raw/x2/c.json', 'star/d.parquet']);
    expect(await lake.list('raw/nothing/')).toEqual([]);
    expect(await lake.list('raw/x/b.json')).toEqual([]); // an object is not a folder
    expect(await new FileLake(path.join(scratch(), 'never-created')).list('')).toEqual([]);
  });

  it('never lists its own temp files', async () => {
    const lake = newLake();
    await lake.put('raw/x/a.json', 'a');
    fs.writeFileSync(path.join(lake.root, 'raw/x/.windsock-tmp-b.json-0123456789abcdef'), 'half a write');
    expect(await lake.list('raw/')).toEqual(['raw/x/a.json']);
  });

  it('deletes, and deleting what is not there is fine', async () => {
    const lake = newLake();
    await lake.put('raw/x/a.json', 'a');
    await lake.delete('raw/x/a.json');
    expect(await lake.exists('raw/x/a.json')).toBe(false);
    await lake.delete('raw/x/a.json');
    expect(await lake.list('')).toEqual([]);
  });

  it('streams in and out', async () => {
    const lake = newLake();
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
    await lake.putStream('big/blob.bin', Readable.from(chunks));
    const back = await readAll(lake.getStream('big/blob.bin'));
    expect(back.equals(Buffer.concat(chunks))).toBe(true);
    await expect(readAll(lake.getStream('big/none.bin'))).rejects.toBeInstanceOf(LakeNotFoundError);
  });

  it('keeps the old object when a streamed write fails half way', async () => {
    const lake = newLake();
    await lake.put('raw/a.json', 'old');
    const failing = new Readable({
      read() {
        this.push('new, partial');
        this.destroy(new Error('source broke'));
      },
    });
    await expect(lake.putStream('raw/a.json', failing)).rejects.toThrow('source broke');
    expect((await lake.get('raw/a.json')).toString()).toBe('old');
    expect(onDisk(lake.root)).toEqual(['raw/a.json']);
  });

  it('validates the key of every call and writes nothing outside the root', async () => {
    const base = scratch();
    const lake = new FileLake(path.join(base, 'lake'));
    const from = folder({ 'm.json': '{}' });
    const calls: Array<[string, (k: string) => Promise<unknown>]> = [
      ['put', (k) => lake.put(k, 'x')],
      ['putStream', (k) => lake.putStream(k, Readable.from(['x']))],
      ['get', (k) => lake.get(k)],
      ['getStream', async (k) => readAll(lake.getStream(k))],
      ['exists', (k) => lake.exists(k)],
      ['delete', (k) => lake.delete(k)],
      ['list', (k) => lake.list(`${k}/`)],
      ['replacePartition', (k) => lake.replacePartition(`${k}/`, from, 'm.json')],
    ];
    for (const key of BAD_KEYS.filter((k) => k !== '')) {
      for (const [name, call] of calls) {
        let err: unknown;
        try {
          await call(key);
        } catch (e) {
          err = e;
        }
        expect(err, `${name}(${JSON.stringify(key)})`).toBeInstanceOf(InvalidLakeKeyError);
        expect((err as Error).message).toContain(JSON.stringify(key).slice(1, -1).slice(0, 20));
      }
    }
    expect(fs.readdirSync(base)).toEqual([]);
  });
});

describe('file lake: replacePartition', () => {
  it('replaces a partition whole: exactly the new files, none of the old, nothing else touched', async () => {
    const lake = newLake();
    await lake.replacePartition(P, folder({ '_manifest.json': 'v1', 'a/page-0001.json': 'a1', 'stale/page-0001.json': 's1' }), '_manifest.json');
    await lake.put('raw/openaq/ds=2024-04-21/_manifest.json', 'neighbour');
    expect(await lake.list(P)).toEqual([`${P}_manifest.json`, `${P}a/page-0001.json`, `${P}stale/page-0001.json`]);

    await lake.replacePartition(P, folder({ '_manifest.json': 'v2', 'a/page-0001.json': 'a2', 'b/page-0001.json': 'b2' }), '_manifest.json');
    expect(await lake.list(P)).toEqual([`${P}_manifest.json`, `${P}a/page-0001.json`, `${P}b/page-0001.json`]);
    expect((await lake.get(`${P}_manifest.json`)).toString()).toBe('v2');
    expect((await lake.get(`${P}a/page-0001.json`)).toString()).toBe('a2');
    expect((await lake.get('raw/openaq/ds=2024-04-21/_manifest.json')).toString()).toBe('neighbour');
    // No swap folder, marker or temp file is left behind.
    expect(onDisk(lake.root)).toEqual([
      'raw/openaq/ds=2024-04-20/_manifest.json',
      'raw/openaq/ds=2024-04-20/a/page-0001.json',
      'raw/openaq/ds=2024-04-20/b/page-0001.json',
      'raw/openaq/ds=2024-04-21/_manifest.json',
    ]);
  });

  it('refuses a folder without its manifest and leaves the partition as it was', async () => {
    const lake = newLake();
    await lake.replacePartition(P, folder({ '_manifest.json': 'v1' }), '_manifest.json');
    const from = folder({ 'a.json': 'a' });
    await expect(lake.replacePartition(P, from, '_manifest.json')).rejects.toThrow(`${path.join(from, '_manifest.json')} is missing`);
    expect(await lake.list(P)).toEqual([`${P}_manifest.json`]);
    await expect(lake.replacePartition('', from, 'a.json')).rejects.toThrow('needs a partition prefix');
  });

  it('readers running during replacements (same thread and other threads) see the old set or the new set', async () => {
    const lake = newLake();
    // Same folders, different files: a walk that read one level of A and the next of B would list a set of neither.
    const A = { '_manifest.json': 'A', 'a.json': 'a', 'p/1.json': 'a', 'p/2.json': 'a', 'q/4.json': 'a' };
    const B = { '_manifest.json': 'B', 'b.json': 'b', 'p/3.json': 'b', 'q/5.json': 'b' };
    const dirA = folder(A);
    const dirB = folder(B);
    const setA = Object.keys(A).map((k) => P + k).sort().join(',');
    const setB = Object.keys(B).map((k) => P + k).sort().join(',');
    await lake.replacePartition(P, dirA, '_manifest.json');

    // Readers in worker threads run truly in parallel with the writer's renames.
    const stop = new SharedArrayBuffer(4);
    const workers = [1, 2].map(
      () =>
        new Promise<{ reads: number; bad: string[] }>((resolve, reject) => {
          const w = new Worker(THREAD_READER, {
            eval: true,
            workerData: { moduleUrl: new URL('../../../tasks/lake/file-lake.js', import.meta.url).href, root: lake.root, prefix: P, sets: [setA, setB], stop },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );

    let writing = true;
    let reads = 0;
    const reader = async () => {
      while (writing) {
        const listed = (await lake.list(P)).join(',');
        expect([setA, setB]).toContain(listed);
        const manifest = (await lake.get(`${P}_manifest.json`)).toString();
        expect(['A', 'B']).toContain(manifest);
        expect(await lake.exists(`${P}_manifest.json`)).toBe(true);
        reads++;
      }
    };
    const writer = async () => {
      try {
        for (let i = 0; i < 40; i++) await lake.replacePartition(P, i % 2 ? dirA : dirB, '_manifest.json');
      } finally {
        writing = false;
        Atomics.store(new Int32Array(stop), 0, 1);
      }
    };
    await Promise.all([writer(), reader()]);
    const results = await Promise.all(workers);
    expect(reads).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.bad).toEqual([]);
      expect(r.reads).toBeGreaterThan(0);
    }
    expect((await lake.list(P)).join(',')).toBe(setA);
  });
});

/** A reader loop for a worker thread: list + manifest until told to stop; reports what was not the old or new set. */
const THREAD_READER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { FileLake } = await import(workerData.moduleUrl);
  const lake = new FileLake(workerData.root);
  const stop = new Int32Array(workerData.stop);
  let reads = 0;
  const bad = [];
  do {
    const listed = (await lake.list(workerData.prefix)).join(',');
    if (!workerData.sets.includes(listed)) bad.push('listed: ' + listed);
    try {
      const m = (await lake.get(workerData.prefix + '_manifest.json')).toString();
      if (m !== 'A' && m !== 'B') bad.push('manifest: ' + m);
    } catch (e) {
      bad.push(e.message);
    }
    reads++;
  } while (Atomics.load(stop, 0) === 0 && bad.length < 5);
  parentPort.postMessage({ reads, bad });
})();
`;

describe('file lake: crash recovery', () => {
  const parentOf = (lake: FileLake) => path.join(lake.root, 'raw/openaq');
  const id = '0123456789abcdef';

  function writeDir(dir: string, files: Record<string, string>): void {
    for (const [rel, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), body);
    }
  }

  /** The disk as a writer leaves it when it dies between "old -> trash" and "new -> target". */
  function crashMidSwap(lake: FileLake, markerAgeMs: number): void {
    const parent = parentOf(lake);
    writeDir(path.join(parent, `.windsock-old-ds=2024-04-20-${id}`), { '_manifest.json': 'old', 'x.json': 'old' });
    writeDir(path.join(parent, `.windsock-new-ds=2024-04-20-${id}`), { '_manifest.json': 'new', 'y.json': 'new' });
    const marker = path.join(parent, '.windsock-swap-ds=2024-04-20');
    fs.writeFileSync(marker, id);
    const t = new Date(Date.now() - markerAgeMs);
    fs.utimesSync(marker, t, t);
  }

  it('a reader finds the new partition after a writer died mid-swap', async () => {
    const lake = newLake();
    crashMidSwap(lake, STALE_MS + 60_000);
    expect((await lake.get(`${P}_manifest.json`)).toString()).toBe('new');
    expect(await lake.list(P)).toEqual([`${P}_manifest.json`, `${P}y.json`]);
    // The next replacement clears what the dead writer left.
    await lake.replacePartition(P, folder({ '_manifest.json': 'v3' }), '_manifest.json');
    expect(fs.readdirSync(parentOf(lake))).toEqual(['ds=2024-04-20']);
  });

  it('a listing of the parent waits out a swap in flight and sees the new partition', async () => {
    const lake = newLake();
    crashMidSwap(lake, 0); // a live writer: the marker is fresh
    const parent = parentOf(lake);
    // The "writer" finishes its swap a moment later.
    setTimeout(() => {
      fs.renameSync(path.join(parent, `.windsock-new-ds=2024-04-20-${id}`), path.join(parent, 'ds=2024-04-20'));
      fs.rmSync(path.join(parent, '.windsock-swap-ds=2024-04-20'));
    }, 50);
    expect(await lake.list('raw/')).toEqual([`${P}_manifest.json`, `${P}y.json`]);
  });

  it('a copy that died before the swap is invisible, and removed by the next replacement', async () => {
    const lake = newLake();
    await lake.replacePartition(P, folder({ '_manifest.json': 'v1' }), '_manifest.json');
    writeDir(path.join(parentOf(lake), `.windsock-new-ds=2024-04-20-${id}`), { 'half.json': 'h' });
    writeDir(path.join(parentOf(lake), `.windsock-new-ds=2024-04-20-x-${id}`), { 'other.json': 'o' }); // another partition's
    expect(await lake.list('')).toEqual([`${P}_manifest.json`]);
    await lake.replacePartition(P, folder({ '_manifest.json': 'v2' }), '_manifest.json');
    expect(fs.readdirSync(parentOf(lake)).sort()).toEqual(['.windsock-new-ds=2024-04-20-x-0123456789abcdef', 'ds=2024-04-20']);
    expect((await lake.get(`${P}_manifest.json`)).toString()).toBe('v2');
  });
});
