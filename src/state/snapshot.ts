// What a store remembers of the state it last read or wrote, to tell cheaply whether a new state
// differs (the serial grows only then) and which entries need checking before they are written.
//
// A 10,000-image state is several MB; canonicalising all of it on every write (the applier writes
// after every step) costs more than the write itself. So each resource and intent is kept as its
// plain JSON text, which is what lands in the file and several times cheaper than canonicalJson.
// Equal text means equal content. Unequal text is then compared with canonicalJson, so an entry
// rebuilt with its keys in another order does not count as a change; only the few entries whose
// text differs pay for that.
import { canonicalJson } from '../util/json.js';
import type { StateFile } from './types.js';

export interface Snapshot {
  /** Everything outside the two maps, except the serial. */
  envelope: string;
  resources: Map<string, string>;
  pending: Map<string, string>;
}

export function snapshotOf(state: StateFile): Snapshot {
  return {
    envelope: canonicalJson({ format: state.format, version: state.version, lineage: state.lineage, secret_salt: state.secret_salt }),
    resources: textsOf(state.resources),
    pending: textsOf(state.pending),
  };
}

function textsOf(map: Record<string, unknown>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [key, value] of Object.entries(map)) texts.set(key, JSON.stringify(value) ?? 'null');
  return texts;
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
function changedKeys(before: Map<string, string> | undefined, after: Map<string, string>): string[] {
  const keys: string[] = [];
  for (const [key, text] of after) {
    const old = before?.get(key);
    if (old === text) continue;
    if (old !== undefined && canonicalJson(JSON.parse(old)) === canonicalJson(JSON.parse(text))) continue;
    keys.push(key);
  }
  return keys;
}
