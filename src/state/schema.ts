// Validation of state documents against schemas/state.schema.json (JSON Schema 2020-12).
// The schema is the published contract of the file; types.ts is its TypeScript twin. ajv compiles
// it once, on first use, so commands that never touch state (validate, simulate) never pay for it.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Resolved from this module so it works from src/state (tests) and dist/state (the built CLI). */
export const STATE_SCHEMA_URL = new URL('../../schemas/state.schema.json', import.meta.url);

/** How many schema problems a message lists before it says "and N more". */
const MAX_LISTED = 10;

interface Validators {
  state: ValidateFunction;
  resource: ValidateFunction;
  intent: ValidateFunction;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(STATE_SCHEMA_URL, 'utf8')) as { $id: string };
    // allErrors: a hand-edited file usually has several mistakes; report them together.
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const state = ajv.compile(schema);
    // The entry schemas on their own let a write check only the entries it changed.
    const sub = (name: string): ValidateFunction => {
      const v = ajv.getSchema(`${schema.$id}#/$defs/${name}`);
      if (v === undefined) throw new Error(`state schema has no $defs/${name}`);
      return v;
    };
    compiled = { state, resource: sub('resource'), intent: sub('intent') };
  }
  return compiled;
}

/** Problems with `doc` as one line each ("/resources/web/id must be string"); empty when valid. */
export function stateSchemaProblems(doc: unknown): string[] {
  return run(validators().state, doc, '');
}

/** Problems with one entry of `resources` or `pending`, reported at `pointer` ("/resources/web"). */
export function entrySchemaProblems(kind: 'resource' | 'intent', value: unknown, pointer: string): string[] {
  return run(validators()[kind], value, pointer);
}

function run(validate: ValidateFunction, doc: unknown, prefix: string): string[] {
  if (validate(doc)) return [];
  const lines = (validate.errors ?? []).map((e) => describe(e, prefix));
  if (lines.length <= MAX_LISTED) return lines;
  return [...lines.slice(0, MAX_LISTED), `... and ${lines.length - MAX_LISTED} more`];
}

function describe(e: ErrorObject, prefix: string): string {
  const path = prefix + e.instancePath;
  const where = path === '' ? '(top level)' : path;
  const params = e.params as Record<string, unknown>;
  // ajv's own text omits the offending key, which is the one thing a reader needs here.
  if (e.keyword === 'additionalProperties') return `${where} has unknown field "${String(params['additionalProperty'])}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
