// Reading every image in scope with ONE GET /images (compute lists are not paginated).
//
// "In scope" is the space's own images, not the catalogue. The two API versions filter them
// differently and share no filter that does it:
// - 2026-06 has `imageType=private` ("images owned by the space") and no tag filters;
// - 2026-02 has no imageType (a gateway drops an unknown query parameter) and answers with the
//   space's images plus the public catalogue; it has tag filters, but `tagKeys=imagectl:lineage`
//   would hide the space's unmanaged images, which drift reports need.
// So the driver sends `imageType=private` (exact on 2026-06, ignored on 2026-02) and, for 2026-02,
// drops public images that carry no imagectl ownership tag (the official catalogue). Nothing is
// lost for managed images: the engine reads by id any image in state that a list did not show.
import type { ObservedImage } from '../../fields/observed.js';
import type { NumspotClient, Query } from './client.js';
import { fromWireImage } from './mapping.js';
import { ownerOf, wireTags } from './tags.js';
import type { WireImage, WireTag } from './wire.js';

export const LIST_QUERY: Query = { imageType: 'private' };

/** Both id filters: `ids` (2026-02) and `imageIds` (its 2026-06 name), each as repeated keys. */
export function imageIdsQuery(ids: readonly string[]): Query {
  return { ids: [...ids], imageIds: [...ids] };
}

/** `tags`: the image's wireTags, when the caller has them already. */
export function inSpace(image: WireImage, tags: readonly WireTag[] = wireTags(image.tags)): boolean {
  if (ownerOf(tags) !== undefined) return true;
  return image.access?.isPublic !== true;
}

export async function listSpaceImages(client: NumspotClient, signal?: AbortSignal): Promise<ObservedImage[]> {
  const images = await client.listImages(LIST_QUERY, signal);
  const seen = new Map<string, ObservedImage>();
  for (const w of images) {
    if (typeof w.id !== 'string' || seen.has(w.id)) continue;
    const tags = wireTags(w.tags); // read once for the filter and the mapping
    if (inSpace(w, tags)) seen.set(w.id, fromWireImage(w, tags));
  }
  return [...seen.values()];
}
