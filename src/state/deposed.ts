// Deposed objects: images an address no longer points at but that still exist and are still ours
// to delete (the old half of a replacement whose delete failed or has not run yet). Terraform
// keeps them the same way (`states.DeposedKey`): a delete the cloud refuses must never make the
// state forget an image, so the object stays, named and retried, until the cloud confirms it gone.
//
// They live on their address's resource entry, so every store (file, PostgreSQL rows, history
// deltas) keeps them with no format of its own. Pure functions; entries are immutable.
import { createHash } from 'node:crypto';
import type { DeposedObject, StateResource } from './types.js';

/** A stable key per image: deposing the same image twice names it the same way. */
export function deposedKey(provider: string, id: string): string {
  return createHash('sha256').update(`${provider}\n${id}`).digest('hex').slice(0, 8);
}

/** One image is an id on one provider: two providers (two clouds) may well reuse an id. */
export interface ImageRef {
  provider: string;
  id: string;
}

const same = (a: ImageRef, b: ImageRef): boolean => a.id === b.id && a.provider === b.provider;

/** `old` as a deposed object of its address. */
export function toDeposed(old: StateResource, since: string): DeposedObject {
  const d: DeposedObject = {
    key: deposedKey(old.provider, old.id),
    id: old.id,
    provider: old.provider,
    driver: old.driver,
    inputs: old.inputs,
    attributes: old.attributes,
    since,
  };
  if (old.delete_error !== undefined) d.last_error = old.delete_error;
  return d;
}

/** `r` with `list` as its deposed objects (the field is absent when there are none). */
export function withDeposed(r: StateResource, list: readonly DeposedObject[]): StateResource {
  const { deposed: _old, ...rest } = r;
  return list.length === 0 ? rest : { ...rest, deposed: [...list] };
}

/** `next` becomes current; `previous` (another image) is deposed, its own deposed objects kept. */
export function replaceCurrent(previous: StateResource | undefined, next: StateResource, since: string, deposePrevious: boolean): StateResource {
  // (previous and next are the same image when an update or a recovery rewrites it.)
  const kept = [...(previous?.deposed ?? []), ...(next.deposed ?? [])];
  if (previous && deposePrevious && !same(previous, next) && !kept.some((d) => same(d, previous))) kept.push(toDeposed(previous, since));
  return withDeposed(next, kept.filter((d) => !same(d, next)));
}

/** The cloud confirmed `image` gone: forget it as a deposed object. */
export function forgetDeposed(r: StateResource, image: ImageRef): StateResource {
  if (!r.deposed?.some((d) => same(d, image))) return r;
  return withDeposed(r, r.deposed.filter((d) => !same(d, image)));
}

/** A delete of `image` failed: remember why, on the deposed object or on the current image. */
export function recordDeleteFailure(r: StateResource, image: ImageRef, message: string): StateResource {
  if (r.deposed?.some((d) => same(d, image))) {
    return withDeposed(r, r.deposed.map((d) => (same(d, image) ? { ...d, last_error: message, attempts: (d.attempts ?? 0) + 1 } : d)));
  }
  return same(r, image) ? { ...r, delete_error: message } : r;
}

/**
 * The current image is gone but deposed objects remain: the first of them becomes current again,
 * so the address (and with it the rest) is never dropped while an image of it may still exist.
 * The planner then plans it like any image: kept if it matches the configuration, else replaced
 * or deleted.
 */
export function promoteDeposed(r: StateResource, now: string): StateResource | undefined {
  const [first, ...rest] = r.deposed ?? [];
  if (first === undefined) return undefined;
  const { etag: _etag, delete_error: _err, deposed: _deposed, ...base } = r;
  const promoted: StateResource = {
    ...base, id: first.id, provider: first.provider, driver: first.driver, inputs: first.inputs, attributes: first.attributes, updated_at: now,
  };
  if (first.last_error !== undefined) promoted.delete_error = first.last_error;
  return withDeposed(promoted, rest);
}
