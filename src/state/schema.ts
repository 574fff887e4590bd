// Validation of state documents against schemas/state.schema.json (JSON Schema 2020-12).
// The schema is the published contract of the file; types.ts is its TypeScript twin. The
// validators are built ahead of time by `npm run build` (STATE_BUNDLE, loaded by
// validators/built.ts): reading a state never loads ajv's compiler.
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { loadBuilt } from '../validators/built.js';
import type { Validate, ValidatorBundle } from '../validators/bundle.js';

/** Resolved from this module so it works from src/state (tests) and dist/state (the built CLI). */
export const STATE_SCHEMA_URL = new URL('../../schemas/state.schema.json', import.meta.url);

/** How many schema problems a message lists before it says "and N more". */
const MAX_LISTED = 10;

interface Validators {
  state: Validate;
  /** The entry schemas on their own let a write check only the entries it changed. */
  resource: Validate;
  intent: Validate;
}

let source: string | undefined;

export function stateSchemaSource(): string {
  return (source ??= readFileSync(STATE_SCHEMA_URL, 'utf8'));
}

/** The state file's validators: what `npm run build` writes to dist/validators/state.cjs. */
export const STATE_BUNDLE: ValidatorBundle = {
  name: 'state',
  register(ajv) {
    const schema = JSON.parse(stateSchemaSource()) as { $id: string };
    ajv.addSchema(schema);
    return { state: schema.$id, resource: `${schema.$id}#/$defs/resource`, intent: `${schema.$id}#/$defs/intent` };
  },
  sources: () => stateSchemaSource(),
};

let loaded: Validators | undefined;

/** The validators in use (exported for the test that checks they are the built ones). */
export function validators(): Validators {
  if (loaded === undefined) {
    const built = loadBuilt(STATE_BUNDLE);
    loaded = { state: built('state'), resource: built('resource'), intent: built('intent') };
  }
  return loaded;
}

/** Problems with `doc` as one line each ("/resources/web/id must be string"); empty when valid. */
export function stateSchemaProblems(doc: unknown): string[] {
  return run(validators().state, doc, '');
}

/** Problems with one entry of `resources` or `pending`, reported at `pointer` ("/resources/web"). */
export function entrySchemaProblems(kind: 'resource' | 'intent', value: unknown, pointer: string): string[] {
  return run(validators()[kind], value, pointer);
}

function run(validate: Validate, doc: unknown, prefix: string): string[] {
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
