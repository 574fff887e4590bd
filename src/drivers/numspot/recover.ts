// Finding out what an interrupted operation did, without changing anything.
//
// create: Numspot has no idempotency key, so a create must never be re-sent blindly. The
// journaled task id IS the image id (create calls on_task as soon as the POST answers):
// GET it; gone → not_created; there → created, after waiting for it to leave `pending`.
// Without an id (the POST's answer was lost), the image is searched by its intended name
// (unique per space) and our ownership tag imagectl:address: one match → created, none →
// not_created (the next create then gets a 409 that names the untagged holder, if any), several
// → unknown. A `failed` image is not adopted: recover throws, the intent stays, and the message
// says to delete it (recover must not write; see the README).
import { DriverError, type IntentView, type ObservedImage, type RecoverResult } from '../contract.js';
import { imagesNamed } from './conflicts.js';
import type { OpsDeps } from './deps.js';
import { fromWireImage } from './mapping.js';
import { ownerOf, wireTags } from './tags.js';
import { failureText, waitForImage } from './wait.js';
import type { WireImage } from './wire.js';

async function settle(deps: OpsDeps, image: WireImage, address: string): Promise<ObservedImage> {
  const id = image.id as string;
  const out = await waitForImage(deps.client, id, { address, timeoutMs: deps.pendingTimeoutMs, poll: deps.poll, now: deps.now });
  if (out.state === 'failed') {
    throw new DriverError('failed', `image ${id}, created for ${address} by an interrupted run, failed: ${failureText(out.image)}; delete it and apply again`, {
      definitive: false,
    });
  }
  return fromWireImage(out.image);
}

async function recoverCreate(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  if (intent.task_id !== undefined) {
    const got = await deps.client.getImage(intent.task_id);
    // Created, then deleted (by us after a failure, or by someone else): nothing remains.
    if (!got.found) return { status: 'not_created' };
    return { status: 'created', image: await settle(deps, got.image, intent.address) };
  }
  if (intent.name === undefined) {
    return { status: 'unknown', message: `no image id or name was journaled for the create of ${intent.address}` };
  }
  const ours = (await imagesNamed(deps, intent.name)).filter((i) => ownerOf(wireTags(i.tags))?.address === intent.address);
  const [only] = ours;
  if (only === undefined) return { status: 'not_created' };
  if (ours.length > 1) {
    return { status: 'unknown', message: `several images named "${intent.name}" carry the ownership tag of ${intent.address}: ${ours.map((i) => String(i.id)).join(', ')}` };
  }
  return { status: 'created', image: await settle(deps, only, intent.address) };
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
