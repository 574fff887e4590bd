// `access.is_public` through PUT /images/{id} (UpdateImage), shared by create and update.
// The 2026-06 API removed public images and the operation with them (no route: 404/405). The
// Terraform provider ignores the PUT's status on create and panics on update; here a difference
// that cannot be applied is a clear, definitive error, and no difference sends nothing at all,
// so `access: {is_public: false}` keeps working on 2026-06 where every image is private.
import { DriverError } from '../contract.js';
import type { NumspotClient } from './client.js';
import type { WireImage, WireUpdateImage } from './wire.js';

export const ACCESS_REMOVED_MESSAGE =
  "Numspot removed image access updates in its 2026-06 API (public images no longer exist); remove `access` from this image or set it to the image's current value";

export function accessBody(isPublic: boolean): WireUpdateImage {
  // Making an image private is `removals: {isPublic: true}`: the flag names the permission removed.
  return isPublic ? { accessCreation: { additions: { isPublic: true } } } : { accessCreation: { removals: { isPublic: true } } };
}

export function livePublic(image: WireImage): boolean | undefined {
  return typeof image.access?.isPublic === 'boolean' ? image.access.isPublic : undefined;
}

/**
 * Makes the image public or private when it is not already. Returns the image the PUT answered
 * with, or `current` when nothing had to change.
 */
export async function applyAccess(client: NumspotClient, current: WireImage, isPublic: boolean, signal?: AbortSignal): Promise<WireImage> {
  const id = current.id as string;
  if (livePublic(current) === isPublic) return current;
  const res = await client.updateImage(id, accessBody(isPublic), signal);
  if (res.status === 'updated') return res.image;
  if (res.status === 'gone') throw new DriverError('conflict', `image ${id} no longer exists; plan again`, { definitive: true, status: 404 });
  const want = isPublic ? 'true' : 'false';
  throw new DriverError('invalid', `image ${id}: cannot set access.is_public to ${want} (PUT ${client.imagePath(id)}: HTTP ${res.httpStatus}): ${ACCESS_REMOVED_MESSAGE}`, {
    definitive: true,
    status: res.httpStatus,
  });
}
