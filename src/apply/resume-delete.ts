// Deleting again for a delete intent an earlier attempt journaled: shared by recovery and by the
// applier when its plan deletes an image whose delete intent is still pending.
//
// A cloud that replays idempotency keys (Nutanix NTNX-Request-Id) answers a key it has seen with
// that key's first task, failed or not. So a delete is never simply sent again with the intent's
// key: a known task is followed first (session.recover waits for a running one), and a new attempt
// is keyed past the last task, `KEY/after/TASK`. The journaled task id can be older than the last
// attempt (its answer was lost to a dropped connection or a kill before the journal write, or an
// attempt resent the first key and journaled the first task again): the key derived from it was
// spent already and is answered with a task that failed. That answer names the newer task, so the
// next key is derived from it, and so on until a key the cloud has not seen makes a new attempt.
// The chaos run left such an intent journaled after its clean rerun (about 1 run in 20).
import { DriverError, type DriverSession, type IntentView, type OpContext } from '../drivers/contract.js';
import type { Intent } from '../state/types.js';

/** Failed tasks to key past in one go: each is one replayed answer; a new attempt that fails counts too. */
const MAX_ATTEMPTS = 4;

export function intentView(i: Intent, lineage: string): IntentView {
  const v: IntentView = { action: i.action, address: i.address, idempotency_key: i.idempotency_key, lineage };
  if (i.task_id !== undefined) v.task_id = i.task_id;
  if (i.cloud_id !== undefined) v.cloud_id = i.cloud_id;
  if (i.name !== undefined) v.name = i.name;
  v.started_at = i.started_at;
  return v;
}

/**
 * The key a delete is sent again with: the intent's own while no task is known (the first DELETE
 * may never have arrived, and if it did the cloud answers with its task), else one derived from
 * the last task, which has ended without removing the image.
 */
export function deleteKey(key: string, taskId: string | undefined): string {
  return taskId === undefined ? key : `${key}/after/${taskId}`;
}

/**
 * Sends the delete of `intent.cloud_id` again, after its known task (if any) ended without
 * removing the image. `ctx.on_task` journals each task the cloud answers with.
 */
export async function deleteAgain(session: DriverSession, intent: Intent, ctx: OpContext): Promise<void> {
  const id = intent.cloud_id;
  if (id === undefined) throw new DriverError('invalid', `no image id was journaled for the delete of ${intent.address}`);
  let known = intent.task_id;
  for (let attempt = 1; ; attempt++) {
    let answered: string | undefined;
    const onTask = (t: string): void => {
      answered = t;
      ctx.on_task?.(t);
    };
    try {
      await session.delete(id, { ...ctx, idempotency_key: deleteKey(intent.idempotency_key, known), on_task: onTask });
      return;
    } catch (e) {
      // Answered with a task other than the one the key was derived from, and it failed: either a
      // replay of a later attempt than the journal knew of, or a new attempt that failed. Key past it.
      const pastIt = e instanceof DriverError && e.definitive && answered !== undefined && answered !== known;
      if (!pastIt || attempt >= MAX_ATTEMPTS) throw e;
      known = answered;
    }
  }
}

/**
 * The applier's delete of an image whose delete intent is still pending with a task: follow that
 * task (never send the call again while it may run), and send again only if it ended with the
 * image still there. Resolves once the image is gone.
 */
export async function resumeDelete(session: DriverSession, intent: Intent, lineage: string, ctx: OpContext): Promise<void> {
  if (intent.task_id !== undefined) {
    const r = await session.recover(intentView(intent, lineage));
    if (r.status === 'done') return;
    if (r.status === 'in_progress') throw new DriverError('transient', `the delete task${r.task_id ? ` ${r.task_id}` : ''} of ${intent.address} is still running; left journaled for the next run`);
  }
  await deleteAgain(session, intent, ctx);
}
