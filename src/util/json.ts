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

/** Deterministic stringify (sorted keys) so digests and fingerprints do not depend on key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
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
