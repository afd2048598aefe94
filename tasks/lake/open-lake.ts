// Opening the lake named by WINDSOCK_LAKE (default file://$WINDSOCK_HOME/lake).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineSettings } from '../../engine/settings.js';
import { UserError } from '../../engine/types.js';
import type { Lake } from './lake.js';
import { storageVariables } from '../settings.js';
import { FileLake } from './file-lake.js';
import { GcsLake } from './gcs-lake.js';
import { LakeUriError, parseLakeUri } from './lake-uri.js';

/** WINDSOCK_LAKE, or file://$WINDSOCK_HOME/lake. */
export function lakeUri(env: NodeJS.ProcessEnv = process.env): string {
  return storageVariables(env).WINDSOCK_LAKE || pathToFileURL(path.join(engineSettings(env).home, 'lake')).href;
}

/**
 * The Lake for `uri` (default: lakeUri() with `home` as WINDSOCK_HOME). A bad URI is a UserError naming the setting.
 * GCS emulators: STORAGE_EMULATOR_HOST (read by the client) or WINDSOCK_GCS_ENDPOINT (passed as apiEndpoint).
 */
export function openLake(uri?: string, home?: string, env: NodeJS.ProcessEnv = process.env): Lake {
  const resolved = uri ?? lakeUri(home ? { ...env, WINDSOCK_HOME: home } : env);
  let loc;
  try {
    loc = parseLakeUri(resolved);
  } catch (err) {
    if (err instanceof LakeUriError) throw new UserError(err.message);
    throw err;
  }
  if (loc.kind === 'file') return new FileLake(loc.root, loc.uri);
  return new GcsLake({ bucket: loc.bucket, prefix: loc.prefix, uri: loc.uri, apiEndpoint: storageVariables(env).WINDSOCK_GCS_ENDPOINT || undefined });
}
