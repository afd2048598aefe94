// Whether Application Default Credentials can be found, checked before any work so a missing key is one clear line
// instead of a client error half way through a load. Looks where google-auth-library looks, without asking the
// network: the key file named by GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, or a Google Cloud runtime.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type CredentialsCheck = { ok: true; source: string } | { ok: false; problem: string };

export function findGoogleCredentials(env: NodeJS.ProcessEnv = process.env): CredentialsCheck {
  const named = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (named) {
    return fs.existsSync(named) ? { ok: true, source: named } : { ok: false, problem: `GOOGLE_APPLICATION_CREDENTIALS=${named} does not exist` };
  }
  const configDir = env.CLOUDSDK_CONFIG || (process.platform === 'win32' ? path.join(env.APPDATA ?? '', 'gcloud') : path.join(os.homedir(), '.config', 'gcloud'));
  const adc = path.join(configDir, 'application_default_credentials.json');
  if (fs.existsSync(adc)) return { ok: true, source: adc };
  for (const v of ['K_SERVICE', 'CLOUD_RUN_JOB', 'FUNCTION_TARGET', 'GAE_SERVICE', 'GCE_METADATA_HOST', 'GCE_METADATA_IP']) {
    if (env[v]) return { ok: true, source: `the Google Cloud runtime (${v})` };
  }
  try {
    if (/Google/i.test(fs.readFileSync('/sys/class/dmi/id/product_name', 'utf8'))) return { ok: true, source: 'the Compute Engine metadata server' };
  } catch {
    // not Linux, or not readable: not a Compute Engine VM we can tell
  }
  return { ok: false, problem: 'no Google credentials found' };
}
