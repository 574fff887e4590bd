// update: only `tags` and `access` change in place (schema.ts, read below). Each is touched
// only when it is in req.changed: the Terraform provider sends every existing tag to DELETE when
// `tags` is not configured (its plan marks the attribute unknown); here an undeclared field is
// left alone. Declared tags are the whole user set: keys the image has and the YAML lacks are
// removed, with the value they have now (DeleteTags deletes only an exact key+value match).
// Ownership tags are never part of the diff.
import { DriverError, type OpContext, type UpdateRequest } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { inPlaceFields } from '../wire-mapping.js';
import { applyAccess } from './access.js';
import type { OpsDeps } from './deps.js';
import { desiredPublic, fromWireImage } from './mapping.js';
import { numspotSchema } from './schema.js';
import { desiredTags, diffTags, wireTags } from './tags.js';
import type { WireImage, WireTag } from './wire.js';

/** The schema's `mode: 'update'` fields, the same list the planner reads. */
const IN_PLACE_FIELDS = inPlaceFields(numspotSchema);
const IN_PLACE: ReadonlySet<string> = new Set(IN_PLACE_FIELDS);

async function current(deps: OpsDeps, id: string, signal?: AbortSignal): Promise<WireImage> {
  const got = await deps.client.getImage(id, signal);
  if (!got.found) throw new DriverError('conflict', `image ${id} no longer exists; plan again`, { definitive: true, status: 404 });
  return got.image;
}

async function updateTags(deps: OpsDeps, image: WireImage, desired: readonly WireTag[], signal?: AbortSignal): Promise<boolean> {
  const diff = diffTags(wireTags(image.tags), desired);
  const resourceIds = [image.id as string];
  if (diff.remove.length > 0) await deps.client.deleteTags({ resourceIds, tags: diff.remove }, signal);
  if (diff.upsert.length > 0) await deps.client.createTags({ resourceIds, tags: diff.upsert }, signal);
  return diff.remove.length + diff.upsert.length > 0;
}

export async function updateImage(deps: OpsDeps, req: UpdateRequest, ctx: OpContext): Promise<ObservedImage> {
  const other = req.changed.filter((f) => !IN_PLACE.has(f));
  if (other.length > 0) {
    throw new DriverError('invalid', `numspot cannot change ${other.join(', ')} in place (only ${IN_PLACE_FIELDS.join(' and ')}); the plan should replace the image`, { definitive: true });
  }
  // `tags` changed but no longer declared: nothing says what the set should be, so it is left
  // as it is (the planner compares only declared fields; `tags: []` is how to remove them all).
  const wantTags = req.changed.includes('tags') && req.fields['tags'] !== undefined ? desiredTags(req.fields['tags']) : undefined;
  const wantPublic = req.changed.includes('access') ? desiredPublic(req.fields) : undefined;
  let image = await current(deps, req.id, ctx.signal);
  let touched = false;
  if (wantTags) touched = await updateTags(deps, image, wantTags, ctx.signal);
  if (wantPublic !== undefined) {
    const before = image;
    image = await applyAccess(deps.client, image, wantPublic, ctx.signal);
    touched ||= image !== before;
  }
  // Re-read after any change: the tag calls answer 204 with no image, so only a GET shows the result.
  if (touched) image = await current(deps, req.id, ctx.signal);
  return fromWireImage(image);
}
