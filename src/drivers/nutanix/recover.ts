// Finding out what an interrupted operation did, without changing anything.
//
// Exact answers come from the journaled task id. Without one, a create cannot be settled by
// reading: image names are not unique on Nutanix, and a POST may still sit in the server's queue,
// so "no image named X" does not prove "not created". The answer is then `unknown`, and the
// applier resumes by calling create again with the SAME idempotency key: the API answers a
// replayed NTNX-Request-Id with the original task, so the image exists exactly once either way.
//
// Ownership: Nutanix images carry no imagectl marks (no tags; categories are the user's). What
// marks an image as this intent's is the intent itself: its journaled task id, or its request id,
// a random UUID per intent. Recovery never searches by name, so it can only find an image this
// very intent made, never one of another state on the same Prism Central (same config, same
// names): lineage-safe by construction (test/recovery/recover-lineage.test.ts).
import { DriverError, type IntentView, type RecoverResult } from '../contract.js';
import type { NutanixClient } from './client.js';
import { fromWireImage } from './mapping.js';
import type { OpsDeps } from './deps.js';
import { imageIdFromTask, taskErrorText, waitFor } from './wait.js';
import type { WireTask } from './wire.js';

type TaskState = { state: 'succeeded'; task: WireTask } | { state: 'failed'; text: string } | { state: 'running' } | { state: 'missing'; text: string };

async function taskState(client: NutanixClient, taskId: string): Promise<TaskState> {
  let task: WireTask;
  try {
    task = await client.getTask(taskId);
  } catch (err) {
    // Prism purges old tasks; a task it no longer knows says nothing about the image.
    if (err instanceof DriverError && err.status === 404) return { state: 'missing', text: err.message };
    throw err;
  }
  if (task.status === 'SUCCEEDED') return { state: 'succeeded', task };
  if (task.status === 'FAILED' || task.status === 'CANCELED') return { state: 'failed', text: `${task.status}: ${taskErrorText(task)}` };
  return { state: 'running' };
}

const REISSUE = 're-issue the create with the same idempotency key: Nutanix answers a replayed NTNX-Request-Id with the original task, so at most one image results';

/** The task's state once it has ended: a running task is followed to its end, never sent again. */
async function endedTaskState(deps: OpsDeps, taskId: string, address: string): Promise<TaskState> {
  const t = await taskState(deps.client, taskId);
  if (t.state !== 'running') return t;
  await finishRunning(deps, taskId, address);
  return taskState(deps.client, taskId);
}

async function recoverCreate(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  const { client } = deps;
  if (intent.task_id === undefined) return { status: 'unknown', message: `no task id was journaled for ${intent.address}; ${REISSUE}` };
  // The task is known: follow it rather than re-issue the create (a replay would only be
  // answered with the same task; following it is the same answer without a second POST).
  const t = await endedTaskState(deps, intent.task_id, intent.address);
  if (t.state === 'running') return { status: 'in_progress', task_id: intent.task_id };
  if (t.state === 'failed') return { status: 'not_created' };
  if (t.state === 'missing') return { status: 'unknown', message: `task ${intent.task_id} is no longer known to Prism Central; ${REISSUE}` };
  const id = imageIdFromTask(t.task);
  if (id === undefined) return { status: 'unknown', message: `task ${intent.task_id} succeeded but names no image` };
  const got = await client.getImage(id);
  // Created, then deleted by someone else: nothing of this intent remains, so it is settled as
  // "not created" and the next plan creates the image afresh.
  if (!got.found) return { status: 'not_created' };
  return { status: 'created', image: fromWireImage(got.image, got.etag) };
}

async function recoverUpdate(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  if (intent.task_id === undefined) return { status: 'unknown', message: `no task id was journaled for the update of ${intent.address}; plan again` };
  // Followed to its end: the image read afterwards shows the update, so the plan does not send it again.
  const t = await endedTaskState(deps, intent.task_id, intent.address);
  if (t.state === 'succeeded') return { status: 'done' };
  if (t.state === 'running') return { status: 'in_progress', task_id: intent.task_id };
  if (t.state === 'failed') return { status: 'unknown', message: `the update task ${t.text}; the image keeps its previous fields` };
  return { status: 'unknown', message: t.text };
}

/**
 * A delete whose task is still running is waited for, never sent again: a second DELETE while the
 * first task runs makes a second task on the real API, which fails once the first has removed the
 * image (the v4.0 spec gives DELETE no idempotency key to answer it with the first task).
 */
async function recoverDelete(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  const { client } = deps;
  if (intent.cloud_id === undefined) return { status: 'unknown', message: `no image id was journaled for the delete of ${intent.address}` };
  const got = await client.getImage(intent.cloud_id);
  if (!got.found) return { status: 'done' };
  if (intent.task_id === undefined) {
    return { status: 'unknown', message: `image ${intent.cloud_id} still exists; the delete may never have reached the server (deleting again is safe)` };
  }
  const t = await endedTaskState(deps, intent.task_id, intent.address);
  if (t.state === 'succeeded' && !(await client.getImage(intent.cloud_id)).found) return { status: 'done' };
  if (t.state === 'failed') return { status: 'unknown', message: `image ${intent.cloud_id} still exists: the delete task ${t.text} (deleting again is safe)` };
  const what = t.state === 'succeeded' ? 'succeeded' : t.state === 'running' ? 'is still running' : 'is no longer known to Prism Central';
  return { status: 'unknown', message: `image ${intent.cloud_id} still exists although its delete task ${what}` };
}

/** Polls a running task to its end. A wait that gives up (task timeout, network) throws, non-definitive. */
async function finishRunning(deps: OpsDeps, taskId: string, address: string): Promise<void> {
  try {
    // Its own kind: it started long after the task did, so it says nothing of how long tasks take.
    await waitFor(deps, taskId, 'resumed', { address });
  } catch (err) {
    // FAILED/CANCELED: the task has ended, which is all this wait is for.
    if (!(err instanceof DriverError && err.kind === 'failed' && err.definitive)) throw err;
  }
}

/** Read-only. Throws DriverError when the API cannot be asked (auth, network). */
export function recoverIntent(deps: OpsDeps, intent: IntentView): Promise<RecoverResult> {
  switch (intent.action) {
    case 'create':
      return recoverCreate(deps, intent);
    case 'update':
      return recoverUpdate(deps, intent);
    case 'delete':
      return recoverDelete(deps, intent);
  }
}
