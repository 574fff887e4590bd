// Tags: the user's set, imagectl's ownership marks, and the smallest change between two sets.
//
// Ownership tags (`imagectl:address`, `imagectl:lineage`) are written on every image imagectl
// creates, in the same PATCH as the declared tags. They never show in attributes (no diff, no
// drift) and come back as ObservedImage.owner: recovery finds an interrupted create by them, and
// a list can tell leaked images (ours, not in state) from unmanaged ones.
import { DriverError } from '../contract.js';
import { isObject, type JsonValue } from '../../util/json.js';
import type { WireTag } from './wire.js';

export const OWNER_PREFIX = 'imagectl:';
export const OWNER_ADDRESS = 'imagectl:address';
export const OWNER_LINEAGE = 'imagectl:lineage';

export function isOwnerTag(key: string): boolean {
  return key.startsWith(OWNER_PREFIX);
}

export function ownershipTags(address: string, lineage: string): WireTag[] {
  return [
    { key: OWNER_ADDRESS, value: address },
    { key: OWNER_LINEAGE, value: lineage },
  ];
}

/** Well-formed tags of a wire image (a server may omit `value` for an empty one). */
export function wireTags(tags: unknown): WireTag[] {
  const out: WireTag[] = [];
  if (!Array.isArray(tags)) return out;
  // A plain loop: this runs for every listed image, and flatMap allocated an array per tag.
  for (const t of tags as unknown[]) {
    if (isObject(t) && typeof t['key'] === 'string') out.push({ key: t['key'], value: typeof t['value'] === 'string' ? t['value'] : '' });
  }
  return out;
}

export function userTags(tags: readonly WireTag[]): WireTag[] {
  return tags.filter((t) => !isOwnerTag(t.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function ownerOf(tags: readonly WireTag[]): { address?: string; lineage?: string } | undefined {
  const address = tags.find((t) => t.key === OWNER_ADDRESS)?.value;
  const lineage = tags.find((t) => t.key === OWNER_LINEAGE)?.value;
  if (address === undefined && lineage === undefined) return undefined;
  return { ...(address === undefined ? {} : { address }), ...(lineage === undefined ? {} : { lineage }) };
}

/** Declared `tags` (snake_case model: [{key, value}]) → wire tags; refuses reserved keys. */
export function desiredTags(v: JsonValue | undefined): WireTag[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new DriverError('invalid', 'tags must be a list of {key, value}', { definitive: true });
  return v.map((t, i) => {
    if (!isObject(t) || typeof t['key'] !== 'string' || typeof t['value'] !== 'string') {
      throw new DriverError('invalid', `tags[${i}] must have a string key and a string value`, { definitive: true });
    }
    if (isOwnerTag(t['key'])) throw new DriverError('invalid', `tags[${i}]: keys starting with ${OWNER_PREFIX} are reserved for ownership tags`, { definitive: true });
    return { key: t['key'], value: t['value'] };
  });
}

export interface TagDiff {
  /** Sent to PATCH /bulk/tags: new keys and keys whose value changes (PATCH overwrites). */
  upsert: WireTag[];
  /** Sent to DELETE /bulk/tags with their CURRENT value: DeleteTags only removes an exact match. */
  remove: WireTag[];
}

/**
 * The change from the live user tags to the declared set. Ownership tags are outside both sides.
 * Unlike the Terraform provider, a changed value is one PATCH (not DELETE with the new value,
 * which matches nothing, then PATCH), and removals carry the value the image has now.
 */
export function diffTags(live: readonly WireTag[], desired: readonly WireTag[]): TagDiff {
  const current = new Map(userTags(live).map((t) => [t.key, t.value]));
  const wanted = new Map(desired.filter((t) => !isOwnerTag(t.key)).map((t) => [t.key, t.value]));
  const upsert = [...wanted].filter(([k, v]) => current.get(k) !== v).map(([key, value]) => ({ key, value }));
  const remove = [...current].filter(([k]) => !wanted.has(k)).map(([key, value]) => ({ key, value }));
  return { upsert, remove };
}
