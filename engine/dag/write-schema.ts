// The committed schema/windsock-dag.schema.json is this text for the built-in operators (a unit test keeps it in
// step). `dag schema` prints it for the operators actually registered, plugins included.
//   regenerate: npx tsc -p . && node dist/engine/dag/write-schema.js
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtinOperators } from '../operators/builtin.js';
import { OperatorRegistry } from '../operators/registry.js';
import { dagJsonSchema } from './json-schema.js';

/** The schema as committed: pretty-printed with 2 spaces and a final newline. */
export function dagSchemaText(registry: OperatorRegistry): string {
  return JSON.stringify(dagJsonSchema(registry), null, 2) + '\n';
}

export function builtinRegistry(): OperatorRegistry {
  return new OperatorRegistry().registerAll(builtinOperators);
}

/** Where the committed schema lives, relative to this module (source or dist). */
export function committedSchemaPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = here.split(path.sep).includes('dist') ? '../../..' : '../..';
  return path.resolve(here, up, 'schema/windsock-dag.schema.json');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  fs.mkdirSync(path.dirname(committedSchemaPath()), { recursive: true });
  fs.writeFileSync(committedSchemaPath(), dagSchemaText(builtinRegistry()));
  process.stdout.write(`wrote ${committedSchemaPath()}\n`);
}
