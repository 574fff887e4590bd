// Field metadata lookups and normalisation, driven only by the driver's declared DriverSchema.
// Normalising both sides the same way is what keeps server defaults, set-like lists and
// letter case from showing up as perpetual diffs.
import type { DriverSchema, FieldSpec } from './schema.js';
import { canonicalJson, isObject, setOwn, type JsonObject, type JsonValue } from '../util/json.js';

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

/**
 * The schema as a tree of its pointers, built once per schema (10,000 images share it). `active`
 * marks subtrees holding a normaliser, so normalisation skips the rest without walking it.
 */
interface SpecNode {
  spec: FieldSpec | undefined;
  children: Map<string, SpecNode>;
  active: boolean;
  /** The children holding a normaliser, by key: the only keys normalisation has to visit. */
  activeChildren: [string, SpecNode][];
}
interface SchemaIndex {
  root: SpecNode;
  defaults: { parts: string[]; key: string; value: JsonValue }[];
  writeOnly: { parts: string[]; key: string }[];
}
const indexes = new WeakMap<DriverSchema, SchemaIndex>();

function indexOf(schema: DriverSchema): SchemaIndex {
  let idx = indexes.get(schema);
  if (!idx) {
    const root: SpecNode = { spec: schema.fields[''], children: new Map(), active: schema.fields['']?.normalize !== undefined, activeChildren: [] };
    idx = { root, defaults: [], writeOnly: [] };
    for (const [pointer, spec] of Object.entries(schema.fields)) {
      if (pointer === '') continue;
      const parts = pointer.split('/').slice(1);
      const path: SpecNode[] = [root];
      let node = root;
      for (const part of parts) {
        let child = node.children.get(part);
        if (!child) node.children.set(part, (child = { spec: undefined, children: new Map(), active: false, activeChildren: [] }));
        path.push((node = child));
      }
      node.spec = spec;
      if (spec.normalize !== undefined) for (const n of path) n.active = true;
      const key = parts.pop();
      if (key === undefined) continue;
      if (spec.default !== undefined) idx.defaults.push({ parts, key, value: spec.default });
      if (spec.write_only) idx.writeOnly.push({ parts, key });
    }
    const listActive = (node: SpecNode): void => {
      for (const [key, child] of node.children) {
        if (child.active) node.activeChildren.push([key, child]);
        listActive(child);
      }
    };
    listActive(root);
    indexes.set(schema, idx);
  }
  return idx;
}

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
