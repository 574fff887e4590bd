// Every line a plugin writes is checked against the protocol's JSON Schemas
// (schemas/plugin/*.schema.json, the same files docs/PLUGINS.md points plugin authors at), so
// "garbage" is caught at the boundary with a message that says exactly what was wrong, instead
// of surfacing later as a confusing failure deep in the planner.
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { newAjv } from '../../validators/ajv.js';
import type { Validate } from '../../validators/bundle.js';
import { isObject } from '../../util/json.js';
import { METHODS, type Incoming, type Method } from './protocol.js';

// schemas/ sits three levels above both src/drivers/external (tests) and dist/drivers/external.
const DIR = new URL('../../../schemas/plugin/', import.meta.url);
const BASE = 'https://imagectl.dev/schemas/plugin/';

let compiled: { get: (ref: string) => Validate } | undefined;

function schemas(): { get: (ref: string) => Validate } {
  if (compiled) return compiled;
  // Compiled lazily: a run without plugins never pays for it.
  const ajv = newAjv();
  for (const name of ['common', 'request', 'response', 'notification', ...METHODS]) {
    ajv.addSchema(JSON.parse(readFileSync(new URL(`${name}.schema.json`, DIR), 'utf8')) as object);
  }
  const cache = new Map<string, Validate>();
  compiled = {
    get: (ref) => {
      let v = cache.get(ref);
      if (!v) {
        v = ajv.getSchema(`${BASE}${ref}`);
        if (!v) throw new Error(`internal: plugin schema ${ref} missing`);
        cache.set(ref, v);
      }
      return v;
    },
  };
  return compiled;
}

// The first error only: ajv reports in evaluation order, so it is the one a check stopping at the
// first error would give; one line is enough to name what a plugin got wrong.
function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the protocol';
  const where = first.instancePath === '' ? '' : `${first.instancePath} `;
  const allowed = first.keyword === 'enum' && isObject(first.params) ? `: ${JSON.stringify(first.params['allowedValues'])}` : '';
  return `${where}${first.message ?? 'is invalid'}${allowed}`;
}

/** A parsed stdout line as one of the four message shapes, or the reason it is none of them. */
export function checkIncoming(value: unknown): { ok: true; message: Incoming } | { ok: false; problem: string } {
  if (!isObject(value)) return { ok: false, problem: 'it is not a JSON object' };
  const kinds = ['result', 'error', 'progress', 'task'].filter((k) => k in value);
  if (kinds.length !== 1) return { ok: false, problem: 'it must have exactly one of result, error, progress, task' };
  if (typeof value['id'] !== 'number' || !Number.isInteger(value['id'])) return { ok: false, problem: 'it has no integer id' };
  if (kinds[0] === 'result') return { ok: true, message: value as Incoming };
  const v = schemas().get(kinds[0] === 'error' ? 'response.schema.json' : 'notification.schema.json');
  if (!v(value)) return { ok: false, problem: describeErrors(v.errors) };
  return { ok: true, message: value as Incoming };
}

/** The result of `method` against `METHOD.schema.json#/$defs/result`; undefined when valid. */
export function checkResult(method: Method, result: unknown): string | undefined {
  const v = schemas().get(`${method}.schema.json#/$defs/result`);
  return v(result) ? undefined : describeErrors(v.errors);
}
