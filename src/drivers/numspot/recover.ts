// Finding out what an interrupted operation did, changing nothing but ownership tags (below).
//
// create: Numspot has no idempotency key, so a create must never be re-sent blindly. The
// journaled task id IS the image id (create calls on_task as soon as the POST answers):
// GET it; gone → not_created; there → created, after waiting for it to leave `pending`.
// Without an id (the POST's answer was lost), the image is searched by its intended name
// (unique per space) and our ownership tags, imagectl:address AND imagectl:lineage: a second
// state on the same space (another folder, same config) makes images of the same address and
// name, and adopting one of those would make this state destroy another state's image. Failing
// that, an untagged image of that name created after the intent was journaled (the POST acted,
// the run died before the tags): one match → created, none → not_created, several → unknown. An
// image tagged for another lineage is never ours, whatever its age. The chaos run found the
// old "untagged is never ours" rule wedging every such image behind a 409 until a manual import.
// A `failed` image is not adopted: `created_failed`, and the applier deletes it.
//
// The one write: an untagged image about to be adopted is claimed first (our ownership tags,
// then a re-read), else a second state recovering its own create of the same address within the
// clock-skew window could adopt the same image, and one state would later destroy the other's.
// Two claims racing: the last tag write wins and only its state adopts the image.
import type { IntentView, RecoverResult } from '../contract.js';
import { CLOCK_SKEW_MS, imagesNamed } from './conflicts.js';
import type { OpsDeps } from './deps.js';
import { fromWireImage } from './mapping.js';
import { ownerOf, ownershipTags, wireTags } from './tags.js';
import { failureText, waitForImage } from './wait.js';
import type { WireImage } from './wire.js';

/** The image once it carries this intent's ownership tags, or undefined if another state's are there. */
async function claim(deps: OpsDeps, image: WireImage, intent: IntentView): Promise<WireImage | undefined> {
  // Without a lineage nothing can be claimed or checked (a caller that does not say whose intent
  // it is); the image was found by its journaled id or by ownership tags, as before.
  if (intent.lineage === undefined) return image;
  const owner = ownerOf(wireTags(image.tags));
  if (owner !== undefined) return isOurs(owner, intent) ? image : undefined;
  const id = image.id as string;
  await deps.client.createTags({ resourceIds: [id], tags: ownershipTags(intent.address, intent.lineage) });
  const got = await deps.client.getImage(id);
  return got.found && isOurs(ownerOf(wireTags(got.image.tags)), intent) ? got.image : undefined;
}

async function settle(deps: OpsDeps, found: WireImage, intent: IntentView): Promise<RecoverResult> {
  const image = await claim(deps, found, intent);
  if (image === undefined) return { status: 'not_created' };
  const address = intent.address;
  const id = image.id as string;
  const out = await waitForImage(deps.images, id, { address, kind: 'resumed', timeoutMs: deps.pendingTimeoutMs });
  // Failed: garbage of ours to delete (the applier does, as the interrupted run would have).
  if (out.state === 'failed') return { status: 'created_failed', id, message: failureText(out.image) };
  return { status: 'created', image: fromWireImage(out.image) };
}

/**
 * The image of a POST whose answer was lost before it could be tagged: our intended name (unique
 * in the space), no ownership tags, created after the intent was journaled. The same test the
 * create itself applies right after an ambiguous POST (findLostCreate), made later.
 */
function untaggedSince(images: WireImage[], startedAt: string | undefined): WireImage[] {
  const since = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
  if (!Number.isFinite(since)) return [];
  return images.filter((i) => {
    const created = typeof i.creationDate === 'string' ? Date.parse(i.creationDate) : Number.NaN;
    return ownerOf(wireTags(i.tags)) === undefined && Number.isFinite(created) && created >= since - CLOCK_SKEW_MS;
  });
}

/** Tagged for this intent's address by the state that journaled it (an intent without a lineage owns no tagged image). */
function isOurs(owner: { address?: string; lineage?: string } | undefined, intent: IntentView): boolean {
  return owner !== undefined && owner.address === intent.address && intent.lineage !== undefined && owner.lineage === intent.lineage;
}

async function recoverCreate(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  if (intent.task_id !== undefined) {
    const got = await deps.client.getImage(intent.task_id);
    // Created, then deleted (by us after a failure, or by someone else): nothing remains.
    if (!got.found) return { status: 'not_created' };
    return settle(deps, got.image, intent);
  }
  if (intent.name === undefined) {
    return { status: 'unknown', message: `no image id or name was journaled for the create of ${intent.address}` };
  }
  const named = await imagesNamed(deps, intent.name);
  const tagged = named.filter((i) => isOurs(ownerOf(wireTags(i.tags)), intent));
  const ours = tagged.length > 0 ? tagged : untaggedSince(named, intent.started_at);
  const [only] = ours;
  if (only === undefined) return { status: 'not_created' };
  if (ours.length > 1) {
    return { status: 'unknown', message: `several images named "${intent.name}" could be the image of ${intent.address} in this state: ${ours.map((i) => String(i.id)).join(', ')}` };
  }
  return settle(deps, only, intent);
}

async function recoverDelete(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  if (intent.cloud_id === undefined) return { status: 'unknown', message: `no image id was journaled for the delete of ${intent.address}` };
  const got = await deps.client.getImage(intent.cloud_id);
  if (!got.found) return { status: 'done' };
  return { status: 'unknown', message: `image ${intent.cloud_id} still exists; the delete may not have reached the server (deleting again is safe)` };
}

/** Read-only. Throws DriverError when the API cannot be asked (auth, network) or must not be guessed. */
export function recoverIntent(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  switch (intent.action) {
    case 'create':
      return recoverCreate(deps, intent);
    case 'update':
      // Tags and access calls are idempotent and the planner recomputes what is left.
      return Promise.resolve({ status: 'done' });
    case 'delete':
      return recoverDelete(deps, intent);
  }
}
