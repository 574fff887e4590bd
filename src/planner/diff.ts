// Property diffs: one small wrapper around fast-json-patch. We diff per top-level field (the
// unit users declare), then ask the driver's field specs whether any changed sub-path forces
// replacement, so `source.url` changing forces a new image while `name` is renamed in place.
import jsonpatch from 'fast-json-patch';
import type { DriverSchema } from '../fields/schema.js';
import { deepEqual, isObject, type JsonObject, type JsonValue } from '../util/json.js';
import type { FieldChange } from './types.js';
import { isSecretPointer, schemaPointer, specFor } from '../fields/pointers.js';

function containsMarker(v: JsonValue | undefined, marker: '$secret' | '$unknown'): boolean {
  if (Array.isArray(v)) return v.some((x) => containsMarker(x, marker));
  if (!isObject(v)) return false;
  if (marker in v) return true;
  for (const k of Object.keys(v)) if (containsMarker(v[k], marker)) return true;
  return false;
}

/** Sub-paths (under `top`) that differ between two values of one field. */
function changedPaths(top: string, before: JsonValue | undefined, after: JsonValue | undefined): string[] {
  if (!isObject(before) || !isObject(after) || '$secret' in after || '$unknown' in after) return [top];
  const ops = jsonpatch.compare(before, after);
  return ops.map((op) => top + op.path);
}

function forcesReplacement(schema: DriverSchema, paths: readonly string[]): boolean {
  return paths.some((p) => specFor(schema, schemaPointer(p))?.mode === 'replace');
}

/**
 * Field changes from `before` (what is there) to `after` (what the YAML wants), over the keys
 * of `after` only: undeclared fields are not managed. Both sides must already be normalised.
 */
export function diffFields(schema: DriverSchema, before: JsonObject | undefined, after: JsonObject): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of Object.keys(after)) {
    const top = `/${key}`;
    const a = after[key];
    const b = before?.[key];
    const unknown = containsMarker(a, '$unknown');
    if (!unknown && deepEqual(a, b)) continue;
    const paths = unknown ? [top] : changedPaths(top, b, a);
    const change: FieldChange = {
      path: top,
      forces_replacement: before !== undefined && forcesReplacement(schema, paths),
      sensitive: isSecretPointer(schema, top) || containsMarker(a, '$secret') || containsMarker(b, '$secret'),
      unknown,
    };
    if (b !== undefined) change.before = b;
    if (a !== undefined) change.after = a;
    changes.push(change);
  }
  // In path order; sorted only when there is something to sort (most images have no change).
  return changes.length > 1 ? changes.sort(byPath) : changes;
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Differences of `actual` from `expected` over the keys of `expected` (for drift). */
export function diffValues(expected: JsonObject, actual: JsonObject): { path: string; expected?: JsonValue; actual?: JsonValue }[] {
  const out: { path: string; expected?: JsonValue; actual?: JsonValue }[] = [];
  for (const key of Object.keys(expected)) {
    const e = expected[key];
    const a = actual[key];
    if (deepEqual(e, a)) continue;
    const entry: { path: string; expected?: JsonValue; actual?: JsonValue } = { path: `/${key}` };
    if (e !== undefined) entry.expected = e;
    if (a !== undefined) entry.actual = a;
    out.push(entry);
  }
  return out.length > 1 ? out.sort(byPath) : out;
}
