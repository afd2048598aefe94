// Checking API responses against the repository's copies of Airflow's OpenAPI specs with a real JSON Schema
// validator. The specs say `openapi: 3.1.0` but still mark nullable fields OpenAPI-3.0 style (`nullable: true`),
// which JSON Schema 2020-12 does not know: each such schema is rewritten to also accept null before compiling.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv2020 = Ajv2020Module.default;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SPEC_FILES = { v2: 'ui/server/openapi/openapi-v2.yaml', v1: 'ui/server/openapi/openapi-v1.yaml' } as const;

type Json = Record<string, unknown>;

/** OpenAPI 3.0's `nullable` as JSON Schema: the type list, or anyOf with null, gains null. */
export function withNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNulls);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) if (k !== 'nullable') out[k] = withNulls(v);
  if ((node as Json).nullable !== true) return out;
  if (typeof out.type === 'string' && !out.$ref && !out.anyOf && !out.oneOf && !out.allOf) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

class Spec {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly doc: Json;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly id: string, file: string) {
    this.doc = withNulls(parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))) as Json;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats.default(this.ajv);
    // v1 spells some timestamps `format: datetime`: the same ISO 8601 date-time with a zone
    this.ajv.addFormat('datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    // $refs inside the document (#/components/schemas/X) resolve against it under its id
    this.ajv.addSchema({ ...this.doc, $id: id });
  }

  /** The response schema of (path, method, status), or undefined when the spec gives none. */
  responseSchema(apiPath: string, method: string, status: number): unknown {
    const op = ((this.doc.paths as Json)[apiPath] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
    if (!op) throw new Error(`${method} ${apiPath} is not in the ${this.id} spec`);
    const responses = op.responses as Json;
    let r = (responses[String(status)] ?? responses.default) as Json | undefined;
    if (!r) return undefined;
    // v1 names its error responses once (`$ref: '#/components/responses/NotFound'`)
    if (typeof r.$ref === 'string') r = r.$ref.slice(2).split('/').reduce<Json>((node, key) => node[key] as Json, this.doc);
    return ((r.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
  }

  validator(apiPath: string, method: string, status: number): ValidateFunction | null {
    const key = `${method} ${apiPath} ${status}`;
    if (!this.cache.has(key)) {
      const schema = this.responseSchema(apiPath, method, status);
      if (schema === undefined) return null;
      this.cache.set(key, this.ajv.compile(qualify(schema, this.id) as Json));
    }
    return this.cache.get(key)!;
  }

  component(name: string): ValidateFunction {
    const key = `#${name}`;
    if (!this.cache.has(key)) this.cache.set(key, this.ajv.compile({ $ref: `${this.id}#/components/schemas/${name}` }));
    return this.cache.get(key)!;
  }

  documentedStatuses(apiPath: string, method: string): string[] {
    const op = ((this.doc.paths as Json)[apiPath] as Json)[method.toLowerCase()] as Json;
    return Object.keys(op.responses as Json);
  }
}

/** Local $refs pointed at the spec document added under `id`. */
function qualify(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => qualify(n, id));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? id + v : qualify(v, id)]));
}

const specs = new Map<string, Spec>();
function spec(version: keyof typeof SPEC_FILES): Spec {
  if (!specs.has(version)) specs.set(version, new Spec(`openapi-${version}`, SPEC_FILES[version]));
  return specs.get(version)!;
}

/**
 * Throw unless `body` is what the spec promises for (path template, method, status). The status must be one the
 * spec documents for that operation.
 */
export function assertSpec(apiPath: string, method: string, status: number, body: unknown, version: keyof typeof SPEC_FILES = 'v2'): void {
  const s = spec(version);
  const documented = s.documentedStatuses(apiPath, method);
  if (!documented.includes(String(status)) && !documented.includes('default')) {
    throw new Error(`${method} ${apiPath} answered ${status}, which the ${version} spec does not document (it documents ${documented.join(', ')})`);
  }
  const validate = s.validator(apiPath, method, status);
  if (validate && !validate(body)) {
    const errors = validate.errors!.slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`${method} ${apiPath} ${status}: the body does not match the spec:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 600)}`);
  }
}

/** Throw unless `body` matches the spec's component schema `name` (for statuses the spec leaves undocumented). */
export function assertComponent(name: string, body: unknown, version: keyof typeof SPEC_FILES = 'v2'): void {
  const s = spec(version);
  const validate = s.component(name);
  if (!validate(body)) throw new Error(`the body is not a ${name}: ${JSON.stringify(validate.errors)} body: ${JSON.stringify(body).slice(0, 600)}`);
}

/** The statuses the spec documents for (path template, method). */
export function documentedStatuses(apiPath: string, method: string, version: keyof typeof SPEC_FILES = 'v2'): string[] {
  return spec(version).documentedStatuses(apiPath, method);
}
