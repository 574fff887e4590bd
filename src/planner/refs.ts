// Resolving `{ref: "ADDRESS.ATTRIBUTE"}` at plan time. A reference is known when its target is
// untouched or updated in place (ids survive updates); it is "(known after apply)" when the
// target is created or replaced, unless the attribute is declared literally in its YAML.
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
  if (attribute === 'id') return t.state.id;
  return t.state.attributes[attribute] ?? t.state.inputs[attribute] ?? { $unknown: ref };
}

/**
 * `fields` with every reference replaced by its value or an UnknownValue marker. Copied only
 * along the way to a reference: what has none is returned as it is (callers never mutate it).
 */
export function resolveRefs(fields: JsonObject, targets: (address: string) => RefTarget | undefined): JsonObject {
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v !== 'object' || v === null) return v;
    if (isRef(v)) return resolveOne(v.ref, targets) as JsonValue;
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
