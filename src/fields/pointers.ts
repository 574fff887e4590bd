// Where a JSON Pointer sits in a driver's field schema, and the pointer-level edits the planner
// makes on field values (keep what is declared, drop what lifecycle ignores).
import type { DriverSchema, FieldSpec } from './schema.js';
import { isObject, setOwn, type JsonObject, type JsonValue } from '../util/json.js';

/** The spec that governs a pointer: its own, else the nearest declared parent's. */
export function specFor(schema: DriverSchema, pointer: string): FieldSpec | undefined {
  let p = pointer;
  for (;;) {
    const spec = schema.fields[p];
    if (spec) return spec;
    const cut = p.lastIndexOf('/');
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}

/** Drop array indexes so "/tags/3/key" finds the spec of "/tags/key" or "/tags". */
export function schemaPointer(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '');
}

export function isSecretPointer(schema: DriverSchema, pointer: string): boolean {
  return schema.fields[schemaPointer(pointer)]?.secret === true;
}

/** Keep only what `shape` declares, recursively through objects: undeclared fields are not managed. */
export function restrictTo(value: JsonValue | undefined, shape: JsonValue): JsonValue | undefined {
  if (!isObject(shape) || !isObject(value) || '$secret' in shape || '$unknown' in shape) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(shape)) {
    const sub = restrictTo(Object.hasOwn(value, k) ? value[k] : undefined, shape[k] as JsonValue);
    if (sub !== undefined) setOwn(out, k, sub);
  }
  return out;
}

/** Remove ignored pointers (lifecycle.ignore_changes) from a copy. */
export function withoutPointers(fields: JsonObject, pointers: readonly string[]): JsonObject {
  if (pointers.length === 0) return fields;
  const out = structuredClone(fields);
  for (const pointer of pointers) {
    const parts = pointer.split('/').slice(1);
    const key = parts.pop();
    let parent: JsonValue | undefined = out;
    for (const p of parts) parent = isObject(parent) ? parent[p] : undefined;
    if (key !== undefined && isObject(parent)) delete parent[key];
  }
  return out;
}
