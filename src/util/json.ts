// Plain JSON values: everything that crosses a module boundary (plans, state, driver results)
// is JSON-serialisable so it can be saved, diffed and rendered without special cases.
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `obj[key] = value` as an own property even for the key `__proto__`, which an assignment would
 * turn into the object's prototype (a YAML or JSON key `__proto__` is a field like any other).
 */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** Deterministic stringify (sorted keys) so digests and fingerprints do not depend on key order. */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    // Plain loops and string appends: digests of every image go through here at 10,000 images.
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(v[i]);
    return out + ']';
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (!isSorted(keys)) keys.sort();
    let out = '{';
    for (const k of keys) {
      const x = v[k];
      if (x === undefined) continue;
      out += (out.length === 1 ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(x);
    }
    return out + '}';
  }
  return JSON.stringify(v ?? null);
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/**
 * Equal as JSON (what canonicalJson would say), without building strings: the planner compares
 * every declared field of every image, so this is on the hot path at 10,000 images.
 * undefined and null are equal, as are an absent key and a key holding undefined.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of Object.keys(x)) if (!deepEqual(x[k], y[k])) return false;
  for (const k of Object.keys(y)) if (!(k in x) && y[k] !== undefined) return false;
  return true;
}

export function clone<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}

/** Read a value at a JSON Pointer ("/source/url"). Returns undefined when any step is missing. */
export function getPointer(root: unknown, pointer: string): JsonValue | undefined {
  if (pointer === '' || pointer === '/') return root as JsonValue;
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur as JsonValue | undefined;
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer.split('/').slice(1).map((s) => {
    const k = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(k) ? Number(k) : k;
  });
}

export function pathToPointer(path: readonly (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Set a value at a JSON Pointer inside `root` (mutates); parents must exist. */
export function setPointer(root: JsonObject, pointer: string, value: JsonValue): void {
  const path = pointerToPath(pointer);
  const last = path.pop();
  let parent: JsonValue | undefined = root;
  for (const p of path) parent = Array.isArray(parent) ? parent[Number(p)] : isObject(parent) ? parent[String(p)] : undefined;
  if (last === undefined) return;
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else if (isObject(parent)) parent[String(last)] = value;
}
