// One function per mutating step. Each journals an intent before calling the driver and clears
// it in the same state write that records the result. A definitive failure clears the intent
// (nothing happened); any other failure keeps it, so the next run recovers instead of guessing.
import { randomUUID } from 'node:crypto';
import { DriverError, type DriverSession, type OpContext } from '../drivers/contract.js';
import type { DriverSchema } from '../fields/schema.js';
import type { ObservedImage } from '../fields/observed.js';
import type { ResourceChange } from '../planner/types.js';
import type { Intent, StateResource } from '../state/types.js';
import { errorMessage, ImagectlError } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import type { EventSink, StepKind } from './events.js';
import { plannedInputs, withSecrets, type SecretValues } from './fields.js';
import type { Journal } from './journal.js';
import { killPoint } from './kill-points.js';
import { resumeDelete } from './resume-delete.js';

export interface OpEnv {
  journal: Journal;
  session: DriverSession;
  schema: DriverSchema;
  events: EventSink;
  now: () => string;
}

function context(env: OpEnv, intent: Intent, step: StepKind): OpContext {
  return {
    address: intent.address,
    idempotency_key: intent.idempotency_key,
    lineage: env.journal.state.lineage,
    on_task: (taskId) => void env.journal.setTask(intent.op_id, taskId).then(() => killPoint('after-task-id', intent.action, intent.address)),
    on_progress: (p) => {
      const e: Parameters<EventSink['emit']>[0] = { type: 'step_progress', address: intent.address, step, message: p.message };
      if (p.percent !== undefined) e.percent = p.percent;
      env.events.emit(e);
    },
  };
}

/** What the state records of a declared image besides its fields: where it lives, its lifecycle, its edges. */
export interface Declared {
  address: string;
  provider: string;
  driver: string;
  prevent_destroy: boolean;
  depends_on: readonly string[];
}

/**
 * A planned change of a declared image, as the state records it. A plan made before changes
 * carried `prevent_destroy` says only `protected`: keeping that never lifts protection unseen.
 */
export function declaredOf(c: ResourceChange): Declared {
  return { address: c.address, provider: c.provider, driver: c.driver, prevent_destroy: c.prevent_destroy ?? c.protected, depends_on: c.depends_on };
}

export function toResource(d: Declared, image: ObservedImage, inputs: JsonObject, now: string): StateResource {
  const r: StateResource = {
    address: d.address,
    provider: d.provider,
    driver: d.driver,
    id: image.id,
    inputs,
    attributes: image.attributes,
    protected: d.prevent_destroy,
    depends_on: [...d.depends_on].sort(),
    updated_at: now,
  };
  if (image.etag !== undefined) r.etag = image.etag;
  return r;
}

async function guarded<T>(env: OpEnv, intent: Intent, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof DriverError && e.definitive) await env.journal.fail(intent.op_id, errorMessage(e));
    throw e;
  }
}

/**
 * Create what change `c` plans. When it replaces `old` (create before destroy), the old image
 * becomes deposed and its delete is journaled in the same write; `goneId` is a previous image
 * known to be deleted already.
 */
export async function createImage(
  env: OpEnv, c: ResourceChange, secrets: SecretValues | undefined, old?: { id: string; provider: string; driver: string }, goneId?: string,
): Promise<string> {
  const d = declaredOf(c);
  const inputs = plannedInputs(c, env.schema, env.journal.state, secrets);
  const name = typeof inputs['name'] === 'string' ? inputs['name'] : undefined;
  const intent = await env.journal.begin({
    address: d.address, provider: d.provider, driver: d.driver, action: 'create',
    idempotency_key: randomUUID(), inputs, ...(name === undefined ? {} : { name }),
  });
  killPoint('before-call', 'create', d.address);
  const image = await guarded(env, intent, () => env.session.create({ fields: withSecrets(inputs, secrets) }, context(env, intent, 'create')));
  killPoint('after-cloud-acted', 'create', d.address);
  const add: Intent[] = [];
  if (old !== undefined) {
    // Where the old image is: another provider when the image moves between provider blocks.
    add.push(env.journal.newIntent({
      address: d.address, provider: old.provider, driver: old.driver, action: 'delete',
      idempotency_key: randomUUID(), cloud_id: old.id, replaced_by: image.id,
    }));
  }
  await env.journal.finish(intent.op_id, { put: toResource(d, image, inputs, env.now()), add, from_config: true, ...(goneId === undefined ? {} : { gone: goneId }) });
  return image.id;
}

/** Update image `id` in place to what change `c` plans; `changed` names the top-level fields that differ. */
export async function updateImage(env: OpEnv, c: ResourceChange, secrets: SecretValues | undefined, id: string, changed: string[]): Promise<void> {
  const d = declaredOf(c);
  const inputs = plannedInputs(c, env.schema, env.journal.state, secrets);
  const intent = await env.journal.begin({
    address: d.address, provider: d.provider, driver: d.driver, action: 'update', idempotency_key: randomUUID(), cloud_id: id, inputs,
  });
  killPoint('before-call', 'update', d.address);
  const image = await guarded(env, intent, () => env.session.update({ id, fields: withSecrets(inputs, secrets), changed }, context(env, intent, 'update')));
  killPoint('after-cloud-acted', 'update', d.address);
  await env.journal.finish(intent.op_id, { put: toResource(d, image, inputs, env.now()), from_config: true });
}

/**
 * Delete `id` of `r.provider`. With `removeAddress` the resource leaves the state; otherwise the
 * image is deposed (the old half of a replacement, or one left by an earlier run) and only that
 * deposed object is forgotten. A refused delete keeps the image in the state, with the reason.
 */
export async function deleteImage(env: OpEnv, r: { address: string; provider: string; driver: string }, id: string, removeAddress: boolean): Promise<void> {
  const existing = Object.values(env.journal.state.pending).find((i) => i.action === 'delete' && i.cloud_id === id && i.provider === r.provider);
  const intent = existing ?? (await env.journal.begin({
    address: r.address, provider: r.provider, driver: r.driver, action: 'delete', idempotency_key: randomUUID(), cloud_id: id,
  }));
  const ctx = context(env, intent, removeAddress ? 'delete' : 'delete_old');
  // A pending intent from an earlier attempt: its key may have been answered already (with a task
  // that failed, which the cloud would replay), so follow its task and key past it (resume-delete.ts).
  killPoint('before-call', 'delete', r.address);
  try {
    await guarded(env, intent, () => (existing ? resumeDelete(env.session, intent, env.journal.state.lineage, ctx) : env.session.delete(id, ctx)));
  } catch (e) {
    if (!(e instanceof DriverError && e.definitive)) throw e;
    throw new ImagectlError('DELETE_REFUSED', `could not delete image ${id}: ${e.message}; it stays in the state and the next apply tries again`, { origin: 'cloud', cause: e });
  }
  killPoint('after-cloud-acted', 'delete', r.address);
  const current = env.journal.state.resources[r.address];
  const stillOurs = current?.id === id && current.provider === r.provider;
  await env.journal.finish(intent.op_id, removeAddress && stillOurs ? { remove: r.address } : {});
}
