// Field metadata lookups and normalisation, driven only by the driver's declared DriverSchema.
// Normalising both sides the same way is what keeps server defaults, set-like lists and
// letter case from showing up as perpetual diffs.
import type { DriverSchema, FieldSpec } from '../drivers/contract.js';
import { canonicalJson, isObject, type JsonObject, type JsonValue } from '../util/json.js';

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

function normalizeValue(schema: DriverSchema, pointer: string, value: JsonValue): JsonValue {
  const spec = schema.fields[schemaPointer(pointer)];
  if (Array.isArray(value)) {
    const items = value.map((v, i) => normalizeValue(schema, `${pointer}/${i}`, v));
    if (spec?.normalize !== 'set') return items;
    const ignored = new Set((spec.ignore_values ?? []).map(canonicalJson));
    const seen = new Map<string, JsonValue>();
    for (const item of items) if (!ignored.has(canonicalJson(item))) seen.set(canonicalJson(item), item);
    return [...seen.keys()].sort().map((k) => seen.get(k) as JsonValue);
  }
  if (isObject(value)) {
    if ('$secret' in value || '$unknown' in value) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalizeValue(schema, `${pointer}/${k}`, v);
    return out;
  }
  if (typeof value === 'string') {
    if (spec?.normalize === 'lowercase') return value.toLowerCase();
    if (spec?.normalize === 'trim') return value.trim();
  }
  return value;
}

/** Every object at `parts` under `node`, walking through arrays (defaults inside list items). */
function parentsAt(node: JsonValue | undefined, parts: readonly string[]): JsonObject[] {
  if (Array.isArray(node)) return node.flatMap((item) => parentsAt(item, parts));
  if (!isObject(node)) return [];
  if (parts.length === 0) return [node];
  return parentsAt(node[parts[0] as string], parts.slice(1));
}

/** Fill declared defaults where the parent object exists and the key is absent. */
function applyDefaults(schema: DriverSchema, fields: JsonObject): JsonObject {
  const out = structuredClone(fields);
  for (const [pointer, spec] of Object.entries(schema.fields)) {
    if (spec.default === undefined) continue;
    const parts = pointer.split('/').slice(1);
    const key = parts.pop();
    if (key === undefined) continue;
    for (const parent of parentsAt(out, parts)) if (parent[key] === undefined) parent[key] = structuredClone(spec.default);
  }
  return out;
}

export function normalizeFields(schema: DriverSchema, fields: JsonObject): JsonObject {
  return normalizeValue(schema, '', applyDefaults(schema, fields)) as JsonObject;
}

/** Keep only what `shape` declares, recursively through objects: undeclared fields are not managed. */
export function restrictTo(value: JsonValue | undefined, shape: JsonValue): JsonValue | undefined {
  if (!isObject(shape) || !isObject(value) || '$secret' in shape || '$unknown' in shape) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(shape)) {
    const sub = restrictTo(value[k], shape[k] as JsonValue);
    if (sub !== undefined) out[k] = sub;
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

/**
 * Copy values at write-only pointers from `inputs` (last applied) into `live`, which never has
 * them, so a password the API never echoes compares equal instead of showing as removed.
 * Only where the live parent object exists: a parent gone from the cloud is a real difference.
 */
export function overlayWriteOnly(schema: DriverSchema, live: JsonObject, inputs: JsonObject): JsonObject {
  const out = structuredClone(live);
  for (const [pointer, spec] of Object.entries(schema.fields)) {
    if (!spec.write_only) continue;
    const parts = pointer.split('/').slice(1);
    const key = parts.pop();
    let src: JsonValue | undefined = inputs;
    let dst: JsonValue | undefined = out;
    for (const p of parts) {
      src = isObject(src) ? src[p] : undefined;
      dst = isObject(dst) ? dst[p] : undefined;
    }
    if (key === undefined || !isObject(src) || !isObject(dst) || src[key] === undefined) continue;
    dst[key] = structuredClone(src[key] as JsonValue);
  }
  return out;
}

/**
 * Write-only fields that were never applied (an imported image) cannot be compared: assume the
 * YAML's value, so adopting an image never forces its replacement (a Terraform provider bug).
 */
export function assumeUnknownWriteOnly(schema: DriverSchema, baseline: JsonObject, desired: JsonObject): JsonObject {
  const out = structuredClone(baseline);
  for (const [pointer, spec] of Object.entries(schema.fields)) {
    if (!spec.write_only) continue;
    const parts = pointer.split('/').slice(1);
    const key = parts.pop();
    let dst: JsonValue | undefined = out;
    let src: JsonValue | undefined = desired;
    for (const p of parts) {
      dst = isObject(dst) ? dst[p] : undefined;
      src = isObject(src) ? src[p] : undefined;
    }
    if (key === undefined || !isObject(dst) || !isObject(src)) continue;
    if (dst[key] === undefined && src[key] !== undefined) dst[key] = structuredClone(src[key] as JsonValue);
  }
  return out;
}
