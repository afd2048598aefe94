// One validator for DAG, task and group names (Dagu's rule): letters, digits, '.', '_', '-', at most 250 characters
// (Airflow's ID_LEN), never '.' or '..'. Names end up in paths (logs, the lake) and URLs, so this closes traversal.

export const NAME_PATTERN = '^[A-Za-z0-9._-]+$';
const NAME_RE = new RegExp(NAME_PATTERN);
export const MAX_NAME_LENGTH = 250;

/** Why `name` is not a valid id, or null when it is. `what` is e.g. "DAG id", "task id". */
export function nameProblem(name: string, what: string): string | null {
  if (name === '') return `${what} is empty: use letters, digits, '.', '_' or '-'`;
  if (name.length > MAX_NAME_LENGTH) return `${what} '${name.slice(0, 40)}...' is ${name.length} characters long: the limit is ${MAX_NAME_LENGTH}`;
  if (name === '.' || name === '..') return `${what} '${name}' is not allowed: pick a name with letters or digits`;
  if (!NAME_RE.test(name)) {
    const bad = [...new Set(name.replace(/[A-Za-z0-9._-]/g, ''))].map((c) => (c === ' ' ? 'space' : `'${c}'`)).join(', ');
    return `${what} '${name}' contains ${bad}: use only letters, digits, '.', '_' and '-'`;
  }
  return null;
}
