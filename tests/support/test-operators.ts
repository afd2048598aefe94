// An operator plugin for the integration tests, loaded through WINDSOCK_PLUGINS as a user's plugin would be.
import { z } from 'zod';
import { FailTask, SkipTask, type OperatorDefinition } from '../../engine/operators/api.js';

export const operators: OperatorDefinition[] = [
  {
    name: 'test.context',
    description: 'returns what it sees of its context, after pushing and pulling XComs and printing a line',
    args: z.strictObject({ label: z.string(), pull: z.string().optional() }),
    execute: async (args: { label: string; pull?: string }, ctx) => {
      console.log('printed by %s', args.label);
      ctx.log.info(`logged by ${args.label}`);
      await ctx.xcomPush('extra', { label: args.label });
      return {
        label: args.label,
        dagId: ctx.dagId,
        taskId: ctx.taskId,
        runId: ctx.runId,
        tryNumber: ctx.tryNumber,
        logicalDate: ctx.logicalDate,
        dataIntervalEnd: ctx.dataIntervalEnd,
        ds: ctx.ds,
        dsLocal: ctx.dsLocal,
        conf: ctx.conf,
        params: ctx.params,
        pulled: args.pull ? await ctx.xcomPull(args.pull) : null,
        pulledExtra: args.pull ? await ctx.xcomPull(args.pull, 'extra') : null,
        aborted: ctx.signal.aborted,
      };
    },
  },
  {
    name: 'test.spin',
    description: 'blocks its thread forever, ignoring its AbortSignal',
    args: z.strictObject({}),
    execute: () => {
      for (;;) {
        // never yields
      }
    },
  },
  { name: 'test.exit', args: z.strictObject({}), execute: () => process.exit(7) },
  { name: 'test.throw', args: z.strictObject({}), execute: () => Promise.reject(new Error('the source table is empty')) },
  { name: 'test.fail', args: z.strictObject({}), execute: () => { throw new FailTask('no point retrying'); } },
  { name: 'test.skips', args: z.strictObject({}), execute: () => { throw new SkipTask('nothing to do today'); } },
  {
    name: 'test.secret',
    description: 'logs the value of TEST_API_KEY (which must come out redacted)',
    args: z.strictObject({}),
    execute: (_args, ctx) => {
      ctx.log.info(`using key ${process.env.TEST_API_KEY}`);
      console.log(`printing key ${process.env.TEST_API_KEY}`);
    },
  },
];
