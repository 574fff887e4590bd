// Turning a desired image into what a driver call needs (references resolved from state as it
// is now, secret values put back in) and what the state keeps (secrets as fingerprints).
import type { DriverSchema } from '../fields/schema.js';
import { normalizeFields } from '../fields/normalize.js';
import type { PlanImage } from '../planner/input.js';
import { resolveRefs } from '../planner/refs.js';
import type { StateFile } from '../state/types.js';
import { isObject, pointerToPath, type JsonObject, type JsonValue } from '../util/json.js';
import { ImagectlError } from '../util/errors.js';

/** Desired fields with references resolved against the current state; throws if one is still unknown. */
export function resolvedInputs(d: PlanImage, schema: DriverSchema, state: StateFile): JsonObject {
  const fields = resolveRefs(d.fields, (a) => ({ action: 'no-op', state: state.resources[a], fields: undefined }));
  const unknown = JSON.stringify(fields).match(/"\$unknown":"([^"]+)"/);
  if (unknown) {
    throw new ImagectlError('REF_UNRESOLVED', `${d.address}: reference ${unknown[1]} has no value (its image was not created)`);
  }
  return normalizeFields(schema, fields);
}

/** Put secret values back at their pointers (in a copy; the values never reach the state). */
export function withSecrets(fields: JsonObject, secrets: Readonly<Record<string, string>> | undefined): JsonObject {
  if (!secrets) return fields;
  const out = structuredClone(fields);
  for (const [pointer, value] of Object.entries(secrets)) {
    const path = pointerToPath(pointer);
    const last = path.pop();
    let parent: JsonValue | undefined = out;
    for (const p of path) parent = isObject(parent) ? parent[String(p)] : Array.isArray(parent) ? parent[Number(p)] : undefined;
    if (last !== undefined && isObject(parent)) parent[String(last)] = value;
  }
  return out;
}
