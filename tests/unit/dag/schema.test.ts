// The JSON Schema of DAG files (for editors) is generated from the loader's own zod schemas; the committed copy
// must match what the code generates, and name the same keys the loader accepts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dagJsonSchema, dagSchemaText } from '../../../engine/dag/index.js';
import { ROOT } from '../../support/paths.js';
import { builtinRegistry, loadText } from './helpers.js';

type JsonSchema = { properties: Record<string, unknown>; additionalProperties: JsonSchema & { properties: Record<string, JsonSchema> } } & Record<string, unknown>;

describe('DAG file JSON Schema', () => {
  const schema = dagJsonSchema(builtinRegistry()) as JsonSchema;

  it('schema/windsock-dag.schema.json is up to date (regenerate: npx tsc -p . && node dist/engine/dag/write-schema.js)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'schema/windsock-dag.schema.json'), 'utf8');
    expect(committed).toBe(dagSchemaText(builtinRegistry()));
    expect(committed).toBe(JSON.stringify(schema, null, 2) + '\n');
  });

  it("lists the registry's operator names and their arguments", () => {
    const tasks = JSON.stringify(schema.additionalProperties.properties.tasks);
    for (const name of ['bash', 'BashOperator', 'airflow.operators.bash.BashOperator', 'empty', 'EmptyOperator', 'DummyOperator']) expect(tasks).toContain(`"${name}"`);
    expect(tasks).toContain('"bash_command"');
  });

  it('accepts exactly the DAG keys the loader accepts', () => {
    const keys = Object.keys(schema.additionalProperties.properties);
    expect(keys).toEqual(expect.arrayContaining(['schedule', 'schedule_interval', 'default_args', 'tasks', 'task_groups', 'catchup', 'timezone']));
    const text = `d:\n${keys.map((k) => `  ${k}: null`).join('\n')}\n  not_in_schema: 1\n`;
    const unknown = loadText(text).problems.filter((p) => p.message.startsWith('unknown key'));
    expect(unknown.map((p) => p.message)).toEqual(["unknown key 'not_in_schema' in DAG 'd'"]);
  });
});
