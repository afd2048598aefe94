// `var.value.<key>` and `var.json.<key>`: Airflow Variables, read from environment variables the way Airflow's
// environment-variable secrets backend does (AIRFLOW_VAR_<KEY>), plus windsock's own prefix (WINDSOCK_VAR_<KEY>,
// which wins when both are set), then from the state database's `variable` table: Airflow asks its secrets backends
// in order, environment variables before the metastore (airflow/secrets/__init__.py DEFAULT_SECRETS_SEARCH_PATH).
import { pyArgs } from './py-args.js';

/** The metastore's text for a key (the `variable` table), or undefined. */
export type VariableStore = (key: string) => string | undefined;

/** Names a template engine or serializer may probe on any object; never treated as variable names. */
const RESERVED = new Set(['toJSON', 'then', 'constructor', 'toString', 'valueOf', 'inspect', 'length', '__keywords', 'get']);

class VariableAccessor {
  constructor(
    private readonly lookup: (key: string) => string | undefined,
    private readonly json: boolean,
  ) {}

  /** var.value.get('key', 'default') */
  get(...args: unknown[]): unknown {
    const { key, default_var } = pyArgs('get', args, ['key', 'default_var'], { default_var: null });
    const raw = this.lookup(String(key));
    return raw === undefined ? default_var : this.decode(String(key), raw);
  }

  read(key: string): unknown {
    const raw = this.lookup(key);
    if (raw === undefined) {
      const name = key.toUpperCase();
      throw new Error(`Variable ${key} does not exist: set the environment variable AIRFLOW_VAR_${name} (or WINDSOCK_VAR_${name}), or create it with dag variables set ${key} VALUE`);
    }
    return this.decode(key, raw);
  }

  private decode(key: string, raw: string): unknown {
    if (!this.json) return raw;
    try {
      return JSON.parse(raw);
    } catch {
      throw new Error(`Variable ${key} is not valid JSON (var.json.${key}); check its value (dag variables get ${key}, or the environment variable AIRFLOW_VAR_${key.toUpperCase()})`);
    }
  }
}

function fromEnv(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const name = key.toUpperCase();
  return env[`WINDSOCK_VAR_${name}`] ?? env[`AIRFLOW_VAR_${name}`];
}

/** An object whose every attribute is a variable; an unknown one is an error that names the variable to set. */
function accessor(lookup: (key: string) => string | undefined, json: boolean): Record<string, unknown> {
  const target = new VariableAccessor(lookup, json);
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (prop === 'get') return (...args: unknown[]) => t.get(...args); // bound: `this` must not be the proxy
      if (typeof prop === 'symbol' || RESERVED.has(prop)) return Reflect.get(t, prop, receiver);
      return t.read(prop);
    },
    has(t, prop) {
      return typeof prop === 'string' && !RESERVED.has(prop) ? lookup(prop) !== undefined : Reflect.has(t, prop);
    },
  }) as unknown as Record<string, unknown>;
}

export function variables(env: NodeJS.ProcessEnv, metastore?: VariableStore): { value: Record<string, unknown>; json: Record<string, unknown> } {
  const lookup = (key: string) => fromEnv(env, key) ?? metastore?.(key);
  return { value: accessor(lookup, false), json: accessor(lookup, true) };
}
