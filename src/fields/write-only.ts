// Write-only fields (a password the API never echoes) compared with what was last applied, or
// assumed from the YAML when nothing was: never a perpetual diff, never a forced replacement.
import type { DriverSchema } from './schema.js';
import { indexOf } from './schema-index.js';
import { isObject, type JsonObject, type JsonValue } from '../util/json.js';

/** A copy of `root` in which the objects along `parts` are fresh (copy on write), or undefined if a step is missing. */
function pathCopy(root: JsonObject, parts: readonly string[]): { root: JsonObject; leaf: JsonObject } | undefined {
  const out: JsonObject = { ...root };
  let dst = out;
  for (const p of parts) {
    const next = dst[p];
    if (!isObject(next)) return undefined;
    dst[p] = { ...next };
    dst = dst[p] as JsonObject;
  }
  return { root: out, leaf: dst };
}

function at(root: JsonValue | undefined, parts: readonly string[]): JsonValue | undefined {
  let cur = root;
  for (const p of parts) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

/**
 * Copy values at write-only pointers from `inputs` (last applied) into `live`, which never has
 * them, so a password the API never echoes compares equal instead of showing as removed.
 * Only where the live parent object exists: a parent gone from the cloud is a real difference.
 */
export function overlayWriteOnly(schema: DriverSchema, live: JsonObject, inputs: JsonObject): JsonObject {
  let out = live;
  for (const w of indexOf(schema).writeOnly) {
    const src = at(inputs, w.parts);
    if (!isObject(src) || src[w.key] === undefined || !isObject(at(out, w.parts))) continue;
    const copy = pathCopy(out, w.parts);
    if (!copy) continue;
    copy.leaf[w.key] = src[w.key] as JsonValue;
    out = copy.root;
  }
  return out;
}

/**
 * Write-only fields that were never applied (an imported image) cannot be compared: assume the
 * YAML's value, so adopting an image never forces its replacement (a Terraform provider bug).
 */
export function assumeUnknownWriteOnly(schema: DriverSchema, baseline: JsonObject, desired: JsonObject): JsonObject {
  let out = baseline;
  for (const w of indexOf(schema).writeOnly) {
    const dst = at(out, w.parts);
    const src = at(desired, w.parts);
    if (!isObject(dst) || !isObject(src) || dst[w.key] !== undefined || src[w.key] === undefined) continue;
    const copy = pathCopy(out, w.parts);
    if (!copy) continue;
    copy.leaf[w.key] = src[w.key] as JsonValue;
    out = copy.root;
  }
  return out;
}
