// A small in-memory Google Cloud Storage on 127.0.0.1 speaking the part of the JSON API that @google-cloud/storage v7
// uses for object put/get/list/delete, so tests run the real client end to end:
//   POST   /upload/storage/v1/b/{bucket}/o?uploadType=multipart|media&name=...   (multipart/related: metadata + media)
//   GET    /storage/v1/b/{bucket}/o/{object}                                   metadata
//   GET    /storage/v1/b/{bucket}/o/{object}?alt=media                         bytes, with x-goog-hash (crc32c, md5)
//   GET    /storage/v1/b/{bucket}/o?prefix=&pageToken=&maxResults=             list, paged
//   DELETE /storage/v1/b/{bucket}/o/{object}
// JSON API paths are also served without the /storage/v1 prefix: that is where the client sends them when
// STORAGE_EMULATOR_HOST is set. Resumable uploads are refused (501) so a backend that falls back to them is noticed.
// Every request is recorded in arrival order, with the sequence number at which it completed.
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The object the request is about (upload name or decoded path segment), if any. */
  object?: string;
  status?: number;
  /** Global event numbers: when it arrived and when its response was about to be sent. */
  arrivedAt: number;
  doneAt?: number;
}

export interface StoredObject {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  generation: number;
  updated: string;
}

export interface FakeGcs {
  /** http://127.0.0.1:<port>, for apiEndpoint or STORAGE_EMULATOR_HOST. */
  url: string;
  requests: RecordedRequest[];
  /** bucket -> object name -> object. */
  buckets: Map<string, Map<string, StoredObject>>;
  /** Object names of one bucket, sorted. */
  names(bucket: string): string[];
  /** Answer the next `count` requests that `match` with `status` (a GCS JSON error) instead of serving them. */
  failNext(count: number, status: number, match?: (r: RecordedRequest) => boolean): void;
  close(): Promise<void>;
}

export interface FakeGcsOptions {
  buckets?: string[];
  /** Largest page a list returns (GCS: 1000); set small to exercise pageToken paging. */
  pageSize?: number;
}

export async function startFakeGcs(opts: FakeGcsOptions = {}): Promise<FakeGcs> {
  const buckets = new Map<string, Map<string, StoredObject>>((opts.buckets ?? ['test-bucket']).map((b) => [b, new Map()]));
  const requests: RecordedRequest[] = [];
  const pageSize = opts.pageSize ?? 1000;
  let events = 0;
  const faults: Array<{ left: number; status: number; match: (r: RecordedRequest) => boolean }> = [];
  let generation = 1_700_000_000_000_000;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), arrivedAt: ++events };
    requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      const buf = Buffer.isBuffer(body) ? body : body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
      const type = Buffer.isBuffer(body) ? {} : body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' };
      // Numbered before the response leaves, so anything the client does after reading it has a larger number.
      rec.doneAt = ++events;
      res.writeHead(status, { ...type, 'content-length': String(buf.length), ...headers });
      res.end(buf);
    };
    const fail = (status: number, reason: string, message: string) =>
      send(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });

    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        route(Buffer.concat(chunks));
      } catch (err) {
        fail(500, 'backendError', `fake-gcs: ${(err as Error).message}`);
      }
    });

    function route(body: Buffer): void {
      const fault = faults.find((f) => f.left > 0 && f.match(rec));
      if (fault) {
        fault.left--;
        return fail(fault.status, fault.status === 429 ? 'rateLimitExceeded' : 'backendError', `fake-gcs: injected ${fault.status}`);
      }
      const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
      if (upload && req.method === 'POST') return insert(decodeURIComponent(upload[1]!), body);
      const json = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
      if (!json) return fail(404, 'notFound', `fake-gcs: no route for ${req.method} ${url.pathname}`);
      const bucketName = decodeURIComponent(json[1]!);
      const objects = buckets.get(bucketName);
      if (!objects) return fail(404, 'notFound', 'The specified bucket does not exist.');
      if (json[2] === undefined) {
        if (req.method === 'GET') return list(objects);
        return fail(405, 'methodNotAllowed', `fake-gcs: ${req.method} on a bucket's object collection`);
      }
      const name = decodeURIComponent(json[2]);
      rec.object = name;
      const obj = objects.get(name);
      if (!obj) return fail(404, 'notFound', `No such object: ${bucketName}/${name}`);
      if (req.method === 'GET' && url.searchParams.get('alt') === 'media') {
        return send(200, obj.data, {
          'content-type': obj.contentType,
          'x-goog-hash': `crc32c=${crc32cBase64(obj.data)},md5=${md5Base64(obj.data)}`,
          'x-goog-stored-content-encoding': 'identity',
          'x-goog-generation': String(obj.generation),
        });
      }
      if (req.method === 'GET') return send(200, resource(obj));
      if (req.method === 'DELETE') {
        objects.delete(name);
        return send(204, undefined);
      }
      return fail(405, 'methodNotAllowed', `fake-gcs: ${req.method} on an object`);
    }

    function insert(bucketName: string, body: Buffer): void {
      const objects = buckets.get(bucketName);
      if (!objects) return fail(404, 'notFound', 'The specified bucket does not exist.');
      const uploadType = url.searchParams.get('uploadType');
      let metadata: { name?: string; contentType?: string } = {};
      let data: Buffer;
      if (uploadType === 'multipart') {
        const boundary = /boundary=("?)([^";]+)\1/.exec(req.headers['content-type'] ?? '')?.[2];
        if (!boundary) return fail(400, 'invalid', 'multipart upload without a boundary');
        const parts = splitMultipart(body, boundary);
        if (parts.length !== 2) return fail(400, 'invalid', `multipart upload with ${parts.length} parts, expected 2`);
        metadata = JSON.parse(parts[0]!.body.toString('utf8'));
        data = parts[1]!.body;
        metadata.contentType ??= parts[1]!.headers['content-type'];
      } else if (uploadType === 'media') {
        data = body;
        metadata.contentType = req.headers['content-type'];
      } else {
        return fail(501, 'notImplemented', `fake-gcs does not support uploadType=${uploadType}`);
      }
      const name = url.searchParams.get('name') ?? metadata.name;
      if (!name) return fail(400, 'required', 'Required parameter: name');
      rec.object = name;
      const obj: StoredObject = {
        bucket: bucketName,
        name,
        data,
        contentType: metadata.contentType ?? 'application/octet-stream',
        generation: ++generation,
        updated: new Date().toISOString(),
      };
      objects.set(name, obj);
      send(200, resource(obj));
    }

    function list(objects: Map<string, StoredObject>): void {
      const prefix = url.searchParams.get('prefix') ?? '';
      const max = Math.min(Number(url.searchParams.get('maxResults') ?? pageSize) || pageSize, pageSize);
      const after = url.searchParams.get('pageToken');
      const names = [...objects.keys()].filter((n) => n.startsWith(prefix)).sort(byBytes);
      const start = after ? names.findIndex((n) => byBytes(n, Buffer.from(after, 'base64').toString('utf8')) > 0) : 0;
      const page = start < 0 ? [] : names.slice(start, start + max);
      const more = start >= 0 && start + max < names.length;
      const body: Record<string, unknown> = { kind: 'storage#objects' };
      if (page.length > 0) body.items = page.map((n) => resource(objects.get(n)!));
      if (more) body.nextPageToken = Buffer.from(page[page.length - 1]!, 'utf8').toString('base64');
      send(200, body);
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  function resource(o: StoredObject): Record<string, unknown> {
    const enc = encodeURIComponent(o.name);
    return {
      kind: 'storage#object',
      id: `${o.bucket}/${o.name}/${o.generation}`,
      selfLink: `${url}/storage/v1/b/${o.bucket}/o/${enc}`,
      mediaLink: `${url}/download/storage/v1/b/${o.bucket}/o/${enc}?generation=${o.generation}&alt=media`,
      name: o.name,
      bucket: o.bucket,
      generation: String(o.generation),
      metageneration: '1',
      contentType: o.contentType,
      storageClass: 'STANDARD',
      size: String(o.data.length),
      md5Hash: md5Base64(o.data),
      crc32c: crc32cBase64(o.data),
      etag: Buffer.from(String(o.generation)).toString('base64'),
      timeCreated: o.updated,
      updated: o.updated,
    };
  }

  return {
    url,
    requests,
    buckets,
    names: (bucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(byBytes),
    failNext: (count, status, match = () => true) => {
      faults.push({ left: count, status, match });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** GCS orders object names by their UTF-8 bytes. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** The parts of a multipart/related body (RFC 2046): "--b\r\nheaders\r\n\r\nbody\r\n--b ... --b--". */
export function splitMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // the closing delimiter
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // The part runs from after the delimiter's CRLF to the CRLF that precedes the next delimiter.
    const raw = body.subarray(start + 2, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    const headerText = split < 0 ? '' : raw.subarray(0, split).toString('utf8');
    const headers = Object.fromEntries(
      headerText
        .split('\r\n')
        .filter(Boolean)
        .map((line) => {
          const i = line.indexOf(':');
          return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
        }),
    );
    parts.push({ headers, body: split < 0 ? raw : raw.subarray(split + 4) });
    at = next;
  }
  return parts;
}

function md5Base64(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), big-endian, base64: the form GCS reports. */
export function crc32cBase64(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}
