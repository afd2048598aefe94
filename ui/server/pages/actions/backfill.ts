// Start a backfill, through engine/service/backfill.ts (what `dag backfill` and POST /api/v2/backfills call): a form
// (from, to, max active runs, what to do with dates that already ran), then the dry run (POST /backfills/dry_run's
// answer: the runs it will create or run again), then the backfill and its queued runs, which the scheduler drives.
import { z } from 'zod';
import { backfillDecision, createBackfill, dryRunBackfill, type BackfillRequest } from '../../../../engine/service/backfill.js';
import { toAirflowIso } from '../../../../engine/schedule/index.js';
import type { AppDeps } from '../../deps.js';
import { ActionError, asActionError, defineAction, plural, serviceCall } from './action.js';
import { dagSpec, dateText, flag, jsonObjectText } from './fields.js';

const REPROCESS = [
  ['none', 'Leave them alone'],
  ['failed', 'Failed ones: rerun failed tasks'],
  ['completed', 'Finished ones: rerun all tasks'],
] as const;

const input = z.object({
  dag_id: z.string().min(1),
  from: dateText.refine((d) => d !== undefined, 'give the first logical date'),
  to: dateText.refine((d) => d !== undefined, 'give the last logical date'),
  max_active_runs: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
  reprocess: z.enum(['none', 'failed', 'completed']),
  run_backwards: flag,
  conf: jsonObjectText,
  back: z.string().optional(),
});
type Input = z.infer<typeof input>;

/** The list on the confirmation page stops here; the summary gives the total. */
const SHOWN = 200;

const runsTab = (dagId: string) => `/dags/${encodeURIComponent(dagId)}/runs?type=backfill`;

async function request(deps: AppDeps, i: Input, user?: string): Promise<BackfillRequest> {
  return {
    dag: await dagSpec(deps, i.dag_id),
    from: i.from!,
    to: i.to!,
    labels: { from: `from ${toAirflowIso(i.from!)}`, to: `to ${toAirflowIso(i.to!)}` },
    runBackwards: i.run_backwards,
    conf: i.conf,
    reprocess: i.reprocess,
    maxActiveRuns: i.max_active_runs,
    user,
  };
}

/** The range's refusals start with the end they are about (its label); show them there. */
const fieldOf = (message: string) => (message.startsWith('to ') ? 'to' : message.startsWith('from ') ? 'from' : undefined);

export const backfillAction = defineAction({
  name: 'backfill',
  title: 'Start a backfill',
  role: 'user',
  input,
  async form(deps, f) {
    const dag = await dagSpec(deps, f.dag_id ?? '');
    return {
      intro: `Runs of ${dag.dagId} for every logical date of its schedule from the first date to the last (both included), queued for the scheduler. The next page lists them before anything happens.`,
      groups: [
        {
          fields: [
            { name: 'from', label: 'From (UTC)', kind: 'datetime', value: f.from ?? '', required: true, hint: 'The first logical date.' },
            { name: 'to', label: 'To (UTC)', kind: 'datetime', value: f.to ?? '', required: true, hint: 'The last logical date.' },
            { name: 'max_active_runs', label: 'Max active runs', kind: 'number', value: f.max_active_runs ?? '10', min: 1, required: true, hint: 'How many of its runs may run at once.' },
            { name: 'reprocess', label: 'Dates that already have a run', kind: 'select', value: f.reprocess ?? 'none', choices: REPROCESS.map(([v, l]) => [v, l]), hint: 'Rerun failed: the reprocess behaviour of Airflow 3 (none, failed, completed).' },
            { name: 'run_backwards', label: 'Newest date first', kind: 'checkbox', value: f.run_backwards ?? 'false' },
          ],
        },
        { legend: 'Conf', fields: [{ name: 'conf', label: 'Conf of every run (JSON object)', kind: 'json', value: f.conf ?? '', hint: 'Empty: {}.' }] },
      ],
      submit: 'Review',
      back: f.back ?? `/dags/${encodeURIComponent(dag.dagId)}`,
    };
  },
  async preview(deps, i) {
    const r = await request(deps, i);
    let infos;
    try {
      infos = dryRunBackfill(deps.store, r);
    } catch (err) {
      throw asActionError(err, fieldOf((err as Error).message ?? ''));
    }
    const active = deps.store.backfills.active(r.dag.dagId);
    if (active) throw new ActionError(409, `Backfill ${active.id} of ${r.dag.dagId} is still running: there can be only one running backfill per DAG; wait for it, or cancel it on the DAG's Runs tab.`);
    if (!infos.length) throw new ActionError(409, `Nothing to backfill: every date from ${toAirflowIso(r.from)} to ${toAirflowIso(r.to)} already has a run${i.reprocess === 'none' ? '; choose to run failed or finished runs again' : ''}.`, 'reprocess');
    const what = (d: Date) => {
      const run = deps.store.runs.byLogicalDate(r.dag.dagId, d);
      const decision = backfillDecision(run?.state, r.reprocess);
      if (decision === 'create') return 'a new run';
      return `run ${run!.run_id} (${run!.state}) again: ${decision === 'clear-failed-tasks' ? 'its failed tasks' : 'all its tasks'}`;
    };
    return {
      summary: `Backfill ${r.dag.dagId} from ${toAirflowIso(r.from)} to ${toAirflowIso(r.to)}: ${plural(infos.length, 'run')}, at most ${r.maxActiveRuns} at a time${r.runBackwards ? ', newest first' : ''}, conf ${JSON.stringify(r.conf)}.`,
      items: [
        ...infos.slice(0, SHOWN).map((d) => `${toAirflowIso(d.logicalDate)}: ${what(d.logicalDate)}`),
        ...(infos.length > SHOWN ? [`... and ${infos.length - SHOWN} more`] : []),
      ],
      confirm: `Start the backfill (${plural(infos.length, 'run')})`,
      back: i.back ?? `/dags/${encodeURIComponent(r.dag.dagId)}`,
    };
  },
  async apply(deps, i, caller) {
    const r = await request(deps, i, caller.username);
    const { b, runs } = serviceCall(() => deps.store.tx(() => ({ runs: dryRunBackfill(deps.store, r).length, b: createBackfill(deps.store, r) })));
    return { message: `Backfill ${b.id} of ${r.dag.dagId} started: ${plural(runs, 'run')} queued.`, redirect: runsTab(r.dag.dagId) };
  },
});
