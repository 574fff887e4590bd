// Timing for retries: exponential backoff with full jitter, Retry-After parsing and an
// abortable sleep. Kept apart from the client so the policy can be tested without a server.

export interface BackoffPolicy {
  /** First retry waits up to this long. */
  baseMs: number;
  /** No single wait is longer than this. */
  capMs: number;
}

/**
 * Full jitter ("Exponential Backoff And Jitter", AWS architecture blog): a uniform draw in
 * [0, min(cap, base * 2^attempt)). It spreads the retries of many parallel callers better than
 * equal or decorrelated jitter when they all failed at once (a 503 burst hits every request).
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds
 * from `now`, clamped to [0, capMs]; undefined when absent or unparseable, so the caller falls back
 * to its own backoff instead of retrying at once.
 */
export function parseRetryAfter(value: string | null | undefined, capMs: number, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(capMs, Math.max(0, Math.round(ms)));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
