// `dag warehouse query "SQL" [-o table|json|csv]`: run SQL against the warehouse (WINDSOCK_WAREHOUSE) and print the
// result. Read-only: DuckDB opens the file read-only and refuses other files, extensions and settings changes. A SQL
// error is one line with the engine's message, exit 2.
import type { Command } from 'commander';

export function register(program: Command): void {
  const wh = program.command('warehouse').description('the star schema in the warehouse (DuckDB or BigQuery)');
  wh.command('query')
    .description('run a SQL query against the warehouse and print the result')
    .argument('<sql>', 'the query, e.g. "SELECT * FROM dim_location"')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action(async (sql: string, o: { output: string }) => {
      const [{ UserError }, { openWarehouse }, { writeResult, OUTPUT_FORMATS }, { WarehouseQueryError, WarehouseInputError, checkQueryText }] = await Promise.all([
        import('../../engine/types.js'),
        import('../../tasks/warehouse/open-warehouse.js'),
        import('../../tasks/warehouse/result-format.js'),
        import('../../tasks/warehouse/warehouse.js'),
      ]);
      const format = o.output as (typeof OUTPUT_FORMATS)[number];
      if (!OUTPUT_FORMATS.includes(format)) throw new UserError(`-o ${o.output} is not an output format: use ${OUTPUT_FORMATS.join(', ')}`);
      try {
        checkQueryText(sql);
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      const warehouse = await openWarehouse(undefined, { readOnly: true });
      try {
        await writeResult(warehouse.query(sql), format, (s) => process.stdout.write(s));
      } catch (err) {
        if (err instanceof WarehouseQueryError) throw new UserError(err.message);
        if (err instanceof WarehouseInputError) throw new UserError(err.message);
        throw err;
      } finally {
        await warehouse.close();
      }
    });
}
