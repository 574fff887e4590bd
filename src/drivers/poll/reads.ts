// What a poller reads with, and what a wait's failures become. Kept apart from the scheduling so
// a driver's reader and its error texts can be read on their own.
import { DriverError } from '../contract.js';

export type ReadOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface PollReader<R> {
  /** Reads these keys: one outcome per key (a key left out counts as a failed read). A throw fails them all. */
  read(keys: readonly string[], signal: AbortSignal): Promise<Map<string, ReadOutcome<R>>>;
  /** Keys per request: 1 where the API reads one object per request. */
  batch: number;
  /** Reads in flight at once. */
  concurrency: number;
}

/** The same error, marked non-definitive: the work was accepted, so the server may still finish it. */
export function stillPossible(err: unknown, subject: string, abortNote = ''): DriverError {
  if (err instanceof DriverError) {
    const o: { definitive: boolean; status?: number; cause: unknown } = { definitive: false, cause: err };
    if (err.status !== undefined) o.status = err.status;
    return new DriverError(err.kind, `while waiting for ${subject}: ${err.message}`, o);
  }
  return new DriverError('transient', `stopped waiting for ${subject} (aborted)${abortNote}`, { definitive: false, cause: err });
}

/** A read's answer or its error, for readers that read keys one by one. */
export async function outcomeOf<R>(read: () => Promise<R>): Promise<ReadOutcome<R>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error };
  }
}
