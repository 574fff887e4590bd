// Normalisation, driven only by the driver's declared DriverSchema. Normalising both sides the
// same way is what keeps server defaults, set-like lists and letter case from showing up as
// perpetual diffs. Pointer lookups are in pointers.ts, the schema's tree in schema-index.ts.
import type { DriverSchema, FieldSpec } from './schema.js';
import { indexOf, type SpecNode } from './schema-index.js';
import { canonicalJson, isObject, setOwn, type JsonObject, type JsonValue } from '../util/json.js';

const ignoredSets = new WeakMap<FieldSpec, Set<string>>();

/** A set-like field's ignore_values, as canonical JSON (made once per schema field). */
function ignoredValues(spec: FieldSpec): Set<string> {
  let set = ignoredSets.get(spec);
  if (set === undefined) ignoredSets.set(spec, (set = new Set((spec.ignore_values ?? []).map(canonicalJson))));
  return set;
}

/** Strictly increasing, none ignored: what normalising as a set would give back unchanged. */
function isSortedSet(keys: readonly string[], ignored: ReadonlySet<string>): boolean {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (ignored.has(key) || (i > 0 && (keys[i - 1] as string) >= key)) return false;
  }
  return true;
}

/**
 * The normalised value, sharing every part that normalisation leaves alone (the same object comes
 * back when nothing changes): at 10,000 images, copying every field of every image five times was
 * the planner's main cost. List items share their list's node. Callers never mutate the result.
 */
function normalizeValue(node: SpecNode | undefined, value: JsonValue): JsonValue {
  if (node === undefined || !node.active) return value;
  const spec = node.spec;
  if (Array.isArray(value)) {
    let items = value;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue;
      const n = normalizeValue(node, item);
      if (n === item) continue;
      if (items === value) items = value.slice();
      items[i] = n;
    }
    if (spec?.normalize !== 'set' || items.length === 0) return items;
    const ignored = ignoredValues(spec);
    const keys = items.map(canonicalJson);
    // Already a sorted set (the usual case after the first normalisation): the same array, found
    // without building the set.
    if (isSortedSet(keys, ignored)) return items;
    const seen = new Map<string, JsonValue>();
    keys.forEach((key, i) => {
      if (!ignored.has(key)) seen.set(key, items[i] as JsonValue);
    });
    return [...seen.keys()].sort().map((k) => seen.get(k) as JsonValue);
  }
  if (isObject(value)) {
    if ('$secret' in value || '$unknown' in value) return value;
    let out: JsonObject | undefined;
    // Only keys with a normaliser below them can change: the others are not visited at all.
    const active = node.activeChildren;
    for (let i = 0; i < active.length; i++) {
      const [k, child] = active[i] as [string, SpecNode];
      const v = Object.hasOwn(value, k) ? value[k] : undefined; // own keys only, as Object.entries gave
      if (v === undefined) continue;
      const n = normalizeValue(child, v);
      if (n !== v) (out ??= { ...value })[k] = n;
    }
    return out ?? value;
  }
  if (typeof value === 'string') {
    if (spec?.normalize === 'lowercase') return value.toLowerCase();
    if (spec?.normalize === 'trim') return value.trim();
  }
  return value;
}

/**
 * `node` with the default filled in every object at `parts` (walking through arrays) that lacks
 * `key`, copying only the objects on the way to a filled key; the same node when none lacks it.
 */
function withDefault(node: JsonValue | undefined, parts: readonly string[], i: number, key: string, value: JsonValue): JsonValue | undefined {
  if (Array.isArray(node)) {
    let out = node;
    for (let j = 0; j < node.length; j++) {
      const item = node[j] as JsonValue;
      const n = withDefault(item, parts, i, key, value) as JsonValue;
      if (n === item) continue;
      if (out === node) out = node.slice();
      out[j] = n;
    }
    return out;
  }
  if (!isObject(node)) return node;
  if (i === parts.length) return node[key] !== undefined ? node : { ...node, [key]: structuredClone(value) };
  const part = parts[i] as string;
  const child = node[part];
  const n = withDefault(child, parts, i + 1, key, value);
  return n === child ? node : { ...node, [part]: n as JsonValue };
}

/**
 * Normalised fields with declared defaults filled where the parent object exists and the key is
 * absent. The input is never changed; a filled default is normalised again (it may sit in a
 * set-like list).
 */
export function normalizeFields(schema: DriverSchema, fields: JsonObject): JsonObject {
  const idx = indexOf(schema);
  const normalized = normalizeValue(idx.root, fields) as JsonObject;
  let filled = normalized;
  for (const d of idx.defaults) filled = withDefault(filled, d.parts, 0, d.key, d.value) as JsonObject;
  return filled === normalized ? normalized : (normalizeValue(idx.root, filled) as JsonObject);
}
