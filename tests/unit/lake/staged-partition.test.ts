import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagingDir, StagedPartitionError, verifyStagedPartition } from '../../../tasks/lake/staged-partition.js';
import { tempDir } from '../../support/tmp.js';
import { stageRaw } from './staged-raw.js';

const BASE = tempDir('windsock-staged-test-');
const home = () => fs.mkdtempSync(path.join(BASE, 'home-'));
const RERUN = 'dag tasks clear openaq -t extract -s 2024-04-20 -e 2024-04-20';

async function failure(dir: string, ds = '2024-04-20'): Promise<string> {
  try {
    await verifyStagedPartition(dir, ds, RERUN);
  } catch (err) {
    expect(err).toBeInstanceOf(StagedPartitionError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('verification passed');
}

describe('staged raw partition', () => {
  it('lists the manifest pages then the manifest, never the progress journal', async () => {
    const h = home();
    const staged = stageRaw(h);
    expect(staged.dir).toBe(stagingDir(h, 'openaq', '2024-04-20'));
    const ok = await verifyStagedPartition(staged.dir, '2024-04-20', RERUN);
    expect(ok.files).toEqual([...staged.manifest.pages.map((p) => p.path), '_manifest.json']);
    expect(ok.files).not.toContain('_progress.jsonl');
    const bytes = ok.files.reduce((n, f) => n + fs.statSync(path.join(staged.dir, f)).size, 0);
    expect(ok.bytes).toBe(bytes);
    expect(ok.manifest.pages).toHaveLength(4);
  });

  it('names a corrupted page, a truncated one and a missing one', async () => {
    const staged = stageRaw(home());
    const corrupt = path.join(staged.dir, 'sensors/3917/hours/page-0001.json');
    const body = fs.readFileSync(corrupt);
    body[10] = body[10]! ^ 1;
    fs.writeFileSync(corrupt, body);
    expect(await failure(staged.dir)).toMatch(/^staged page does not match .*_manifest\.json: sensors\/3917\/hours\/page-0001\.json \(sha256 [0-9a-f]{12}\.\.\., the manifest says [0-9a-f]{12}\.\.\.\): dag tasks clear openaq/);

    fs.appendFileSync(path.join(staged.dir, 'locations/page-0001.json'), ' ');
    fs.rmSync(path.join(staged.dir, 'parameters/page-0001.json'));
    const msg = await failure(staged.dir);
    expect(msg).toContain('3 staged pages do not match');
    expect(msg).toContain('parameters/page-0001.json (missing)');
    expect(msg).toMatch(/locations\/page-0001\.json \(\d+ bytes, the manifest says \d+\)/);
  });

  it('refuses a manifest page path that would leave the partition', async () => {
    const staged = stageRaw(home());
    const manifest = { ...staged.manifest, pages: [{ ...staged.manifest.pages[0]!, path: '../../../etc/passwd' }] };
    fs.writeFileSync(path.join(staged.dir, '_manifest.json'), JSON.stringify(manifest));
    expect(await failure(staged.dir)).toContain('../../../etc/passwd (not a valid page path: has a ".." segment)');
  });

  it('explains a missing folder, a missing or broken manifest, and a manifest for another day', async () => {
    const h = home();
    const missing = stagingDir(h, 'openaq', '2024-04-20');
    expect(await failure(missing)).toBe(`nothing staged for ds=2024-04-20 at ${missing}: run the extract task first (${RERUN})`);

    const staged = stageRaw(h);
    const manifestPath = path.join(staged.dir, '_manifest.json');
    fs.writeFileSync(manifestPath, '{"format": "windsock.openaq.raw/1",');
    expect(await failure(staged.dir)).toMatch(new RegExp(`^${manifestPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON \\(`));

    fs.writeFileSync(manifestPath, JSON.stringify({ ...staged.manifest, format: 'something/2' }));
    expect(await failure(staged.dir)).toContain(`${manifestPath} is not a raw manifest: format:`);

    fs.writeFileSync(manifestPath, JSON.stringify(staged.manifest));
    expect(await failure(staged.dir, '2024-04-21')).toContain(`${manifestPath} is for ds=2024-04-20, not ds=2024-04-21`);

    fs.rmSync(manifestPath);
    expect(await failure(staged.dir)).toBe(`${manifestPath} is missing (the extract did not finish): ${RERUN}`);
  });
});
