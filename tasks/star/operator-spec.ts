// What DAG files are checked against for star.transform; the implementation (transform.ts) loads on first use.
import { z } from 'zod';
import type { OperatorSpec } from '../../engine/operators/lazy.js';
import { checkStorageSettings } from '../settings.js';

export const TransformArgs = z.strictObject({});
export type TransformArgs = z.infer<typeof TransformArgs>;

export const transformSpec: OperatorSpec<TransformArgs> = {
  name: 'star.transform',
  description: "Builds the day's star schema (dimensions and fact_measurement) from the raw partition, as Parquet in the lake",
  args: TransformArgs,
  checkSettings: checkStorageSettings,
};
