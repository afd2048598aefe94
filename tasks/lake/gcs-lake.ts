// The Google Cloud Storage Lake (WINDSOCK_LAKE=gs://bucket/prefix), through the official @google-cloud/storage client
// with Application Default Credentials. Emulators: the client itself honours STORAGE_EMULATOR_HOST; windsock also
// takes WINDSOCK_GCS_ENDPOINT as the client's apiEndpoint. With either, the client sends no credentials (its rule for
// custom endpoints). Uploads are single-request (resumable: false): lake objects are small and a failed upload is
// simply retried whole. The client library is loaded on first use: it costs ~0.4 s to import.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bucket, Storage, StorageOptions } from '@google-cloud/storage';
import { LakeNotFoundError, type Lake } from './lake.js';
import { checkKey, checkPrefix } from './lake-key.js';
import { partitionFiles } from './local-files.js';
import { forEachLimit } from '../concurrency.js';

export interface GcsLakeOptions {
  bucket: string;
  /** Object-name prefix without leading or trailing slash; '' for the bucket's root. */
  prefix: string;
  uri: string;
  /** The client's apiEndpoint (an emulator such as fake-gcs-server); undefined for Google's. */
  apiEndpoint?: string;
}

/** Objects uploaded at once by replacePartition. */
const UPLOAD_CONCURRENCY = 8;
const UPLOAD_ATTEMPTS = 4;
const RETRY_BASE_MS = 200;

export class GcsLake implements Lake {
  readonly uri: string;
  private bucketPromise: Promise<Bucket> | undefined;

  constructor(private readonly opts: GcsLakeOptions) {
    this.uri = opts.uri;
  }

  private bucket(): Promise<Bucket> {
    this.bucketPromise ??= import('@google-cloud/storage').then(({ Storage }) => {
      const options: StorageOptions = {};
      if (this.opts.apiEndpoint) options.apiEndpoint = this.opts.apiEndpoint;
      const storage: Storage = new Storage(options);
      return storage.bucket(this.opts.bucket);
    });
    return this.bucketPromise;
  }

  /** The object name of a (validated) key. */
  objectName(key: string): string {
    checkKey(key);
    return this.opts.prefix ? `${this.opts.prefix}/${key}` : key;
  }

  private objectPrefix(folder: string): string {
    return this.opts.prefix ? `${this.opts.prefix}/${folder}` : folder;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    await this.upload(this.objectName(key), () => Readable.from([buf]));
  }

  async putStream(key: string, body: Readable): Promise<void> {
    await this.upload(this.objectName(key), () => body, false); // a stream is sent once: its first failure is final
  }

  /**
   * One single-request upload, tried again on a transient failure when `makeBody` can make the body afresh. The client
   * only retries uploads that carry a generation precondition; ours are idempotent (same name, same bytes), so we do.
   * (stream.pipeline rather than file.save(): save() reports a failed sign-in as "write after a stream was destroyed".)
   */
  private async upload(name: string, makeBody: () => Readable, replayable = true): Promise<void> {
    const file = (await this.bucket()).file(name);
    for (let attempt = 1; ; attempt++) {
      try {
        await pipeline(makeBody(), file.createWriteStream({ resumable: false }));
        return;
      } catch (err) {
        if (attempt >= UPLOAD_ATTEMPTS || !isTransient(err) || !replayable) throw this.wrap(err, 'upload', name);
        await new Promise((r) => setTimeout(r, RETRY_BASE_MS * 2 ** (attempt - 1)));
      }
    }
  }

  async get(key: string): Promise<Buffer> {
    const name = this.objectName(key);
    const file = (await this.bucket()).file(name);
    return this.call('download', name, async () => (await file.download())[0], key);
  }

  getStream(key: string): Readable {
    const name = this.objectName(key);
    const out = new PassThrough();
    const fail = (err: unknown) => out.destroy(this.wrap(err, 'download', name, key));
    this.bucket().then((b) => {
      // Not stream.pipeline: it would hand the client's raw error to `out` before we could name the object in it.
      const src = b.file(name).createReadStream();
      src.on('error', fail);
      out.on('close', () => src.destroy());
      src.pipe(out);
    }, fail);
    return out;
  }

  async exists(key: string): Promise<boolean> {
    const name = this.objectName(key);
    const file = (await this.bucket()).file(name);
    return this.call('exists', name, async () => (await file.exists())[0]);
  }

  async list(prefix: string): Promise<string[]> {
    const folder = checkPrefix(prefix);
    const objectPrefix = this.objectPrefix(folder);
    const bucket = await this.bucket();
    const [files] = await this.call('list', `${objectPrefix}*`, () => bucket.getFiles({ prefix: objectPrefix, autoPaginate: true }));
    const strip = this.opts.prefix ? this.opts.prefix.length + 1 : 0;
    return files.map((f) => f.name.slice(strip)).sort();
  }

  async delete(key: string): Promise<void> {
    const name = this.objectName(key);
    const file = (await this.bucket()).file(name);
    await this.call('delete', name, () => file.delete({ ignoreNotFound: true }));
  }

  /**
   * Upload every file but the manifest, then the manifest, then delete the objects under the prefix that this upload
   * did not write. The manifest is the commit point: a reader that starts from it finds every file it lists.
   */
  async replacePartition(prefix: string, fromDir: string, manifest: string): Promise<void> {
    const { folder, files } = await partitionFiles(prefix, fromDir, manifest);
    const keys = new Map(files.map((f) => [f, `${folder}${f}`]));
    const upload = (rel: string) => this.upload(this.objectName(keys.get(rel)!), () => createReadStream(path.join(fromDir, ...rel.split('/'))));
    await forEachLimit(files.filter((f) => f !== manifest), UPLOAD_CONCURRENCY, upload);
    await upload(manifest);
    const keep = new Set(keys.values());
    const stale = (await this.list(folder)).filter((k) => !keep.has(k));
    await forEachLimit(stale, UPLOAD_CONCURRENCY, (k) => this.delete(k));
  }

  private async call<T>(op: string, name: string, fn: () => Promise<T>, key?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.wrap(err, op, name, key);
    }
  }

  /** A GCS failure as one line naming the object; a 404 on a read is LakeNotFoundError. */
  private wrap(err: unknown, op: string, name: string, key?: string): Error {
    if (err instanceof LakeNotFoundError) return err;
    const code = (err as { code?: unknown }).code;
    const msg = apiMessage(err);
    if (key !== undefined && code === 404 && !/bucket does not exist/i.test(msg)) return new LakeNotFoundError(key, this.uri);
    const hint = /default credentials/i.test(msg)
      ? ' (run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or point WINDSOCK_GCS_ENDPOINT at an emulator)'
      : '';
    return new Error(`GCS ${op} of gs://${this.opts.bucket}/${name} failed${typeof code === 'number' ? ` (HTTP ${code})` : ''}: ${msg}${hint}`, { cause: err });
  }
}

/** Worth another try: throttling, a server error, a dropped connection (the client's own list of transient failures). */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') return [408, 429, 500, 502, 503, 504].includes(code);
  return typeof code === 'string' && ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'].includes(code);
}

/** The first line of a client error; download errors carry GCS's raw JSON error body as their message. */
function apiMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  if (raw.trimStart().startsWith('{')) {
    try {
      const body = JSON.parse(raw) as { error?: { message?: string } };
      if (body.error?.message) return body.error.message;
    } catch {
      // not JSON after all
    }
  }
  return raw.split('\n')[0] ?? raw;
}

