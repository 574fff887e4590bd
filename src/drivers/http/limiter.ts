// Two small limiters the HTTP client shares across all of one provider's calls: a semaphore for
// requests in flight and a rate limiter for requests per second. A retrying request gives its slot
// back while it sleeps, so a burst of 503s cannot starve the calls that would succeed.
import { sleep } from './backoff.js';

/** At most `max` holders at once; waiters are served first come, first served. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
  }

  get inFlight(): number {
    return this.active;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw signal.reason;
    if (this.active < this.max) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // The releasing holder handed its slot over: `active` was not decremented.
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/**
 * Requests per second as a GCRA (the "virtual scheduling" form of a token bucket): each caller
 * reserves the next slot synchronously, so concurrent callers never race for the same token.
 * `burst` requests may go back to back before the rate applies.
 */
export class RateLimiter {
  private tat = 0; // theoretical arrival time of the next request
  private readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(perSecond: number, burst: number = Math.max(1, Math.floor(perSecond))) {
    if (!(perSecond > 0)) throw new RangeError(`perSecond must be > 0, got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
    this.toleranceMs = (Math.max(1, burst) - 1) * this.intervalMs;
  }

  async acquire(signal?: AbortSignal, now: number = Date.now()): Promise<void> {
    const tat = Math.max(this.tat, now);
    const wait = tat - this.toleranceMs - now;
    this.tat = tat + this.intervalMs;
    if (wait > 0) await sleep(wait, signal);
  }
}
