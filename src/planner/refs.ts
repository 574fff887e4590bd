// Resolving `{ref: "ADDRESS.ATTRIBUTE"}` at plan time. A reference is known when its target is
// untouched or updated in place (ids survive updates); it is "(known after apply)" when the
// target is created or replaced, unless the attribute is declared literally in its YAML. The
// applier resolves those markers, and nothing else, once the target has been applied.
import type { StateResource } from '../state/types.js';
import { isObject, setOwn, type JsonObject, type JsonValue } from '../util/json.js';
import type { Action, UnknownValue } from './types.js';

export interface RefTarget {
  action: Action;
  state: StateResource | undefined;
  /** The target's desired fields with its own references already resolved. */
  fields: JsonObject | undefined;
}

export function isRef(v: unknown): v is { ref: string } {
  return isObject(v) && typeof v['ref'] === 'string' && Object.keys(v).length === 1;
}

export function splitRef(ref: string): { address: string; attribute: string } {
  const dot = ref.indexOf('.');
  return { address: ref.slice(0, dot), attribute: ref.slice(dot + 1) };
}

function resolveOne(ref: string, targets: (address: string) => RefTarget | undefined): JsonValue | UnknownValue {
  const { address, attribute } = splitRef(ref);
  const t = targets(address);
  const declared = t?.fields?.[attribute];
  if (declared !== undefined && !isObject(declared)) return declared;
  if (!t || !t.state || t.action === 'create' || t.action === 'replace') return { $unknown: ref };
  return attributeOf(t.state, attribute) ?? { $unknown: ref };
}

/** An attribute of an applied image as a reference reads it: its id, else what the cloud or the inputs hold. */
export function attributeOf(r: StateResource, attribute: string): JsonValue | undefined {
  if (attribute === 'id') return r.id;
  return r.attributes[attribute] ?? r.inputs[attribute];
}

/**
 * `fields` with every object `swap` gives a value for replaced by it. Copied only along the way to
 * a replacement: what has none is returned as it is (callers never mutate it).
 */
function replaceMarkers(fields: JsonObject, swap: (v: JsonObject) => JsonValue | undefined): JsonObject {
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let items = v;
      for (let i = 0; i < v.length; i++) {
        const item = v[i] as JsonValue;
        const n = walk(item);
        if (n === item) continue;
        if (items === v) items = v.slice();
        items[i] = n;
      }
      return items;
    }
    const swapped = swap(v);
    if (swapped !== undefined) return swapped;
    let out: JsonObject | undefined;
    for (const k of Object.keys(v)) {
      const x = v[k] as JsonValue;
      const n = walk(x);
      if (n !== x) setOwn((out ??= { ...v }), k, n);
    }
    return out ?? v;
  };
  return walk(fields) as JsonObject;
}

/** `fields` with every reference replaced by its value or an UnknownValue marker. */
export function resolveRefs(fields: JsonObject, targets: (address: string) => RefTarget | undefined): JsonObject {
  return replaceMarkers(fields, (v) => (isRef(v) ? (resolveOne(v.ref, targets) as JsonValue) : undefined));
}

export function isUnknown(v: unknown): v is UnknownValue {
  return isObject(v) && typeof v['$unknown'] === 'string' && Object.keys(v).length === 1;
}

/**
 * A planned `after` with each value the plan marked known only after apply read from the image it
 * names, applied by now (the applier runs a change after the changes it depends on). `value`
 * answers undefined for one that has no value; the first such reference is returned as `missing`.
 */
export function resolveUnknowns(after: JsonObject, value: (address: string, attribute: string) => JsonValue | undefined): { fields: JsonObject; missing?: string } {
  let missing: string | undefined;
  const fields = replaceMarkers(after, (v) => {
    if (!isUnknown(v)) return undefined;
    const { address, attribute } = splitRef(v.$unknown);
    const found = value(address, attribute);
    if (found === undefined) missing ??= v.$unknown;
    return found ?? v;
  });
  return missing === undefined ? { fields } : { fields, missing };
}
