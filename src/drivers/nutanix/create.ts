// create: POST with NTNX-Request-Id = the idempotency key → journal the task id at once
// (ctx.on_task) → wait for the task → read the image back. Before the 202, errors keep the kind
// and definitiveness the HTTP layer gave them; after it, only a FAILED task is definitive, since
// anything else may still complete on the server.
import type { CreateRequest, OpContext } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import type { OpsDeps } from './deps.js';
import { secretsOf, toWireImage } from './mapping.js';
import { requestId } from './request-id.js';
import { waitAndRead } from './wait.js';

export async function createImage(deps: OpsDeps, req: CreateRequest, ctx: OpContext): Promise<ObservedImage> {
  const body = toWireImage(req.fields);
  const accepted = await deps.client.createImage(body, requestId(ctx.idempotency_key), secretsOf(req.fields), ctx.signal);
  ctx.on_task?.(accepted.taskId);
  return waitAndRead(deps, accepted.taskId, 'create', ctx, undefined);
}
