// Validation of state documents against schemas/state.schema.json (JSON Schema 2020-12).
// The schema is the published contract of the file; types.ts is its TypeScript twin. The
// validators come compiled ahead of time (generated/state-validators.ts, by `npm run
// gen:schemas`); only when the schema file no longer matches them (someone edited it and did not
// regenerate) are they compiled here, once, on first use.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as generated from './generated/state-validators.js';

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
let source: string | undefined;

export function stateSchemaSource(): string {
  return (source ??= readFileSync(STATE_SCHEMA_URL, 'utf8'));
}

/** What the validators are compiled from: the schema text and the ajv options below. */
export function stateSchemaDigest(): string {
  return createHash('sha256').update(`${JSON.stringify(AJV_OPTIONS)}\n${stateSchemaSource()}`).digest('hex');
}

// allErrors: a hand-edited file usually has several mistakes; report them together.
const AJV_OPTIONS: Options = { allErrors: true, strict: true };

/** ajv itself is loaded only here (about 60 ms): normally the generated validators need none of it. */
export function newStateAjv(extra: Options['code'] = {}): Ajv2020 {
  const require = createRequire(import.meta.url);
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats');
  const ajv = new Ajv({ ...AJV_OPTIONS, code: extra });
  addFormats.default(ajv);
  return ajv;
}

/** The validators in use (exported for the test that checks the ahead-of-time ones are). */
export function validators(): Validators {
  if (compiled === undefined && generated.digest === stateSchemaDigest()) {
    compiled = { state: generated.state, resource: generated.resource, intent: generated.intent } as unknown as Validators;
  }
  if (compiled === undefined) {
    const schema = JSON.parse(stateSchemaSource()) as { $id: string };
    const ajv = newStateAjv();
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
