// The JSON Schema of DAG files, generated from the same zod pieces the loader validates with, plus one task shape
// per registered operator (its names and its arguments), so editors complete `operator:` and its arguments.
import { z } from 'zod';
import type { OperatorDefinition } from '../operators/api.js';
import type { OperatorRegistry } from '../operators/registry.js';
import { dagShape, defaultArgsShape, groupShape, taskSettingsShape, taskSystemShape } from './file-schema.js';
import { maxNameBytes, namePattern } from './names.js';

type Shape = Record<string, z.ZodType>;

function optional(shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.optional()]));
}

function argsShape(def: OperatorDefinition): Shape | null {
  return def.args.type === 'object' ? ((def.args as z.ZodObject).shape as Shape) : null;
}

function taskSchema(def: OperatorDefinition, withId: boolean): z.ZodType {
  const names = [def.name, ...(def.aliases ?? [])] as [string, ...string[]];
  const shape: Shape = {
    ...optional(taskSystemShape),
    ...optional(taskSettingsShape),
    ...(argsShape(def) ?? {}),
    operator: z.enum(names).meta({ description: def.description ?? `the ${def.name} operator` }),
  };
  if (withId) shape.task_id = taskSystemShape.task_id;
  else delete shape.task_id;
  return argsShape(def) ? z.strictObject(shape) : z.looseObject(shape);
}

export function dagJsonSchema(registry: OperatorRegistry): object {
  const ops = registry.list();
  // default_args may also carry operator arguments (Airflow applies them to operators that accept them).
  const opArgs: Shape = {};
  for (const def of ops) for (const [k, s] of Object.entries(argsShape(def) ?? {})) if (!(k in opArgs)) opArgs[k] = s.optional();
  const DefaultArgs = z.strictObject({ ...optional(defaultArgsShape), ...opArgs }).meta({ description: 'Settings applied to every task that does not set them' });

  const tasksOf = (withId: boolean) => (ops.length === 1 ? taskSchema(ops[0], withId) : z.union(ops.map((d) => taskSchema(d, withId))));
  const Tasks = z
    .union([z.array(tasksOf(true)), z.record(z.string(), tasksOf(false))])
    .meta({ description: 'A list of tasks (each with task_id and operator), or a map keyed by task id (legacy)' });

  const group = (withName: boolean) =>
    z.strictObject({
      ...optional(groupShape),
      ...(withName ? { group_name: groupShape.group_name } : {}),
      default_args: DefaultArgs.optional(),
    });
  const TaskGroups = z
    .union([z.array(group(true)), z.record(z.string(), group(false))])
    .meta({ description: "Task groups: a task in group g gets the id 'g.task'; depending on a group means depending on its last tasks" });

  const Dag = z
    .strictObject({ ...optional(dagShape), default_args: DefaultArgs.optional(), tasks: Tasks.optional(), task_groups: TaskGroups.optional() })
    .meta({ description: 'A DAG: its schedule, default_args and tasks' });

  const File = z
    .record(z.string().regex(new RegExp(namePattern('DAG id'))).max(maxNameBytes('DAG id')), Dag)
    .meta({
      title: 'windsock DAG file (dag-factory dialect)',
      description: "A map of dag_id -> DAG. The key 'default' holds settings merged into every DAG of the file.",
    });
  return z.toJSONSchema(File, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
}
