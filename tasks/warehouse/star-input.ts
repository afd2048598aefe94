// The star files of one ds as local paths, for engines that read Parquet from disk (DuckDB's read_parquet): straight
// from a file:// lake, or downloaded from a gs:// lake into a temporary folder first.
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Lake } from '../lake/lake.js';
import { FileLake } from '../lake/file-lake.js';
import { STAR_TABLES, starFileKey, starPartitionPrefix, type StarTableName } from '../star/schema.js';
import { WarehouseInputError } from './warehouse.js';

export interface LocalStarFiles {
  files: Record<StarTableName, string>;
  /** Removes what was downloaded (nothing for a file lake). */
  cleanup(): Promise<void>;
}

/** Fails naming the first star partition of `ds` that the lake does not have. */
export async function checkStarPartition(lake: Lake, ds: string, dagId = 'openaq'): Promise<void> {
  for (const t of STAR_TABLES) {
    if (!(await lake.exists(starFileKey(t.name, ds)))) {
      throw new WarehouseInputError(
        `no star partition ${starPartitionPrefix(t.name, ds)} in ${lake.uri}: run the transform task for ${ds} first (dag run ${dagId} --date ${ds})`,
      );
    }
  }
}

export async function localStarFiles(lake: Lake, ds: string, dagId = 'openaq'): Promise<LocalStarFiles> {
  await checkStarPartition(lake, ds, dagId);
  if (lake instanceof FileLake) {
    const files = Object.fromEntries(STAR_TABLES.map((t) => [t.name, lake.pathOf(starFileKey(t.name, ds))])) as Record<StarTableName, string>;
    return { files, cleanup: async () => undefined };
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'windsock-star-'));
  try {
    const files = {} as Record<StarTableName, string>;
    for (const t of STAR_TABLES) {
      const file = path.join(dir, `${t.name}.parquet`);
      await fsp.writeFile(file, await lake.get(starFileKey(t.name, ds)));
      files[t.name] = file;
    }
    return { files, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
}
