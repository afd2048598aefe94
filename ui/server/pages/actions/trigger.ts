// Trigger a manual run, through engine/service/trigger.ts (what `dag trigger` and POST /api/v2/dags/{id}/dagRuns
// call): a form (logical date, run id, a field per param, conf as JSON), then the confirmation with the run the
// trigger will create (planTrigger: its id, logical date, data interval and conf), then the run, queued.
import { z } from 'zod';
import { namePattern } from '../../../../engine/dag/names.js';
import { ConflictError } from '../../../../engine/service/errors.js';
import { planTrigger, triggerDagRun, type TriggerRequest } from '../../../../engine/service/trigger.js';
import { toAirflowIso } from '../../../../engine/schedule/index.js';
import type { DagSpec } from '../../../../engine/types.js';
import type { AppDeps } from '../../deps.js';
import { inZone } from '../format.js';
import { ActionError, asActionError, defineAction, type FormField } from './action.js';
import { dagSpec, dateText, jsonObjectText, nameText } from './fields.js';
import { paramFields, paramsFromFields } from './param-fields.js';

const input = z
  .object({
    dag_id: z.string().min(1),
    logical_date: dateText,
    run_id: nameText('run id'),
    conf: jsonObjectText,
    back: z.string().optional(),
  })
  // The param.<key> fields, read against the DAG's params once it is loaded.
  .catchall(z.string());
type Input = z.infer<typeof input>;

/** A name pattern for the browser's own check (an HTML pattern is compiled with the v flag: '-' escaped in a class). */
const htmlPattern = (p: string) => p.replace(/^\^/, '').replace(/\$$/, '').replace(/-\]/, '\\-]');

const NAMES = { runId: 'run_id', logicalDate: 'logical_date' };

async function request(deps: AppDeps, i: Input): Promise<{ dag: DagSpec; req: TriggerRequest }> {
  const dag = await dagSpec(deps, i.dag_id);
  const { values, problems } = paramsFromFields(dag.params, i as Record<string, string | undefined>);
  if (Object.keys(problems).length) throw new ActionError(422, Object.values(problems).join('; '), problems);
  return { dag, req: { conf: { ...values, ...i.conf }, logicalDate: i.logical_date, runId: i.run_id, triggeredBy: 'ui', names: NAMES } };
}

/** The service's refusal at the field it is about: a clash at the run id (or date), a date before the start. */
function atField(err: unknown, i: Input): unknown {
  const message = (err as Error).message ?? '';
  const field = err instanceof ConflictError ? (i.run_id && message.includes(`run id ${i.run_id}`) ? 'run_id' : 'logical_date') : message.includes('start_date') ? 'logical_date' : undefined;
  return asActionError(err, field);
}

export const triggerAction = defineAction({
  name: 'trigger',
  title: 'Trigger a run',
  role: 'user',
  input,
  async form(deps, fields) {
    const dag = await dagSpec(deps, fields.dag_id ?? '');
    const params = paramFields(dag.params, fields);
    const main: FormField[] = [
      { name: 'logical_date', label: 'Logical date (UTC)', kind: 'datetime', value: fields.logical_date ?? '', hint: 'Empty: now, the moment you confirm.' },
      { name: 'run_id', label: 'Run id', kind: 'text', value: fields.run_id ?? '', pattern: htmlPattern(namePattern('run id')), hint: "Empty: manual__<logical date>. Letters, digits, '.', '_', '~', ':', '+' and '-'." },
    ];
    return {
      intro: `A manual run of ${dag.dagId}, queued for the scheduler. The next page shows the run it will create before anything happens.`,
      groups: [
        { fields: main },
        ...(params.length ? [{ legend: 'Params', hint: "The DAG's params, with their defaults; the values go into the run's conf.", fields: params }] : []),
        {
          legend: 'Conf',
          fields: [{ name: 'conf', label: 'Conf (JSON object)', kind: 'json', value: fields.conf ?? '', hint: params.length ? 'Its keys override the params above. Empty: the params alone.' : 'Empty: {}.' } satisfies FormField],
        },
      ],
      submit: 'Review',
      back: fields.back ?? `/dags/${encodeURIComponent(dag.dagId)}`,
    };
  },
  async preview(deps, i) {
    const { dag, req } = await request(deps, i);
    let plan;
    try {
      plan = planTrigger(deps.store, dag, req);
    } catch (err) {
      throw atField(err, i);
    }
    const now = i.logical_date === undefined;
    const tz = dag.timezone;
    const paused = deps.store.dags.isPaused(dag.dagId);
    return {
      summary: `Trigger DAG ${dag.dagId}: this run is created, queued, and started by the scheduler${paused ? ' once the DAG is unpaused' : ''}.`,
      items: [
        `Run id: ${now && !i.run_id ? 'manual__<the moment you confirm>' : plan.runId}`,
        `Logical date: ${now ? 'now, the moment you confirm' : `${toAirflowIso(plan.logicalDate)} (${inZone(plan.logicalDate.toISOString(), tz)})`}`,
        `Data interval: ${toAirflowIso(plan.dataInterval.start)} to ${toAirflowIso(plan.dataInterval.end)}${now ? ' (if confirmed now)' : ''}`,
        `Conf: ${JSON.stringify(req.conf)}`,
        ...(paused ? [`DAG ${dag.dagId} is paused: the run waits, queued, until it is unpaused.`] : []),
      ],
      confirm: 'Trigger',
      back: i.back ?? `/dags/${encodeURIComponent(dag.dagId)}`,
    };
  },
  async apply(deps, i, caller) {
    const { dag, req } = await request(deps, i);
    let row;
    try {
      row = triggerDagRun(deps.store, dag, { ...req, user: caller.username });
    } catch (err) {
      throw atField(err, i);
    }
    return { message: `Run ${row.run_id} of ${dag.dagId} is queued.`, redirect: i.back ?? `/dags/${encodeURIComponent(dag.dagId)}` };
  },
});
