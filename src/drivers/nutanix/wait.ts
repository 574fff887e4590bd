// Waiting for a Prism task. Create, update and delete all answer 202 with a task id; the change is
// done only when the task says SUCCEEDED. Once a task exists the server has acted, so every
// failure while waiting is non-definitive, except a task the server itself reports FAILED/CANCELED.
import { DriverError, type OpContext, type Progress } from '../contract.js';
import type { ObservedImage } from '../../fields/observed.js';
import { outcomeOf, Poller, type PollTiming } from '../poll/index.js';
import type { NutanixClient } from './client.js';
import { fromWireImage } from './mapping.js';
import { IMAGE_REL, type WireTask } from './wire.js';

/**
 * Image tasks take seconds to minutes: read every 0.1 s around the typical end of this session's
 * tasks; elsewhere at most 10 % late, between 0.25 s and 5 s apart (see ../poll/schedule.ts).
 */
export const DEFAULT_POLL: PollTiming = { minMs: 250, fineMs: 100, ratio: 0.1, maxMs: 5000, lead: 0.9 };

export interface WaitOptions {
  address: string;
  /** What the task does, for learning durations: create, update, delete. */
  kind: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export type TaskPoller = Poller<WireTask>;

/**
 * Prism reads a task by id only (the v4.0 spec has no list of tasks), so each read is one GET;
 * the poller bounds how many run at once and spaces them by the schedule.
 */
export function taskPoller(client: NutanixClient, timing: PollTiming, concurrency: number): TaskPoller {
  return new Poller<WireTask>(
    {
      batch: 1,
      concurrency: Math.max(1, concurrency),
      read: async (ids, signal) => new Map(await Promise.all(ids.map(async (id) => [id, await outcomeOf(() => client.getTask(id, signal))] as const))),
    },
    { timing },
  );
}

/** "CODE: message" for every error message, else the legacy message; never indexes an empty list. */
export function taskErrorText(task: WireTask): string {
  const parts = (Array.isArray(task.errorMessages) ? task.errorMessages : []).flatMap((m) => {
    const code = typeof m?.code === 'string' && m.code !== '' ? m.code : undefined;
    const message = typeof m?.message === 'string' && m.message !== '' ? m.message : undefined;
    if (code && message) return [`${code}: ${message}`];
    return code ?? message ? [(code ?? message) as string] : [];
  });
  if (parts.length > 0) return parts.join('; ');
  if (typeof task.legacyErrorMessage === 'string' && task.legacyErrorMessage !== '') return task.legacyErrorMessage;
  return 'no error message given';
}

export function imageIdFromTask(task: WireTask): string | undefined {
  const hit = (Array.isArray(task.entitiesAffected) ? task.entitiesAffected : []).find((e) => e?.rel === IMAGE_REL);
  return typeof hit?.extId === 'string' && hit.extId !== '' ? hit.extId : undefined;
}

function describe(task: WireTask): string {
  return task.operationDescription ?? task.operation ?? 'task';
}

/** Resolves with the SUCCEEDED task; throws DriverError('failed', definitive) if it failed. */
export function waitForTask(poller: TaskPoller, taskId: string, opts: WaitOptions): Promise<WireTask> {
  let lastReport = '';
  return poller.wait({
    key: taskId,
    kind: opts.kind,
    subject: `task ${taskId}`,
    timeoutMs: opts.timeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    check: (task) => {
      const percent = typeof task.progressPercentage === 'number' ? task.progressPercentage : undefined;
      const report = `${describe(task)}: ${String(task.status ?? 'unknown')}`;
      if (opts.onProgress && `${report}/${percent}` !== lastReport) {
        lastReport = `${report}/${percent}`;
        opts.onProgress(percent === undefined ? { address: opts.address, message: report } : { address: opts.address, message: report, percent });
      }
      if (task.status === 'SUCCEEDED') return task;
      if (task.status === 'FAILED' || task.status === 'CANCELED') {
        throw new DriverError('failed', `task ${taskId} (${describe(task)}) ${task.status}: ${taskErrorText(task)}`, { definitive: true });
      }
      return undefined;
    },
    timedOut: () =>
      new DriverError('timeout', `task ${taskId} not finished after ${Math.round(opts.timeoutMs / 1000)} s (it may still complete)`, { definitive: false }),
  });
}

/** What a wait needs from the operations' deps (declared here so deps.ts imports this file, not the reverse). */
export interface TaskWaitDeps {
  client: NutanixClient;
  taskTimeoutMs: number;
  /** The session's one poller: every wait for a task goes through it. */
  tasks: TaskPoller;
}

function notDefinitive(err: unknown): unknown {
  if (!(err instanceof DriverError) || !err.definitive) return err;
  const o: { definitive: boolean; status?: number; cause: unknown } = { definitive: false, cause: err };
  if (err.status !== undefined) o.status = err.status;
  return new DriverError(err.kind, err.message, o);
}

/** Waits for the task an operation of this kind started, reporting progress to `ctx`. */
export function waitFor(deps: TaskWaitDeps, taskId: string, kind: string, ctx: Pick<OpContext, 'address' | 'signal' | 'on_progress'>): Promise<WireTask> {
  return waitForTask(deps.tasks, taskId, {
    address: ctx.address,
    kind,
    timeoutMs: deps.taskTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.on_progress ? { onProgress: ctx.on_progress } : {}),
  });
}

/**
 * Waits for the task, then reads the image back with its ETag. Once the 202 has arrived the
 * server has acted, so only a FAILED task is definitive: a failed read-back is not.
 */
export async function waitAndRead(deps: TaskWaitDeps, taskId: string, kind: string, ctx: OpContext, imageId: string | undefined): Promise<ObservedImage> {
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
