import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../engine/types.js';
import { FileLake } from '../../../tasks/lake/file-lake.js';
import { GcsLake } from '../../../tasks/lake/gcs-lake.js';
import { parseLakeUri } from '../../../tasks/lake/lake-uri.js';
import { lakeUri, openLake } from '../../../tasks/lake/open-lake.js';

describe('lake URIs', () => {
  it('parses file:// and gs:// URIs', () => {
    expect(parseLakeUri('file:///data/lake')).toEqual({ kind: 'file', root: '/data/lake', uri: 'file:///data/lake' });
    expect(parseLakeUri('file://localhost/data/my%20lake')).toMatchObject({ kind: 'file', root: '/data/my lake' });
    expect(parseLakeUri('gs://my-bucket/windsock/lake/')).toEqual({ kind: 'gcs', bucket: 'my-bucket', prefix: 'windsock/lake', uri: 'gs://my-bucket/windsock/lake/' });
    expect(parseLakeUri('gs://my_bucket.example.com')).toMatchObject({ kind: 'gcs', bucket: 'my_bucket.example.com', prefix: '' });
  });

  it('rejects an unknown scheme in one line naming the setting', () => {
    expect(() => openLake('s3://x')).toThrow(UserError);
    expect(() => openLake('s3://x')).toThrow(/^WINDSOCK_LAKE='s3:\/\/x' has an unknown scheme: use file:\/\/\/path or gs:\/\/bucket\/prefix$/);
    expect(() => openLake('/data/lake')).toThrow("WINDSOCK_LAKE='/data/lake' has no scheme: use file:///path or gs://bucket/prefix");
  });

  it('rejects malformed gs:// and file:// URIs with the reason', () => {
    const cases: Array<[string, string]> = [
      ['gs://', 'no bucket'],
      ['gs:///prefix', 'no bucket'],
      ['gs://UPPER/x', 'bucket "UPPER" must be'],
      ['gs://ab', 'bucket "ab" must be'],
      ['gs://b'.padEnd(70, 'b'), 'must be 3-63'],
      ['gs://bucket/a//b', 'empty segment'],
      ['gs://bucket/../x', '".." segment'],
      ['gs://bucket/x?y=1', 'query or fragment'],
      ['file://lake', 'names the host "lake": use file:///absolute/path'],
      ['file:///', 'filesystem root'],
    ];
    for (const [uri, reason] of cases) {
      let err: unknown;
      try {
        openLake(uri);
      } catch (e) {
        err = e;
      }
      expect(err, uri).toBeInstanceOf(UserError);
      expect((err as Error).message, uri).toContain(`WINDSOCK_LAKE='${uri}'`);
      expect((err as Error).message, uri).toContain(reason);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('defaults to file://$WINDSOCK_HOME/lake and opens the backend the URI names', () => {
    expect(lakeUri({ WINDSOCK_HOME: '/srv/windsock' })).toBe('file:///srv/windsock/lake');
    expect(lakeUri({ WINDSOCK_HOME: '/srv/wind sock' })).toBe('file:///srv/wind%20sock/lake');
    expect(lakeUri({ WINDSOCK_HOME: '/srv/windsock', WINDSOCK_LAKE: 'gs://b-1/p' })).toBe('gs://b-1/p');
    expect(lakeUri({})).toBe(`file://${path.resolve('.windsock/lake')}`);

    const local = openLake(undefined, '/srv/windsock', {});
    expect(local).toBeInstanceOf(FileLake);
    expect((local as FileLake).root).toBe('/srv/windsock/lake');
    expect(local.uri).toBe('file:///srv/windsock/lake');
    const gcs = openLake(undefined, '/srv/windsock', { WINDSOCK_LAKE: 'gs://bucket-1/lake' });
    expect(gcs).toBeInstanceOf(GcsLake);
    expect(gcs.uri).toBe('gs://bucket-1/lake');
    expect((gcs as GcsLake).objectName('raw/x.json')).toBe('lake/raw/x.json');
  });
});
