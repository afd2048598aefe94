// Hiding secrets in what is shown: Airflow's secrets masker (airflow/utils/log/secrets_masker.py,
// DEFAULT_SENSITIVE_FIELDS, should_hide_value_for_key): a value whose name contains one of these words, in any
// case, is shown as `***`.
export const SENSITIVE_NAMES = [
  'access_token', 'api_key', 'apikey', 'authorization', 'passphrase', 'passwd', 'password', 'private_key', 'secret',
  'token', 'keyfile_dict', 'service_account', 'credentials',
] as const;

export const MASK = '***';

export function isSensitiveName(name: string): boolean {
  const n = name.toLowerCase();
  return SENSITIVE_NAMES.some((s) => n.includes(s));
}

/**
 * A variable's stored text as the API shows it (Airflow's VariableResponse.redact_val): all of it masked when the
 * key looks secret; for a JSON object, the values of its secret-looking keys (one level down).
 */
export function maskedValue(key: string, val: string): string {
  if (isSensitiveName(key)) return MASK;
  let parsed: unknown;
  try {
    parsed = JSON.parse(val);
  } catch {
    return val;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return val;
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (!entries.some(([k]) => isSensitiveName(k))) return val;
  return JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, isSensitiveName(k) ? MASK : v])));
}
