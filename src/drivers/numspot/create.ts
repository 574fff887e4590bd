// create: POST /images (one body per mode) → journal the id (ctx.on_task) → ONE PATCH /bulk/tags
// with the declared tags and the ownership tags → PUT access when declared and different →
// poll until available. Numspot has no idempotency key, so the POST is never sent twice after the
// server may have acted on it (see session.ts); the ownership tags and the journaled id are what
// recovery uses instead.
//
// After the POST the image exists, so "definitive" needs care: a definitive failure means nothing
// is left. On one (bad tags, access removed in 2026-06, state `failed`) the image is deleted
// before the error is thrown; if that delete fails too, the error becomes non-definitive and the
// intent stays, so the next run's recover() finds the image by its journaled id.
import { DriverError, type CreateRequest, type OpContext } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { isObject } from '../../util/json.js';
import { applyAccess } from './access.js';
import { describeConflict, findLostCreate } from './conflicts.js';
import { fromWireImage, desiredPublic, toWireCreate } from './mapping.js';
import type { OpsDeps } from './deps.js';
import { deleteImage } from './delete.js';
import { desiredTags, ownershipTags } from './tags.js';
import { failureText, waitForImage } from './wait.js';
import type { WireCreateImage, WireImage } from './wire.js';

function withMessage(err: DriverError, message: string, definitive: boolean): DriverError {
  const o: { definitive: boolean; status?: number; cause: unknown } = { definitive, cause: err };
  if (err.status !== undefined) o.status = err.status;
  return new DriverError(err.kind, message, o);
}

async function post(deps: OpsDeps, body: WireCreateImage, ctx: OpContext): Promise<WireImage> {
  const started = deps.now();
  let res;
  try {
    res = await deps.client.createImage(body, ctx.signal);
  } catch (err) {
    if (!(err instanceof DriverError) || err.definitive) throw err;
    // The server may have acted without our seeing the answer. Its image would have our name
    // and no tags yet: look once, and carry on with it if it is there.
    const lost = await findLostCreate(deps, body.name, started, ctx);
    if (lost) return lost;
    throw withMessage(err, `${err.message}; the image may still have been created: the next run looks for it before creating again`, false);
  }
  if (res.status === 409) throw await describeConflict(deps, body.name, ctx, res);
  if (!isObject(res.body) || typeof res.body['id'] !== 'string') {
    const lost = await findLostCreate(deps, body.name, started, ctx);
    if (lost) return lost;
    throw new DriverError('transient', `POST images: HTTP ${res.status} without an image id; the image may exist: the next run looks for it`, { status: res.status });
  }
  return res.body as WireImage;
}

/** Deletes a half-made image so a definitive error leaves nothing behind. */
async function rollback(deps: OpsDeps, id: string, err: DriverError, ctx: OpContext): Promise<DriverError> {
  try {
    await deleteImage(deps, id, ctx);
  } catch (cleanup) {
    const why = cleanup instanceof Error ? cleanup.message : String(cleanup);
    return withMessage(err, `${err.message}; deleting the incomplete image ${id} failed too (${why}): the next run finds it again`, false);
  }
  return withMessage(err, `${err.message} (image ${id} was deleted, so nothing is left behind)`, true);
}

async function finish(deps: OpsDeps, created: WireImage, req: CreateRequest, ctx: OpContext): Promise<ObservedImage> {
  const id = created.id as string;
  await deps.client.createTags({ resourceIds: [id], tags: [...desiredTags(req.fields['tags']), ...ownershipTags(ctx.address, ctx.lineage)] }, ctx.signal);
  const isPublic = desiredPublic(req.fields);
  if (isPublic !== undefined) await applyAccess(deps.client, created, isPublic, ctx.signal);
  const out = await waitForImage(deps.images, id, {
    address: ctx.address,
    timeoutMs: deps.pendingTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.on_progress ? { onProgress: ctx.on_progress } : {}),
  });
  if (out.state === 'failed') {
    throw new DriverError('failed', `image ${id} (${req.fields['name'] as string}) failed: ${failureText(out.image)}`, { definitive: true });
  }
  return fromWireImage(out.image);
}

export async function createImage(deps: OpsDeps, req: CreateRequest, ctx: OpContext): Promise<ObservedImage> {
  // Checked before anything is sent: a malformed request fails with nothing created.
  const body = toWireCreate(req.fields, deps.region);
  desiredTags(req.fields['tags']);
  desiredPublic(req.fields);
  const created = await post(deps, body, ctx);
  const id = created.id as string;
  ctx.on_task?.(id);
  try {
    return await finish(deps, created, req, ctx);
  } catch (err) {
    if (err instanceof DriverError && err.definitive) throw await rollback(deps, id, err, ctx);
    if (err instanceof DriverError) throw err;
    throw new DriverError('transient', `image ${id} was created, then: ${err instanceof Error ? err.message : String(err)}`, { definitive: false, cause: err });
  }
}
