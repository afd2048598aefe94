// Helpers for tests of the OpenAQ extract: pointing OPENAQ_* at a test server, and reading a staged partition.
import fs from 'node:fs';
import path from 'node:path';

/** Set OPENAQ_* for this test process (limits off, fast retries unless overridden); returns a restore function. */
export function openaqEnv(baseUrl: string, extra: Record<string, string | undefined> = {}): () => void {
  const saved = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('OPENAQ_')).map((k) => [k, process.env[k]]));
  for (const k of Object.keys(saved)) delete process.env[k];
  const env: Record<string, string | undefined> = {
    OPENAQ_BASE_URL: baseUrl,
    OPENAQ_RATE_LIMIT_PER_MINUTE: '0',
    OPENAQ_RATE_LIMIT_PER_HOUR: '0',
    OPENAQ_RETRY_BASE_MS: '5',
    OPENAQ_RETRY_MAX_MS: '50',
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
  return () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('OPENAQ_')) delete process.env[k];
    Object.assign(process.env, saved);
  };
}

/** Every file of a staged partition (relative path -> bytes), sorted. */
export function stagedFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const file = path.join(dir, rel);
    if (fs.statSync(file).isFile()) out.set(rel.split(path.sep).join('/'), fs.readFileSync(file));
  }
  return out;
}

/** The manifest without what legitimately differs between two runs (fetch and creation times). */
export function timelessManifest(dir: string): unknown {
  const m = JSON.parse(fs.readFileSync(path.join(dir, '_manifest.json'), 'utf8'));
  delete m.created_at;
  for (const p of m.pages) delete p.fetched_at;
  return m;
}
