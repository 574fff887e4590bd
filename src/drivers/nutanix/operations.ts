// The mutating calls. Each follows the same shape: send with a stable NTNX-Request-Id, journal the
// task id at once (ctx.on_task), wait for the task, read the image back. Before the 202, errors
// keep the kind and definitiveness the HTTP layer gave them; after it, only a FAILED task is
// definitive, since anything else may still complete on the server.
import { DriverError, type CreateRequest, type OpContext, type UpdateRequest } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { deepEqual } from '../../util/json.js';
import type { NutanixClient } from './client.js';
import { fromWireImage, secretsOf, toWireImage } from './mapping.js';
import { requestId } from './request-id.js';
import { imageIdFromTask, waitForTask, type TaskPoller } from './tasks.js';
import { buildUpdateBody } from './update-body.js';
import type { WireImage, WireTask } from './wire.js';

export interface OpsDeps {
  client: NutanixClient;
  taskTimeoutMs: number;
  /** The session's one poller: every wait for a task goes through it. */
  tasks: TaskPoller;
  /** PUT attempts when the ETag keeps going stale (412) under concurrent writers. */
  updateAttempts: number;
}

function notDefinitive(err: unknown): unknown {
  if (!(err instanceof DriverError) || !err.definitive) return err;
  const o: { definitive: boolean; status?: number; cause: unknown } = { definitive: false, cause: err };
  if (err.status !== undefined) o.status = err.status;
  return new DriverError(err.kind, err.message, o);
}

/** Waits for the task an operation of this kind started, reporting progress to `ctx`. */
export function waitFor(deps: OpsDeps, taskId: string, kind: string, ctx: Pick<OpContext, 'address' | 'signal' | 'on_progress'>): Promise<WireTask> {
  return waitForTask(deps.tasks, taskId, {
    address: ctx.address,
    kind,
    timeoutMs: deps.taskTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.on_progress ? { onProgress: ctx.on_progress } : {}),
  });
}

async function waitAndRead(deps: OpsDeps, taskId: string, kind: string, ctx: OpContext, imageId: string | undefined): Promise<ObservedImage> {
  const task = await waitFor(deps, taskId, kind, ctx);
  const id = imageId ?? imageIdFromTask(task);
  try {
    if (id === undefined) throw new DriverError('transient', `task ${taskId} succeeded but names no image`);
    const got = await deps.client.getImage(id, ctx.signal);
    if (!got.found) throw new DriverError('transient', `image ${id} not found right after task ${taskId} succeeded`);
    return fromWireImage(got.image, got.etag);
  } catch (err) {
    throw notDefinitive(err);
  }
}

export async function createImage(deps: OpsDeps, req: CreateRequest, ctx: OpContext): Promise<ObservedImage> {
  const body = toWireImage(req.fields);
  const accepted = await deps.client.createImage(body, requestId(ctx.idempotency_key), secretsOf(req.fields), ctx.signal);
  ctx.on_task?.(accepted.taskId);
  return waitAndRead(deps, accepted.taskId, 'create', ctx, undefined);
}

/** The in-place fields as the server would compare them (lists as sets, absent list = []). */
function inPlaceView(w: WireImage): unknown {
  return { name: w.name, description: w.description, type: w.type, categories: [...(w.categoryExtIds ?? [])].sort() };
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

export async function deleteImage(deps: OpsDeps, id: string, ctx: OpContext): Promise<void> {
  const res = await deps.client.deleteImage(id, requestId(ctx.idempotency_key, 'delete'), ctx.signal);
  if (res.status === 'gone') return;
  ctx.on_task?.(res.taskId);
  await waitFor(deps, res.taskId, 'delete', ctx);
}
