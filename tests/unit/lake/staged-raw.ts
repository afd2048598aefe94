// A raw partition staged the way openaq.extract leaves it, for the lake's tests: real OpenAQ v3 sample bodies, a
// manifest with their sizes and sha256, and an unlisted progress journal.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type ManifestPage, type RawManifest } from '../../../tasks/openaq/raw-format.js';
import { OPENAQ_DATA } from '../../support/paths.js';

export interface StagedRaw {
  dir: string;
  manifest: RawManifest;
  /** Relative path -> bytes, for every listed page. */
  pages: Map<string, Buffer>;
}

const SAMPLES: Array<[string, ManifestPage['endpoint'], string]> = [
  ['parameters/page-0001.json', 'parameters', 'v3_parameters_2.json'],
  ['locations/page-0001.json', 'locations', 'v3_locations_2178.json'],
  ['sensors/3917/hours/page-0001.json', 'sensor_hours', 'v3_sensors_measurements_example.json'],
  ['sensors/3917/hours/page-0002.json', 'sensor_hours', 'server-list_sensor_measurements_limit_5.json'],
];

/** Stage a raw partition for `ds` under `$home/staging/openaq/ds=<ds>/`; `pageCount` keeps the first N pages. */
export function stageRaw(home: string, ds = '2024-04-20', pageCount = SAMPLES.length): StagedRaw {
  const dir = path.join(home, 'staging', 'openaq', `ds=${ds}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const pages = new Map<string, Buffer>();
  const entries: ManifestPage[] = [];
  for (const [rel, endpoint, sample] of SAMPLES.slice(0, pageCount)) {
    const body = fs.readFileSync(path.join(OPENAQ_DATA, 'samples', sample));
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
    pages.set(rel, body);
    entries.push({
      path: rel,
      endpoint,
      url: `https://api.openaq.org/v3/${endpoint}?page=${rel.endsWith('2.json') ? 2 : 1}`,
      page: rel.endsWith('2.json') ? 2 : 1,
      status: 200,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      fetched_at: '2024-04-21T03:00:00Z',
      rows: (JSON.parse(body.toString('utf8')) as { results?: unknown[] }).results?.length ?? 0,
      ...(endpoint === 'sensor_hours' ? { sensor_id: 3917 } : {}),
    });
  }
  entries.sort((a, b) => a.path.localeCompare(b.path));
  const manifest: RawManifest = {
    format: 'windsock.openaq.raw/1',
    dag_id: 'openaq',
    run_id: `scheduled__${ds}T00:00:00+00:00`,
    ds,
    data_interval_start: `${ds}T00:00:00+02:00`,
    data_interval_end: `${ds}T23:59:59+02:00`,
    base_url: 'https://api.openaq.org',
    region: { bbox: [2.22, 48.81, 2.47, 48.91] },
    parameters_id: [2, 5],
    pages: entries,
    created_at: '2024-04-21T03:00:05Z',
  };
  // The extract's own bookkeeping: must never reach the lake.
  fs.writeFileSync(path.join(dir, '_progress.jsonl'), '{"done":"parameters"}\n');
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return { dir, manifest, pages };
}
