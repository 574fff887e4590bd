// Drift is kept apart from changes: it says how the cloud moved away from what imagectl last
// applied (state), while changes say what the YAML wants. Only fields imagectl applied are
// compared; server-populated (computed) fields that moved are information, not drift.
// This is the planner's: it is pure, it needs the same normalised fields as the diff, and it is
// part of the Plan every command reads (plan.drift). The drift report (src/drift/) is built from
// these DriftEntry values and never compares fields itself.
import type { DriverSchema } from '../fields/schema.js';
import type { StateResource } from '../state/types.js';
import { deepEqual, type JsonObject } from '../util/json.js';
import { diffValues } from './diff.js';
import { normalizeFields } from '../fields/normalize.js';
import { overlayWriteOnly } from '../fields/write-only.js';
import { restrictTo, withoutPointers } from '../fields/pointers.js';
import type { Observation } from './input.js';
import type { DriftEntry, InfoEntry } from './types.js';

const NO_INFO: readonly InfoEntry[] = Object.freeze([]);

export function liveDrift(
  address: string,
  schema: DriverSchema,
  s: StateResource,
  o: Observation,
  ignore: readonly string[],
): { drift: DriftEntry; info: readonly InfoEntry[] } {
  const entry = (kind: DriftEntry['kind'], message?: string, fields: DriftEntry['fields'] = []): DriftEntry => {
    const drift: DriftEntry = { address, provider: s.provider, id: s.id, fields, kind };
    if (message !== undefined) drift.message = message;
    return drift;
  };
  if (o.status === 'not_found') return { drift: entry('deleted', 'the image is gone from the cloud'), info: NO_INFO };
  if (o.status === 'not_checked') return { drift: entry('not_checked', `${o.kind}: ${o.message}`), info: NO_INFO };
  if (o.status === 'not_read') return { drift: entry('in_sync', 'not refreshed'), info: NO_INFO };
  // The common case at scale: the cloud still holds exactly what was recorded.
  if (deepEqual(s.attributes, o.image.attributes)) return { drift: entry('in_sync'), info: NO_INFO };
  const applied = withoutPointers(s.inputs, ignore);
  // Restricted before normalising: only applied fields are compared, and normalising per key
  // gives the same values for them either way.
  const side = (attrs: JsonObject): JsonObject =>
    restrictTo(normalizeFields(schema, restrictTo(overlayWriteOnly(schema, attrs, s.inputs), applied) as JsonObject), applied) as JsonObject;
  const fields = diffValues(side(s.attributes), side(o.image.attributes));
  return { drift: entry(fields.length > 0 ? 'modified' : 'in_sync', undefined, fields), info: computedInfo(address, schema, s, o.image.attributes) };
}

function computedInfo(address: string, schema: DriverSchema, s: StateResource, live: JsonObject): InfoEntry[] {
  const info: InfoEntry[] = [];
  for (const [pointer, spec] of Object.entries(schema.fields)) {
    if (spec.mode !== 'computed') continue;
    const key = pointer.slice(1);
    const before = s.attributes[key];
    const after = live[key];
    if (deepEqual(before, after)) continue;
    const entry: InfoEntry = { address, path: pointer };
    if (before !== undefined) entry.before = before;
    if (after !== undefined) entry.after = after;
    info.push(entry);
  }
  return info;
}

/** The YAML differs from what was last applied: a config change not yet applied. */
export function pendingDrift(address: string, provider: string, schema: DriverSchema, desired: JsonObject, s: StateResource): DriftEntry | undefined {
  const applied = normalizeFields(schema, s.inputs);
  const fields = diffValues(desired, restrictTo(applied, desired) as JsonObject);
  if (fields.length === 0) return undefined;
  return { address, provider, id: s.id, kind: 'pending', fields, message: 'the configuration changed since the last apply' };
}
