// The Lake: one interface over the data lake's storage, with a local-filesystem and a Google Cloud Storage backend
// chosen by WINDSOCK_LAKE (file://... or gs://bucket/prefix). Keys are '/'-separated paths relative to the lake root,
// e.g. "raw/openaq/ds=2024-04-20/_manifest.json".
import type { Readable } from 'node:stream';

export interface Lake {
  /** The lake's URI as configured, e.g. file:///home/me/.windsock/lake or gs://bucket/prefix. */
  readonly uri: string;
  put(key: string, body: Uint8Array | string): Promise<void>;
  putStream(key: string, body: Readable): Promise<void>;
  /** The object's bytes; rejects with LakeNotFoundError when absent. */
  get(key: string): Promise<Buffer>;
  getStream(key: string): Readable;
  exists(key: string): Promise<boolean>;
  /** Every key under the prefix (recursive), sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /**
   * Replace the partition at `prefix` (e.g. "raw/openaq/ds=2024-04-20/") with the files of the local folder `fromDir`
   * so that readers see the old partition or the new one, never a mix. `manifest` is the name of the file written last
   * (local: write aside then rename; GCS: upload, manifest last, then delete objects the new manifest does not list).
   */
  replacePartition(prefix: string, fromDir: string, manifest: string): Promise<void>;
}

export class LakeNotFoundError extends Error {
  constructor(readonly key: string, readonly lakeUri: string) {
    super(`${key} not found in the lake ${lakeUri}`);
    this.name = 'LakeNotFoundError';
  }
}
