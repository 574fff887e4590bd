// Turning a planned change into what a driver call needs and what the state keeps. The plan's
// `after` is the input, as reviewed: only the values it marks known after apply are read (from
// the state, where the changes this one depends on have just put them), and secret values are
// put in at send time, never into the state or a plan.
import type { DriverSchema } from '../fields/schema.js';
import { normalizeFields } from '../fields/normalize.js';
import { attributeOf, resolveUnknowns } from '../planner/refs.js';
import { changeKey, type ResourceChange } from '../planner/types.js';
import { fingerprintSecret, isSecretMarker, secretMarker } from '../state/secrets.js';
import type { StateFile } from '../state/types.js';
import { getPointer, setPointer, type JsonObject, type JsonValue } from '../util/json.js';
import { ImagectlError } from '../util/errors.js';

/** Secret values of one image by JSON Pointer; kept in memory only. */
export type SecretValues = Readonly<Record<string, string>>;

/**
 * The fields a create or update sends (before secrets) and the state records: the plan's `after`
 * with its known-after-apply values resolved and its secrets as fingerprints. Throws if a value
 * is still unknown (its image was not created).
 */
export function plannedInputs(c: ResourceChange, schema: DriverSchema, state: StateFile, secrets: SecretValues | undefined): JsonObject {
  const after = c.after;
  if (after === undefined) {
    throw new ImagectlError('PLAN_INVALID', `${changeKey(c)}: the plan holds no planned fields for its ${c.action}`, { origin: 'internal' });
  }
  const { fields, missing } = resolveUnknowns(after, (address, attribute) => {
    const r = state.resources[address];
    return r && attributeOf(r, attribute);
  });
  if (missing !== undefined) throw new ImagectlError('REF_UNRESOLVED', `${c.address}: reference ${missing} has no value (its image was not created)`);
  // A value read now is normalised as the planner normalised those it knew (a set-like list
  // holding one sorts again); what the plan already held is normalised, and sent as it is.
  const resolved = fields === after ? after : normalizeFields(schema, fields);
  return withFingerprints(resolved, secrets, state.secret_salt);
}

/**
 * The secrets' fingerprints at their pointers. A fresh plan holds them already, as reviewed; a
 * saved plan file holds only "(sensitive)" there (not even a hash leaves the machine), so they
 * are made again from the values with the state's salt, as the planner made them.
 */
function withFingerprints(fields: JsonObject, secrets: SecretValues | undefined, salt: string): JsonObject {
  if (!secrets) return fields;
  const redacted = Object.keys(secrets).filter((pointer) => !isSecretMarker(getPointer(fields, pointer)));
  if (redacted.length === 0) return fields;
  const marks = Object.fromEntries(redacted.map((pointer) => [pointer, secretMarker(fingerprintSecret(secrets[pointer] as string, salt)) as unknown as JsonValue]));
  return withValuesAt(fields, marks);
}

/** Put secret values back at their pointers (in a copy; the values never reach the state). */
export function withSecrets(fields: JsonObject, secrets: SecretValues | undefined): JsonObject {
  return secrets ? withValuesAt(fields, secrets) : fields;
}

/** A copy of `fields` (always: what a driver is sent is its own) with each value set at its pointer, where the parent object exists. */
function withValuesAt(fields: JsonObject, values: Readonly<Record<string, JsonValue>>): JsonObject {
  const out = structuredClone(fields);
  for (const [pointer, value] of Object.entries(values)) setPointer(out, pointer, value);
  return out;
}
