// warehouse.load_star: the day's star partition (star/<table>/ds=<ds_local>/) from the lake into the warehouse named
// by WINDSOCK_WAREHOUSE: every star file checked against its manifest first, then dimensions upserted on their keys
// and the fact partition of ds replaced in one step, so running a day twice leaves the warehouse as running it once.
import { LoadStarArgs, loadStarSpec } from './operator-spec.js';
import { FailTask, type OperatorDefinition, type TaskContext } from '../../engine/operators/api.js';
import { UserError } from '../../engine/types.js';
import type { Lake } from '../lake/lake.js';
import { openLake } from '../lake/open-lake.js';
import { rerunTransform, StarPartitionError } from '../star/star-manifest.js';
import { openWarehouse } from './open-warehouse.js';
import { WarehouseInputError, type LoadStarResult } from './warehouse.js';

export { LoadStarArgs };

export const loadStarOperator: OperatorDefinition<LoadStarArgs> = { ...loadStarSpec, execute: (_args, ctx) => runLoadStar(ctx) };

export async function runLoadStar(ctx: TaskContext, lake?: Lake): Promise<LoadStarResult> {
  try {
    const warehouse = await openWarehouse(undefined, { home: ctx.home, dagId: ctx.dagId, loadTask: ctx.taskId, signal: ctx.signal, log: (m) => ctx.log.info(m) });
    const theLake = lake ?? openLake(undefined, ctx.home);
    try {
      ctx.log.info(`loading star/*/ds=${ctx.dsLocal}/ from ${theLake.uri} into ${warehouse.uri}`);
      return await warehouse.loadStar(theLake, ctx.dsLocal, (m) => ctx.log.info(m));
    } finally {
      await warehouse.close();
    }
  } catch (err) {
    if (err instanceof UserError || err instanceof WarehouseInputError || err instanceof StarPartitionError) throw new FailTask(err.message);
    const unreadable = unreadableStarFile(err as Error);
    if (unreadable) throw new FailTask(`${unreadable.reason} in ${unreadable.file}: ${rerunTransform({ ds: ctx.dsLocal, dagId: ctx.dagId, loadTask: ctx.taskId })}`);
    throw err;
  }
}

/** DuckDB's complaint about a Parquet file it cannot read, reduced to one line (it appends the SQL around it). */
function unreadableStarFile(err: Error): { reason: string; file: string } | undefined {
  const first = String(err?.message ?? '').split('\n')[0]!;
  const m = /^(.*?)\s+in file '([^']*\/star\/[^']*\.parquet)'/.exec(first);
  return m ? { reason: m[1]!.replace(/^Invalid Input Error: /, ''), file: m[2]! } : undefined;
}
