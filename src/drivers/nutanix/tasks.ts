// Waiting for a Prism task. Create, update and delete all answer 202 with a task id; the change is
// done only when the task says SUCCEEDED. Once a task exists the server has acted, so every
// failure while waiting is non-definitive, except a task the server itself reports FAILED/CANCELED.
import { DriverError, type Progress } from '../contract.js';
import { sleep } from '../http/index.js';
import type { NutanixClient } from './client.js';
import { IMAGE_REL, type WireTask } from './wire.js';

export interface PollTiming {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** Image tasks take seconds to minutes: start quick for small ones, settle at one poll per 5 s. */
export const DEFAULT_POLL: PollTiming = { initialMs: 250, factor: 1.5, maxMs: 5000 };

/** Polls in a row that may fail (network, 5xx after the client's own retries) before giving up. */
const MAX_POLL_FAILURES = 5;

export interface WaitOptions {
  address: string;
  timeoutMs: number;
  poll: PollTiming;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  now?: () => number;
}

const PENDING_KINDS: ReadonlySet<DriverError['kind']> = new Set(['transient', 'throttled', 'timeout']);

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

/** The same error, marked non-definitive: the task was accepted, so the server may still act. */
function stillPossible(err: unknown, taskId: string): DriverError {
  if (err instanceof DriverError) {
    const o: { definitive: boolean; status?: number; cause: unknown } = { definitive: false, cause: err };
    if (err.status !== undefined) o.status = err.status;
    return new DriverError(err.kind, `while waiting for task ${taskId}: ${err.message}`, o);
  }
  return new DriverError('transient', `stopped waiting for task ${taskId} (aborted)`, { definitive: false, cause: err });
}

function describe(task: WireTask): string {
  return task.operationDescription ?? task.operation ?? 'task';
}

/** Resolves with the SUCCEEDED task; throws DriverError('failed', definitive) if it failed. */
export async function waitForTask(client: NutanixClient, taskId: string, opts: WaitOptions): Promise<WireTask> {
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.timeoutMs;
  let delay = opts.poll.initialMs;
  let failures = 0;
  let lastReport = '';
  for (;;) {
    let task: WireTask | undefined;
    try {
      task = await client.getTask(taskId, opts.signal);
      failures = 0;
    } catch (err) {
      const pending = err instanceof DriverError && PENDING_KINDS.has(err.kind) && !opts.signal?.aborted;
      if (!pending || ++failures >= MAX_POLL_FAILURES) throw stillPossible(err, taskId);
    }
    if (task) {
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
    }
    const left = deadline - now();
    if (left <= 0) {
      throw new DriverError('timeout', `task ${taskId} not finished after ${Math.round(opts.timeoutMs / 1000)} s (it may still complete)`, {
        definitive: false,
      });
    }
    try {
      await sleep(Math.min(delay, left), opts.signal);
    } catch (err) {
      throw stillPossible(err, taskId);
    }
    delay = Math.min(opts.poll.maxMs, delay * opts.poll.factor);
  }
}
