// What a store remembers of the state it last read or wrote, to tell cheaply whether a new state
// differs (the serial grows only then) and which entries need checking before they are written.
//
// A 10,000-image state is several MB, and the applier writes after every step. Entries are
// frozen once read or written (entries.ts), so an entry that is the very same object as before is
// unchanged and costs nothing. Otherwise the two entries' JSON texts are compared (taken once
// per object and remembered): equal text means equal content. Unequal text is then compared with
// canonicalJson, so an entry rebuilt with its keys in another order does not count as a change;
// only the few entries whose text differs pay for that.
import { canonicalJson } from '../util/json.js';
import { entryText, freezeEntry } from './entries.js';
import type { StateFile } from './types.js';

/** One map of a snapshot: the entry objects by key, their JSON texts taken on demand. */
export class EntryTexts implements Iterable<[string, string]> {
  private readonly entries: Map<string, unknown>;

  constructor(map: Readonly<Record<string, unknown>>) {
    this.entries = new Map();
    for (const key in map) {
      const v = map[key];
      freezeEntry(v);
      this.entries.set(key, v);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** The entry object itself (frozen). */
  entry(key: string): unknown {
    return this.entries.get(key);
  }

  get(key: string): string | undefined {
    return this.entries.has(key) ? entryText(this.entries.get(key)) : undefined;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [key, value] of this.entries) yield [key, entryText(value)];
  }
}

export interface Snapshot {
  /** Everything outside the two maps, except the serial. */
  envelope: string;
  resources: EntryTexts;
  pending: EntryTexts;
}

/** The content of `state` now; its entries are frozen from here on. */
export function snapshotOf(state: StateFile): Snapshot {
  return {
    envelope: canonicalJson({ format: state.format, version: state.version, lineage: state.lineage, secret_salt: state.secret_salt }),
    resources: new EntryTexts(state.resources),
    pending: new EntryTexts(state.pending),
  };
}

export interface Difference {
  /** False when the content is the same (the serial must not grow). */
  changed: boolean;
  /** Keys added or changed since `before` (all keys when there is no `before`). */
  resources: string[];
  pending: string[];
}

export function compareSnapshots(before: Snapshot | undefined, after: Snapshot): Difference {
  const resources = changedKeys(before?.resources, after.resources);
  const pending = changedKeys(before?.pending, after.pending);
  const changed =
    before === undefined ||
    before.envelope !== after.envelope ||
    before.resources.size !== after.resources.size ||
    before.pending.size !== after.pending.size ||
    resources.length > 0 ||
    pending.length > 0;
  return { changed, resources, pending };
}

/** Keys of `after` that are new or whose content differs. With equal sizes, none new means none removed. */
function changedKeys(before: EntryTexts | undefined, after: EntryTexts): string[] {
  if (before === undefined) return [...after.keys()];
  const keys: string[] = [];
  for (const key of after.keys()) {
    if (!before.has(key)) {
      keys.push(key);
      continue;
    }
    const old = before.entry(key);
    const now = after.entry(key);
    if (old === now) continue;
    const a = before.get(key) as string;
    const b = after.get(key) as string;
    if (a === b || canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b))) continue;
    keys.push(key);
  }
  return keys;
}
