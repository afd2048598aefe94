// What DAG files are checked against for warehouse.load_star; the implementation (load-star.ts) loads on first use.
import { z } from 'zod';
import type { OperatorSpec } from '../../engine/operators/lazy.js';
import { checkStorageSettings } from '../settings.js';

export const LoadStarArgs = z.strictObject({});
export type LoadStarArgs = z.infer<typeof LoadStarArgs>;

export const loadStarSpec: OperatorSpec<LoadStarArgs> = {
  name: 'warehouse.load_star',
  description: "Loads the day's star schema from the lake into the warehouse (DuckDB or BigQuery): dimensions upserted, the fact partition replaced",
  args: LoadStarArgs,
  checkSettings: checkStorageSettings,
};
