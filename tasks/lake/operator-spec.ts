// What DAG files are checked against for lake.load_raw; the implementation (load-raw.ts) loads on first use.
import { z } from 'zod';
import type { OperatorSpec } from '../../engine/operators/lazy.js';
import { MAX_COMPONENT_BYTES } from '../../engine/dag/names.js';
import { checkStorageSettings } from '../settings.js';

export const LoadRawArgs = z.strictObject({
  /** The staging folder and raw-zone name of the source. */
  source: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'source must be a lowercase name like "openaq" (letters, digits, "_" or "-")')
    // a folder name in the lake and in staging (raw/<source>/, staging/<source>/)
    .max(MAX_COMPONENT_BYTES, `source must be at most ${MAX_COMPONENT_BYTES} characters long (it names a folder)`)
    .optional(),
});
export type LoadRawArgs = z.infer<typeof LoadRawArgs>;

export const loadRawSpec: OperatorSpec<LoadRawArgs> = {
  name: 'lake.load_raw',
  description: "Publishes the day's staged raw partition to the lake (raw/<source>/ds=<ds_local>/), replacing it whole.",
  args: LoadRawArgs,
  checkSettings: checkStorageSettings,
};
