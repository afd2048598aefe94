// A `variable` row as Airflow 3's VariableResponse, its value masked when it looks secret.
import type { VariableRow } from '../../../../../engine/state/rows.js';
import { maskedValue } from '../../../../../engine/service/secrets-mask.js';

export function variableResponse(v: VariableRow) {
  return { key: v.key, value: maskedValue(v.key, v.val), description: v.description, is_encrypted: v.is_encrypted === 1, team_name: null };
}
