// Waiting for an image to leave `pending`. Numspot has no task objects: the image itself is the
// task. Every image this session waits for is read by the session's one poller, in one
// `GET /images?ids=…&imageIds=…` (ReadImages takes a list of ids) for all that are due, with
// `no-cache`. Once the image exists every failure while waiting is non-definitive (it may still
// become available), except the server saying `failed`, and the image vanishing, which the caller
// settles.
import { DriverError, type Progress } from '../contract.js';
import { outcomeOf, Poller, type PollTiming, type ReadOutcome } from '../poll/index.js';
import type { GetImageResult, NumspotClient } from './client.js';
import { imageIdsQuery } from './list.js';
import { AVAILABLE, FAILED, type WireImage } from './wire.js';

/** Copies and registrations are usually available at once; from-VM images take minutes. */
export const DEFAULT_POLL: PollTiming = { minMs: 250, fineMs: 100, ratio: 0.1, maxMs: 10_000, lead: 0.9 };

/**
 * Ids per ReadImages request. The spec sets no limit, but it does list 414 (URI too long): 50 ids
 * sent under both names stay under 4 KB of query string.
 */
export const IDS_PER_READ = 50;

export interface WaitOptions {
  address: string;
  /** Durations are learned per kind: a wait resumed by recovery started late and is its own kind. */
  kind?: 'pending' | 'resumed';
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export type WaitOutcome = { state: 'available'; image: WireImage } | { state: 'failed'; image: WireImage };
export type ImagePoller = Poller<GetImageResult>;

/** "code: message" of a failed image, or a stand-in when the server gave none. */
export function failureText(image: WireImage): string {
  const code = image.stateComment?.stateCode;
  const message = image.stateComment?.stateMessage;
  if (code && message) return `${code}: ${message}`;
  return message || code || 'no reason given (stateComment is empty)';
}

/**
 * One list read for many ids. An id the list leaves out is read again by id before it counts as
 * gone: only a 404 on the image itself proves that (a list may lag behind, or the gateway may
 * drop a filter it does not know).
 */
async function readImages(client: NumspotClient, ids: readonly string[], signal: AbortSignal): Promise<Map<string, ReadOutcome<GetImageResult>>> {
  const listed = await client.listImages(imageIdsQuery(ids), signal);
  const byId = new Map(listed.flatMap((i) => (typeof i.id === 'string' ? [[i.id, i] as const] : [])));
  const read = async (id: string): Promise<ReadOutcome<GetImageResult>> => {
    const image = byId.get(id);
    return image ? { ok: true, value: { found: true, image } } : outcomeOf(() => client.getImage(id, signal));
  };
  return new Map(await Promise.all(ids.map(async (id) => [id, await read(id)] as const)));
}

export function imagePoller(client: NumspotClient, timing: PollTiming, now: () => number): ImagePoller {
  return new Poller<GetImageResult>({ batch: IDS_PER_READ, concurrency: 2, read: (ids, signal) => readImages(client, ids, signal) }, { timing, now });
}

/** Resolves when the image is available or failed; throws a non-definitive timeout otherwise. */
export function waitForImage(poller: ImagePoller, id: string, opts: WaitOptions): Promise<WaitOutcome> {
  let last = '';
  return poller.wait({
    key: id,
    kind: opts.kind ?? 'pending',
    subject: `image ${id}`,
    abortNote: '; it may still become available',
    timeoutMs: opts.timeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    check: (got): WaitOutcome | undefined => {
      if (!got.found) {
        // Nothing is left behind, so the failure is definitive: the applier may plan a new create.
        throw new DriverError('failed', `image ${id} disappeared while waiting for it to become available (deleted, or purged after failing)`, {
          definitive: true,
          status: 404,
        });
      }
      const state = String(got.image.state ?? 'unknown');
      if (state === AVAILABLE) return { state: 'available', image: got.image };
      if (state === FAILED) return { state: 'failed', image: got.image };
      if (opts.onProgress && state !== last) {
        last = state;
        opts.onProgress({ address: opts.address, message: `image ${id}: ${state}` });
      }
      return undefined;
    },
    timedOut: (waitedMs) =>
      new DriverError('timeout', `image ${id} still ${last || 'pending'} after ${Math.round(waitedMs / 1000)} s (pending_timeout_seconds); it may still become available: the next run resumes waiting`, {
        definitive: false,
      }),
  });
}
