// Resolving intents left by an interrupted run, before anything is planned: adopt what was
// created, finish what was being deleted, and re-issue a create whose outcome is unknown with
// the SAME idempotency key (the cloud answers with the original operation instead of making a
// second image). Nothing is guessed: what cannot be resolved stays journaled and is reported.
import { randomUUID } from 'node:crypto';
import type { EventSink } from '../apply/events.js';
import { withSecrets } from '../apply/fields.js';
import type { Journal } from '../apply/journal.js';
import { toResource, type Declared } from '../apply/operations.js';
import { deleteAgain, intentView } from '../apply/resume-delete.js';
import { DriverError, type DriverSession, type RecoverResult } from '../drivers/contract.js';
import type { DriverSchema } from '../fields/schema.js';
import type { ObservedImage } from '../fields/observed.js';
import type { PlanImage } from '../planner/input.js';
import type { Intent } from '../state/types.js';
import { errorMessage } from '../util/errors.js';
import type { ResolvedSecrets } from '../config/index.js';

/** What the state records of the image an intent made: as declared now, else as the intent says. */
function declaredFor(i: Intent, desired: Readonly<Record<string, PlanImage>>): Declared {
  const d = desired[i.address];
  if (!d) return { address: i.address, provider: i.provider, driver: i.driver, prevent_destroy: false, depends_on: [] };
  return { address: d.address, provider: d.provider, driver: d.driver, prevent_destroy: d.lifecycle.prevent_destroy, depends_on: d.depends_on };
}

async function adopt(journal: Journal, i: Intent, image: ObservedImage, desired: Readonly<Record<string, PlanImage>>): Promise<void> {
  const previous = journal.state.resources[i.address];
  const add: Intent[] = [];
  // A create-before-destroy replacement was interrupted: the old image still has to go.
  if (i.action === 'create' && previous && previous.id !== image.id) {
    add.push(journal.newIntent({ address: i.address, provider: i.provider, driver: i.driver, action: 'delete', idempotency_key: randomUUID(), cloud_id: previous.id, replaced_by: image.id }));
  }
  await journal.finish(i.op_id, { put: toResource(declaredFor(i, desired), image, i.inputs ?? {}, new Date().toISOString()), add });
}

/** What resolving one intent works with. */
interface Env {
  session: DriverSession;
  /** The driver's creates are idempotent on the key (see DriverSchema.idempotent_create). */
  idempotent: boolean;
  journal: Journal;
  desired: Readonly<Record<string, PlanImage>>;
  secrets: ResolvedSecrets['imageSecrets'];
}

type Ctx = { address: string; idempotency_key: string; lineage: string };

async function resolveCreate(i: Intent, r: RecoverResult, env: Env, ctx: Ctx): Promise<string> {
  const { session, journal, desired } = env;
  if (r.status === 'created') return adopt(journal, i, r.image, desired).then(() => `adopted ${r.image.id}`);
  if (r.status === 'not_created') return journal.finish(i.op_id).then(() => 'nothing had been created');
  if (r.status === 'created_failed') {
    // The image exists but failed: delete it as the interrupted run would have, so its name is
    // free and nothing is orphaned; the plan then creates the image again.
    await session.delete(r.id, ctx);
    await journal.finish(i.op_id);
    return `the image it made (${r.id}) had failed (${r.message}); deleted it`;
  }
  if (!env.idempotent) throw new Error(`the outcome of the create is unknown (${r.status === 'unknown' ? r.message : 'still in progress'}) and this cloud has no idempotency key; left journaled so no second image is made`);
  if (!desired[i.address] || !i.inputs) return 'unknown outcome and no longer declared; left for review';
  let image: ObservedImage;
  try {
    image = await session.create({ fields: withSecrets(i.inputs, env.secrets[i.address]) }, ctx);
  } catch (e) {
    // Only the cloud's answer to the key settles it: the replayed (original) task ended FAILED, so
    // nothing was created, and kept journaled it would fail the same way in every later run. A
    // refusal of this request itself, with an HTTP status (a redirect, a 4xx), is definitive only
    // for this request: an earlier one with the same key may have made the image, so the intent
    // stays for the next run, which asks again (the chaos run found an orphan this way).
    if (!(e instanceof DriverError && e.definitive && e.status === undefined)) throw e;
    await journal.finish(i.op_id);
    return `resumed with the same idempotency key, which failed: nothing was created (${e.message})`;
  }
  await adopt(journal, i, image, desired);
  return `resumed with the same idempotency key: ${image.id}`;
}

async function resolveDelete(i: Intent, r: RecoverResult, { session, journal }: Env, ctx: Ctx): Promise<string> {
  // Sending it again while it runs would only make a second task that fails once the first is done.
  if (r.status === 'in_progress') throw new Error(`its task${r.task_id ? ` ${r.task_id}` : ''} is still running; left journaled for the next run`);
  if (r.status !== 'done' && i.cloud_id !== undefined) {
    // A failed write shows in finish() below; journaling each task is best effort until then.
    const onTask = (t: string): void => void journal.setTask(i.op_id, t).catch(() => undefined);
    await deleteAgain(session, i, { ...ctx, on_task: onTask });
  }
  const stillOurs = journal.state.resources[i.address]?.id === i.cloud_id && i.replaced_by === undefined;
  await journal.finish(i.op_id, stillOurs ? { remove: i.address } : {});
  return `deleted ${i.cloud_id ?? ''}`.trim();
}

async function resolveOne(i: Intent, env: Env): Promise<string> {
  const { session, journal } = env;
  const r = await session.recover(intentView(i, journal.state.lineage));
  const ctx = { address: i.address, idempotency_key: i.idempotency_key, lineage: journal.state.lineage };
  if (i.action === 'create') return resolveCreate(i, r, env, ctx);
  if (i.action === 'delete') return resolveDelete(i, r, env, ctx);
  // update: re-read and keep what the cloud has; the plan recomputes any remaining difference.
  const current = journal.state.resources[i.address];
  if (current && i.cloud_id !== undefined) {
    const read = await session.read(i.cloud_id);
    if (read.status === 'found') {
      const inputs = r.status === 'done' || r.status === 'created' ? (i.inputs ?? current.inputs) : current.inputs;
      await journal.finish(i.op_id, { put: { ...current, inputs, attributes: read.image.attributes, ...(read.image.etag ? { etag: read.image.etag } : {}) } });
      return 'refreshed';
    }
  }
  await journal.finish(i.op_id);
  return 'cleared';
}

/** Returns the intents still unresolved. */
export async function recoverPending(
  journal: Journal,
  sessions: Readonly<Record<string, DriverSession>>,
  desired: Readonly<Record<string, PlanImage>>,
  secrets: ResolvedSecrets['imageSecrets'],
  events: EventSink,
  schemas: Readonly<Record<string, DriverSchema>>,
): Promise<Intent[]> {
  const left: Intent[] = [];
  // Resolving one intent can journal another (adopting an interrupted create-before-destroy
  // replacement journals the old image's delete): keep going until nothing new appears, trying
  // each intent once per run, so no work is left for a later run while the plan looks clean.
  const tried = new Set<string>();
  for (;;) {
    const todo = Object.values(journal.state.pending)
      .filter((i) => !tried.has(i.op_id))
      .sort((a, b) => a.started_at.localeCompare(b.started_at));
    if (todo.length === 0) break;
    for (const i of todo) {
      tried.add(i.op_id);
      const session = sessions[i.provider];
      if (!session) {
        left.push(i);
        events.emit({ type: 'warning', message: `${i.address}: interrupted ${i.action} on provider '${i.provider}', which is no longer configured; left in state` });
        continue;
      }
      try {
        const outcome = await resolveOne(i, { session, idempotent: schemas[i.driver]?.idempotent_create === true, journal, desired, secrets });
        events.emit({ type: 'recovered', address: i.address, action: i.action, outcome });
      } catch (e) {
        left.push(i);
        events.emit({ type: 'warning', message: `${i.address}: could not resolve the interrupted ${i.action}: ${errorMessage(e)}` });
      }
    }
  }
  return left;
}
