// Validation of drift reports against schemas/drift.schema.json (JSON Schema 2020-12), the
// published twin of types.ts. Compiled on first use only: `drift` without --since never pays for it.
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { newAjv } from '../validators/ajv.js';
import type { Validate } from '../validators/bundle.js';

/** Resolved from this module so it works from src/drift (tests) and dist/drift (the built CLI). */
export const DRIFT_SCHEMA_URL = new URL('../../schemas/drift.schema.json', import.meta.url);

/** How many schema problems a message lists before it says "and N more". */
const MAX_LISTED = 10;

let compiled: Validate | undefined;

function validator(): Validate {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(DRIFT_SCHEMA_URL, 'utf8')) as object;
    compiled = newAjv().compile(schema);
  }
  return compiled;
}

/** Problems with `doc`, one line each ("/findings/0/kind must be equal to one of the allowed values"); empty when valid. */
export function driftSchemaProblems(doc: unknown): string[] {
  const validate = validator();
  if (validate(doc)) return [];
  const lines = (validate.errors ?? []).map(describe);
  if (lines.length <= MAX_LISTED) return lines;
  return [...lines.slice(0, MAX_LISTED), `... and ${lines.length - MAX_LISTED} more`];
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  // ajv's own text omits the offending key, which is the one thing a reader needs here.
  if (e.keyword === 'additionalProperties') return `${where} has unknown field "${String(params['additionalProperty'])}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
