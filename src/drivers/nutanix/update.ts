// update: GET (for the ETag and the whole object) → apply only the requested in-place fields to
// it (update-body.ts) → PUT with If-Match → journal the task id → wait → read back. On 412
// someone changed the image in between: re-read and re-apply, so their change is kept.
import { DriverError, type OpContext, type UpdateRequest } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { deepEqual } from '../../util/json.js';
import type { OpsDeps } from './deps.js';
import { fromWireImage, nutanixWireMapping, secretsOf } from './mapping.js';
import { requestId } from './request-id.js';
import { nutanixSchema } from './schema.js';
import { buildUpdateBody, IN_PLACE_FIELDS } from './update-body.js';
import { waitAndRead } from './wait.js';
import type { WireImage } from './wire.js';

/** The in-place fields' wire keys, and whether each is compared as a set (from the schema). */
const IN_PLACE_WIRE = IN_PLACE_FIELDS.map((f) => ({
  key: (nutanixWireMapping[`/${f}`]?.wire ?? `/${f}`).slice(1),
  set: nutanixSchema.fields[`/${f}`]?.normalize === 'set',
}));

/** The in-place fields as the server would compare them (lists as sets, absent list = []). */
function inPlaceView(w: WireImage): unknown {
  return IN_PLACE_WIRE.map(({ key, set }) => (set ? [...(Array.isArray(w[key]) ? (w[key] as string[]) : [])].sort() : w[key]));
}

export async function updateImage(deps: OpsDeps, req: UpdateRequest, ctx: OpContext): Promise<ObservedImage> {
  for (let attempt = 0; attempt < deps.updateAttempts; attempt++) {
    const current = await deps.client.getImage(req.id, ctx.signal);
    if (!current.found) throw new DriverError('conflict', `image ${req.id} no longer exists; plan again`, { definitive: true });
    const body = buildUpdateBody(current.image, req.fields, req.changed);
    // Already as desired (a resumed run, or someone made the same edit): a PUT would only bump the ETag.
    if (deepEqual(inPlaceView(body), inPlaceView(current.image))) return fromWireImage(current.image, current.etag);
    // A new id per attempt: attempt N+1 sends a different body, which must not be answered with
    // the replayed result of attempt N. The ids stay stable across runs for the same key.
    const rid = requestId(ctx.idempotency_key, `update/${attempt}`);
    const res = await deps.client.updateImage(req.id, body, current.etag, rid, secretsOf(req.fields), ctx.signal);
    if (res.status === 'stale') continue;
    ctx.on_task?.(res.taskId);
    return waitAndRead(deps, res.taskId, 'update', ctx, req.id);
  }
  throw new DriverError('conflict', `image ${req.id} kept changing while updating it (${deps.updateAttempts} stale ETags); try again`, {
    definitive: true,
    status: 412,
  });
}
