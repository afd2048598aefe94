// The raw zone's contract, shared by openaq.extract (writer), lake.load_raw (publisher) and star.transform (reader).
//
// A partition is one folder, staged locally at $WINDSOCK_HOME/staging/openaq/ds=YYYY-MM-DD/ by openaq.extract and
// published as a whole to the lake at raw/openaq/ds=YYYY-MM-DD/ by lake.load_raw:
//
//   _manifest.json                              written last; lists every page below
//   parameters/page-0001.json                   /v3/parameters body, byte for byte
//   locations/page-0001.json ...                /v3/locations?bbox=...|coordinates=...&radius=... bodies
//   sensors/<sensorId>/hours/page-0001.json     /v3/sensors/{id}/hours?datetime_from=..&datetime_to=.. bodies
//
// Bodies are kept exactly as received; the manifest records how each was fetched and its sha256.
import { z } from 'zod';

export const MANIFEST_FILE = '_manifest.json';

/** "raw/openaq/ds=2024-04-20/" (raw/<source>/ds=<ds>/ for another source) */
export function rawPartitionPrefix(dsLocal: string, source = 'openaq'): string {
  return `raw/${source}/ds=${dsLocal}/`;
}

export function pageFileName(page: number): string {
  return `page-${String(page).padStart(4, '0')}.json`;
}

export const ManifestPage = z.object({
  /** Path of the body relative to the partition folder, e.g. "sensors/123/hours/page-0001.json". */
  path: z.string(),
  endpoint: z.enum(['parameters', 'locations', 'sensor_hours']),
  /** Request URL without the API key (the key travels in a header and is never recorded). */
  url: z.string(),
  page: z.number().int().positive(),
  status: z.number().int(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** UTC ISO 8601. */
  fetched_at: z.string(),
  /** Number of entries in the body's `results`. */
  rows: z.number().int().nonnegative(),
  sensor_id: z.number().int().optional(),
  location_id: z.number().int().optional(),
});
export type ManifestPage = z.infer<typeof ManifestPage>;

export const RawManifest = z.object({
  format: z.literal('windsock.openaq.raw/1'),
  dag_id: z.string(),
  run_id: z.string(),
  /** ds_local: the logical date in the DAG's time zone. */
  ds: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  data_interval_start: z.string(),
  data_interval_end: z.string(),
  base_url: z.string(),
  region: z.record(z.string(), z.unknown()),
  parameters_id: z.array(z.number().int()),
  /** Sorted by path. */
  pages: z.array(ManifestPage),
  created_at: z.string(),
});
export type RawManifest = z.infer<typeof RawManifest>;

/** A manifest's text parsed and checked, or what is wrong with it (each reader words the error for its place). */
export function parseRawManifest(text: string): { manifest: RawManifest } | { notJson: string } | { field: string; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { notJson: (err as Error).message };
  }
  const parsed = RawManifest.safeParse(json);
  if (parsed.success) return { manifest: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { field: issue.path.join('.'), message: issue.message };
}
