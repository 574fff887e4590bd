// The shared HTTP helpers, one import for drivers.
export { HttpClient, type HttpClientOptions, type HttpMethod, type HttpRequest, type HttpResponse } from './client.js';
export { backoffDelay, parseRetryAfter, sleep, type BackoffPolicy } from './backoff.js';
export { redact, statusKind, RETRYABLE_STATUSES } from './errors.js';
export { RedirectRefusedError, REDIRECT_REFUSED } from './redirect.js';
export { RateLimiter, Semaphore } from './limiter.js';
