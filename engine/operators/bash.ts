// BashOperator: runs a command with bash in its own process group, forked by the runner's spawner process and tethered
// to it (engine/spawner, tether.ts). Exit 0 is success, 99 skipped (Airflow's skip_on_exit_code), anything else a
// failure; the last line of output (stdout and stderr together) is the XCom.
import { z } from 'zod';
import { engineSettings } from '../settings.js';
import { SkipTask, type OperatorDefinition, type TaskContext } from './api.js';
import { runCommand } from '../spawner/client.js';

const BashArgs = z.strictObject({
  bash_command: z.string().min(1, 'bash_command must not be empty'),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Merge env with the runner's environment (Airflow's append_env); by default env replaces it, as in Airflow. */
  append_env: z.boolean().optional(),
  cwd: z.string().optional(),
  skip_on_exit_code: z.union([z.number().int(), z.array(z.number().int())]).optional(),
  do_xcom_push: z.boolean().optional(),
});
export type BashArgs = z.infer<typeof BashArgs>;

/** Seconds between SIGTERM and SIGKILL when an attempt is stopped (timeout or shutdown). */
export function killGraceMs(): number {
  return engineSettings().killGraceMs;
}

/** AIRFLOW_CTX_* variables, as Airflow exports them to BashOperator commands. */
export function airflowContextEnv(ctx: TaskContext, owner = 'airflow'): Record<string, string> {
  return {
    AIRFLOW_CTX_DAG_ID: ctx.dagId,
    AIRFLOW_CTX_TASK_ID: ctx.taskId,
    AIRFLOW_CTX_EXECUTION_DATE: ctx.logicalDate,
    AIRFLOW_CTX_LOGICAL_DATE: ctx.logicalDate,
    AIRFLOW_CTX_TRY_NUMBER: String(ctx.tryNumber),
    AIRFLOW_CTX_DAG_RUN_ID: ctx.runId,
    AIRFLOW_CTX_DAG_OWNER: owner,
  };
}

export const bashOperator: OperatorDefinition<BashArgs> = {
  name: 'bash',
  aliases: ['BashOperator', 'airflow.operators.bash.BashOperator', 'airflow.operators.bash_operator.BashOperator', 'airflow.providers.standard.operators.bash.BashOperator'],
  description: 'Runs a bash command; exit 99 skips the task; the last output line is the XCom.',
  args: BashArgs,
  templateFields: ['bash_command', 'env', 'cwd'],
  inline: true,
  execute(args, ctx) {
    return runBash(args, ctx);
  },
};

function runBash(args: BashArgs, ctx: TaskContext): Promise<string | undefined> {
  const userEnv = Object.fromEntries(Object.entries(args.env ?? {}).map(([k, v]) => [k, String(v)]));
  const base = args.env && !args.append_env ? { PATH: process.env.PATH ?? '/usr/bin:/bin' } : process.env;
  const env = { ...base, ...userEnv, ...airflowContextEnv(ctx) } as Record<string, string>;
  const skipCodes = args.skip_on_exit_code == null ? [99] : [args.skip_on_exit_code].flat();
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(new Error('attempt stopped before it started'));
    ctx.log.info(`Running command: ${args.bash_command}`);
    let lastLine = '';
    let pending = '';
    let killTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      ctx.signal.removeEventListener('abort', stop);
      if (killTimer) clearTimeout(killTimer);
    };
    // Forked by the spawner (engine/spawner), not by this process: forking a large runner costs more than the
    // command itself.
    const command = runCommand(
      { command: args.bash_command, env, cwd: args.cwd },
      {
        output(chunk) {
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            ctx.log.info(line);
            if (line.trim() !== '') lastLine = line.trimEnd();
          }
        },
        error: (message) => reject(new Error(`could not start bash: ${message}`)),
        lost(reason) {
          finish();
          ctx.log.error(reason);
          reject(new Error(reason));
        },
        exit(code, signal) {
          finish();
          if (pending.trim() !== '') {
            ctx.log.info(pending);
            lastLine = pending.trimEnd();
          }
          ctx.log.info(`Command exited with return code ${code ?? signal}`);
          if (ctx.signal.aborted) return reject(new Error(`command stopped (${signal ?? code})`));
          if (code === 0) return resolve(args.do_xcom_push === false || lastLine === '' ? undefined : lastLine);
          if (code != null && skipCodes.includes(code)) return reject(new SkipTask(`Bash command returned exit code ${code}. Skipping.`));
          reject(new Error(`Bash command failed. The command returned a non-zero exit code ${code ?? signal}.`));
        },
      },
    );
    const stop = () => {
      command.kill('SIGTERM');
      killTimer = setTimeout(() => command.kill('SIGKILL'), killGraceMs());
    };
    ctx.signal.addEventListener('abort', stop, { once: true });
  });
}
