// State entries (resources and intents) as immutable values with their JSON text remembered.
//
// At 10,000 images, turning every entry into text on every write (the applier writes after each
// step), and checking each one against the schema again, cost more than the write itself. An
// entry is frozen the first time its text is taken, so the text can never go stale: changing an
// entry means building a new object, which the applier always does, and an in-place edit
// throws instead of silently missing the file. Texts are keyed by object identity and held
// weakly: they go when the entry does.
const compact = new WeakMap<object, string>();
/** Entries that passed the schema check once (when read, or before a write): frozen, so still valid. */
const valid = new WeakSet<object>();

/** Freezes an entry and everything in it (cheap for one frozen already). */
export function freezeEntry(value: unknown): void {
  if (typeof value === 'object' && value !== null) freezeObject(value);
}

// Indexes and for-in rather than Object.values, and no call for a primitive: 10,000 entries of
// several objects each are frozen on every read.
function freezeObject(value: object): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) freezeObject(v);
    }
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const v = object[key];
    if (typeof v === 'object' && v !== null) freezeObject(v);
  }
}

/** Compact JSON text of an entry (what snapshots compare and the database stores); freezes it. */
export function entryText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  let text = compact.get(value);
  if (text === undefined) {
    freezeEntry(value);
    text = JSON.stringify(value) ?? 'null';
    compact.set(value, text);
  }
  return text;
}

/** Marks entries as schema-checked (and freezes them, so they stay so). */
export function markValid(entries: Iterable<unknown>): void {
  for (const e of entries) {
    if (typeof e !== 'object' || e === null) continue;
    freezeEntry(e);
    valid.add(e);
  }
}

export function isKnownValid(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && valid.has(entry);
}
