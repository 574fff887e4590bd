// Waiting for an image to leave `pending`. Numspot has no task objects: the image itself is the
// task, read with GET /images/{id} (no-cache) until `available` or `failed`. Once the image
// exists every failure while waiting is non-definitive (it may still become available), except
// the server saying `failed`, and the image vanishing, which the caller settles.
import { DriverError, type Progress } from '../contract.js';
import { sleep } from '../http/index.js';
import type { NumspotClient } from './client.js';
import { AVAILABLE, FAILED, type WireImage } from './wire.js';

export interface PollTiming {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** Copies and registrations are usually available at once; from-VM images take minutes. */
export const DEFAULT_POLL: PollTiming = { initialMs: 500, factor: 1.5, maxMs: 10_000 };

/** The n-th wait (from 0) of a growing poll interval. */
export function pollDelay(p: PollTiming, attempt: number): number {
  return Math.min(p.maxMs, p.initialMs * p.factor ** attempt);
}

/** Polls in a row that may fail (network, 5xx after the client's own retries) before giving up. */
const MAX_POLL_FAILURES = 5;
const RETRYABLE_KINDS: ReadonlySet<DriverError['kind']> = new Set(['transient', 'throttled', 'timeout']);

export interface WaitOptions {
  address: string;
  timeoutMs: number;
  poll: PollTiming;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  now?: () => number;
}

export type WaitOutcome = { state: 'available'; image: WireImage } | { state: 'failed'; image: WireImage };

/** "code: message" of a failed image, or a stand-in when the server gave none. */
export function failureText(image: WireImage): string {
  const code = image.stateComment?.stateCode;
  const message = image.stateComment?.stateMessage;
  if (code && message) return `${code}: ${message}`;
  return message || code || 'no reason given (stateComment is empty)';
}

function stillPossible(err: unknown, id: string): DriverError {
  if (err instanceof DriverError) {
    const o: { definitive: boolean; status?: number; cause: unknown } = { definitive: false, cause: err };
    if (err.status !== undefined) o.status = err.status;
    return new DriverError(err.kind, `while waiting for image ${id}: ${err.message}`, o);
  }
  return new DriverError('transient', `stopped waiting for image ${id} (aborted); it may still become available`, { definitive: false, cause: err });
}

async function poll(client: NumspotClient, id: string, opts: WaitOptions, failures: { n: number }): Promise<WireImage | undefined> {
  try {
    const got = await client.getImage(id, opts.signal);
    failures.n = 0;
    if (!got.found) {
      // Nothing is left behind, so the failure is definitive: the applier may plan a new create.
      throw new DriverError('failed', `image ${id} disappeared while waiting for it to become available (deleted, or purged after failing)`, {
        definitive: true,
        status: 404,
      });
    }
    return got.image;
  } catch (err) {
    if (err instanceof DriverError && err.kind === 'failed') throw err;
    const retryable = err instanceof DriverError && RETRYABLE_KINDS.has(err.kind) && !opts.signal?.aborted;
    if (!retryable || ++failures.n >= MAX_POLL_FAILURES) throw stillPossible(err, id);
    return undefined;
  }
}

/** Resolves when the image is available or failed; throws a non-definitive timeout otherwise. */
export async function waitForImage(client: NumspotClient, id: string, opts: WaitOptions): Promise<WaitOutcome> {
  const now = opts.now ?? Date.now;
  const started = now();
  const deadline = started + opts.timeoutMs;
  const failures = { n: 0 };
  let delay = opts.poll.initialMs;
  let last = '';
  for (;;) {
    const image = await poll(client, id, opts, failures);
    if (image) {
      const state = String(image.state ?? 'unknown');
      if (state === AVAILABLE) return { state: 'available', image };
      if (state === FAILED) return { state: 'failed', image };
      if (opts.onProgress && state !== last) {
        last = state;
        opts.onProgress({ address: opts.address, message: `image ${id}: ${state}` });
      }
    }
    const left = deadline - now();
    if (left <= 0) {
      throw new DriverError('timeout', `image ${id} still ${last || 'pending'} after ${Math.round((now() - started) / 1000)} s (pending_timeout_seconds); it may still become available: the next run resumes waiting`, {
        definitive: false,
      });
    }
    try {
      await sleep(Math.min(delay, left), opts.signal);
    } catch (err) {
      throw stillPossible(err, id);
    }
    delay = Math.min(opts.poll.maxMs, delay * opts.poll.factor);
  }
}
