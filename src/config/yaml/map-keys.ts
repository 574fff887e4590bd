// How the keys of a YAML map become an object's, as yaml's toJS does it, shared by both readers:
// the fast one (fast-yaml/) and the walk over yaml's own nodes (yaml-values.ts). Both must give
// exactly yaml's answer, so the rule lives once.
import { setOwn, type JsonObject, type JsonValue } from '../../util/json.js';

/** Maps this small (every image's) are checked pair by pair: cheaper than a Set each. */
const PAIRWISE_LIMIT = 8;

/**
 * The keys of one map seen so far, compared as yaml compares them (scalar keys by value, others by
 * identity) with SameValueZero, as a Set does: NaN repeats NaN. yaml's own `uniqueKeys` check
 * compares each key with all earlier ones (1.4 s for a 10,000-image config).
 */
export class RepeatedKeys {
  private readonly ids: unknown[] = [];
  private set: Set<unknown> | undefined;

  /** Whether `id` was seen before in this map; notes it. */
  repeated(id: unknown): boolean {
    if (this.set !== undefined) {
      const seen = this.set.has(id);
      this.set.add(id);
      return seen;
    }
    const ids = this.ids;
    let seen = false;
    if (id === id) {
      for (let i = 0; i < ids.length && !seen; i++) seen = ids[i] === id;
    } else {
      for (let i = 0; i < ids.length && !seen; i++) seen = ids[i] !== ids[i];
    }
    ids.push(id);
    if (ids.length > PAIRWISE_LIMIT) this.set = new Set(ids);
    return seen;
  }
}

/**
 * Sets the property for a scalar key's value `id` as yaml's addPairToJSMap does: null is '', other
 * values go through String(), and the property is always an own one, `__proto__` included.
 */
export function setKey(out: Record<string, unknown>, id: unknown, value: unknown): void {
  setOwn(out as JsonObject, id === null ? '' : String(id), value as JsonValue);
}
