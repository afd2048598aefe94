// Operators whose implementation is imported on first use. Loading the registry (every `dag` command, every worker
// thread) then costs only the argument schemas, not DuckDB, Arrow or the Google clients behind the operators.
import type { OperatorDefinition } from './api.js';

/** Everything a DAG file is validated against: the operator without its `execute`. */
export type OperatorSpec<A = any> = Omit<OperatorDefinition<A>, 'execute'>;

export function lazyOperator<A>(spec: OperatorSpec<A>, load: () => Promise<OperatorDefinition<A>>): OperatorDefinition<A> {
  let impl: Promise<OperatorDefinition<A>> | undefined;
  return { ...spec, execute: async (args, ctx) => (await (impl ??= load())).execute(args, ctx) };
}
