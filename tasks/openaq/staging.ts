// The extract's local staging folder ($WINDSOCK_HOME/staging/openaq/ds=YYYY-MM-DD/, laid out per raw-format.ts) and
// its progress journal, so that an attempt interrupted half way resumes without fetching staged pages again.
//
// `_progress.jsonl` starts with the attempt's fingerprint (base URL, region, parameters, data interval), then gets one
// line per page once its body is in place (write aside, rename, then append). A later attempt with the same
// fingerprint reuses every journalled page whose bytes still match their sha256; any other attempt starts clean, and
// so does one that finds `_manifest.json` (the previous extract finished: running the task again means a fresh copy).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, ManifestPage, RawManifest } from './raw-format.js';

export const JOURNAL_FILE = '_progress.jsonl';

export interface Fingerprint {
  base_url: string;
  region: Record<string, unknown>;
  parameters_id: number[];
  data_interval_start: string;
  data_interval_end: string;
}

export type PageRequest = Omit<ManifestPage, 'bytes' | 'sha256' | 'fetched_at' | 'status' | 'rows'>;

export interface OpenResult {
  staging: Staging;
  /** Pages journalled by an earlier attempt (not yet checked). */
  journalled: number;
  /** Why the folder was emptied, if it was. */
  cleaned?: string;
}

export function sha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export class Staging {
  private readonly used = new Map<string, ManifestPage>();

  private constructor(
    readonly dir: string,
    private readonly journal: Map<string, ManifestPage>,
  ) {}

  static async open(dir: string, fingerprint: Fingerprint): Promise<OpenResult> {
    const cleaned = await whyStartClean(dir, fingerprint);
    if (cleaned !== undefined) {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, JOURNAL_FILE), JSON.stringify({ fingerprint }) + '\n');
      return { staging: new Staging(dir, new Map()), journalled: 0, cleaned: cleaned || undefined };
    }
    const journal = await readJournal(dir);
    await removeLeftovers(dir);
    return { staging: new Staging(dir, journal), journalled: journal.size };
  }

  /** A page an earlier attempt staged, if its bytes are still what was recorded. */
  async reuse(relPath: string): Promise<{ record: ManifestPage; body: Buffer } | undefined> {
    const record = this.journal.get(relPath);
    if (!record) return undefined;
    const body = await fs.readFile(path.join(this.dir, relPath)).catch(() => undefined);
    if (!body || body.length !== record.bytes || sha256(body) !== record.sha256) return undefined;
    this.used.set(relPath, record);
    return { record, body };
  }

  /** Keep a fetched body under `req.path` and journal it. */
  async put(req: PageRequest, got: { body: Buffer; status: number; fetchedAt: string; rows: number }): Promise<ManifestPage> {
    const record: ManifestPage = ManifestPage.parse({
      ...req,
      status: got.status,
      bytes: got.body.length,
      sha256: sha256(got.body),
      fetched_at: got.fetchedAt,
      rows: got.rows,
    });
    const file = path.join(this.dir, req.path);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await fs.writeFile(tmp, got.body);
    await fs.rename(tmp, file);
    await fs.appendFile(path.join(this.dir, JOURNAL_FILE), JSON.stringify(record) + '\n');
    this.used.set(req.path, record);
    return record;
  }

  /** The pages used by this attempt, sorted by path. */
  pages(): ManifestPage[] {
    return [...this.used.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Write the manifest last (aside, then rename), then drop the journal: the folder is complete. */
  async finish(head: Omit<RawManifest, 'format' | 'pages' | 'created_at'>): Promise<RawManifest> {
    const manifest = RawManifest.parse({ format: 'windsock.openaq.raw/1', ...head, pages: this.pages(), created_at: new Date().toISOString() });
    const file = path.join(this.dir, MANIFEST_FILE);
    await fs.writeFile(file + '.tmp', JSON.stringify(manifest, null, 2) + '\n');
    await fs.rename(file + '.tmp', file);
    await fs.rm(path.join(this.dir, JOURNAL_FILE), { force: true });
    return manifest;
  }
}

/** undefined: resume; '' : nothing to resume (a new folder); otherwise the reason to start clean. */
async function whyStartClean(dir: string, fingerprint: Fingerprint): Promise<string | undefined> {
  if (await exists(path.join(dir, MANIFEST_FILE))) return 'the previous extract of this day had finished; fetching a fresh copy';
  const first = (await fs.readFile(path.join(dir, JOURNAL_FILE), 'utf8').catch(() => '')).split('\n', 1)[0];
  if (!first) return (await exists(dir)) ? 'no progress journal in the staging folder' : '';
  let previous: unknown;
  try {
    previous = (JSON.parse(first) as { fingerprint?: unknown }).fingerprint;
  } catch {
    return 'the progress journal is unreadable';
  }
  if (canonical(previous) !== canonical(fingerprint)) return 'the staged pages were fetched with other arguments (region, parameters, interval or base URL)';
  return undefined;
}

async function readJournal(dir: string): Promise<Map<string, ManifestPage>> {
  const lines = (await fs.readFile(path.join(dir, JOURNAL_FILE), 'utf8')).split('\n').slice(1);
  const out = new Map<string, ManifestPage>();
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      const rec = ManifestPage.parse(JSON.parse(line));
      out.set(rec.path, rec);
    } catch {
      // a line cut short by a kill: that page is fetched again
    }
  }
  return out;
}

async function removeLeftovers(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { recursive: true });
  await Promise.all(entries.filter((e) => /\.tmp(-|$)/.test(e)).map((e) => fs.rm(path.join(dir, e), { force: true })));
}

function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** JSON with sorted keys, to compare fingerprints regardless of key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : 1))) : val,
  );
}
