// A small HTTP client over Node's global fetch, shared by the cloud drivers. It owns the policy
// every call needs (timeouts, retries, limits, error mapping) so the drivers only speak their API.
// Messages never include headers or request bodies: both may carry credentials.
import { DriverError } from '../contract.js';
import { backoffDelay, parseRetryAfter, sleep, type BackoffPolicy } from './backoff.js';
import { certificateProblem, describeNetworkError, httpError, isNetworkError, RETRYABLE_STATUSES, redact, statusKind, wasNeverSent } from './errors.js';
import { RateLimiter, Semaphore } from './limiter.js';
import { isRedirect, RedirectRefusedError, redirectMessage, redirectTarget } from './redirect.js';

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Path from the base URL, already encoded (e.g. `/api/vmm/v4.0/content/images`). */
  path: string;
  /**
   * Encoded as `key=encodeURIComponent(value)`; `$` in keys is kept (OData `$filter`). An array
   * repeats the key once per value (OpenAPI form style, explode: `?ids=a&ids=b`).
   */
  query?: Readonly<Record<string, string | number | readonly (string | number)[] | undefined>>;
  headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON. Never appears in an error message. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of `body` (OAuth2 token requests). Never in messages. */
  form?: Readonly<Record<string, string>>;
  /** Non-2xx statuses handed back to the caller instead of thrown (e.g. 404, 412). */
  accept?: readonly number[];
  /** Send `Cache-Control: no-cache` (polling must see the server's latest state). */
  noCache?: boolean;
  /** Overrides the client's `isRetrySafe` decision for this request. */
  retrySafe?: boolean;
  /**
   * One page of a bulk read (a list): takes its in-flight slot from `maxBulkInFlight` instead of
   * `maxInFlight`, so a listing is not held to the bound meant for writes and polls. The rate
   * limit applies to it like to every other request.
   */
  bulk?: boolean;
  signal?: AbortSignal;
  /** More values to scrub from error messages (e.g. a password inside this request's body). */
  secrets?: readonly string[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent on every request (Authorization, Accept). Never printed. */
  headers?: Readonly<Record<string, string>>;
  /** Per attempt, including reading the body. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first. Default 4. */
  maxRetries?: number;
  backoff?: BackoffPolicy;
  /** Longest Retry-After honoured. Default 60 s. */
  retryAfterCapMs?: number;
  maxInFlight?: number;
  /** In-flight bound of `bulk` requests (their own pool); default: they share `maxInFlight`. */
  maxBulkInFlight?: number;
  maxRequestsPerSecond?: number;
  /**
   * May a request be sent again after the server may have acted on it? Default: the idempotent
   * methods (GET, HEAD, OPTIONS, PUT, DELETE). A driver with an idempotency key (Nutanix
   * NTNX-Request-Id) also allows POST when the key is present.
   */
  isRetrySafe?: (req: HttpRequest) => boolean;
  /** Extracts "CODE: message" from an API error body. */
  describeError?: (body: unknown) => string | undefined;
  /** Values scrubbed from every error message (passwords, tokens). */
  secrets?: readonly string[];
  /** Passed through to fetch as `dispatcher` (an undici Agent): the hook for TLS options. */
  dispatcher?: NonNullable<RequestInit['dispatcher']>;
  fetch?: typeof fetch;
  random?: () => number;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

type Attempt =
  | { ok: true; res: HttpResponse }
  | { ok: false; error: unknown; timedOut: boolean; neverSent: boolean };

export class HttpClient {
  private readonly base: string;
  private readonly opts: HttpClientOptions;
  private readonly slots: Semaphore | undefined;
  private readonly bulkSlots: Semaphore | undefined;
  private readonly rate: RateLimiter | undefined;
  private sent = 0;

  constructor(opts: HttpClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.opts = opts;
    this.slots = semaphore(opts.maxInFlight);
    this.bulkSlots = opts.maxBulkInFlight === undefined ? this.slots : semaphore(opts.maxBulkInFlight);
    this.rate = opts.maxRequestsPerSecond === undefined ? undefined : new RateLimiter(opts.maxRequestsPerSecond);
  }

  /** HTTP requests actually sent (every attempt counts), for benchmarks and summaries. */
  get requestCount(): number {
    return this.sent;
  }

  /** Returns 2xx and `accept`ed responses; throws a DriverError for everything else. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const state = { maybeActed: false };
    try {
      return await this.run(req, state);
    } catch (err) {
      if (err instanceof DriverError) throw err;
      // The caller's signal fired while waiting for a slot, a token or a backoff.
      if (req.signal?.aborted) throw this.fail(req, 'transient', 'aborted', !state.maybeActed, err);
      throw err;
    }
  }

  private async run(req: HttpRequest, state: { maybeActed: boolean }): Promise<HttpResponse> {
    const safe = req.retrySafe ?? (this.opts.isRetrySafe ?? defaultRetrySafe)(req);
    const maxRetries = this.opts.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      const out = await this.attempt(req);
      const last = attempt >= maxRetries;
      if (out.ok) {
        const { status } = out.res;
        if (isRedirect(status)) throw this.redirectError(req, out.res, state.maybeActed);
        if ((status >= 200 && status < 300) || req.accept?.includes(status)) return out.res;
        if (status >= 500) state.maybeActed = true;
        // A 429 means the server refused the request, so even an unsafe request may go again.
        if (!last && RETRYABLE_STATUSES.has(status) && (safe || status === 429)) {
          await sleep(this.retryDelay(attempt, out.res.headers), req.signal);
          continue;
        }
        throw this.statusError(req, out.res, state.maybeActed);
      }
      const cert = certificateProblem(out.error);
      if (cert !== undefined) {
        throw this.fail(req, 'invalid', `TLS certificate not trusted (${cert}): give the provider the CA with ca_file, or fix the server's certificate`, true, out.error);
      }
      if (!out.neverSent) state.maybeActed = true;
      if (req.signal?.aborted) throw this.fail(req, 'transient', 'aborted', false, out.error);
      if (!last && (safe || out.neverSent)) {
        await sleep(backoffDelay(attempt, this.backoffPolicy(), this.opts.random), req.signal);
        continue;
      }
      if (out.timedOut) {
        throw this.fail(req, 'timeout', `no response within ${this.timeoutMs()} ms`, !state.maybeActed, out.error);
      }
      throw this.fail(req, 'transient', describeNetworkError(out.error), !state.maybeActed, out.error);
    }
  }

  private async attempt(req: HttpRequest): Promise<Attempt> {
    await this.rate?.acquire(req.signal);
    const slots = req.bulk === true ? this.bulkSlots : this.slots;
    const release = slots ? await slots.acquire(req.signal) : undefined;
    const timeout = AbortSignal.timeout(this.timeoutMs());
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      this.sent++;
      const res = await (this.opts.fetch ?? fetch)(this.url(req), this.init(req, signal));
      const text = await res.text();
      return { ok: true, res: { status: res.status, headers: res.headers, body: parseBody(text) } };
    } catch (error) {
      if (!timeout.aborted && !req.signal?.aborted && !isNetworkError(error)) throw error;
      return { ok: false, error, timedOut: timeout.aborted, neverSent: wasNeverSent(error) };
    } finally {
      release?.();
    }
  }

  private init(req: HttpRequest, signal: AbortSignal): RequestInit {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.opts.headers, ...req.headers };
    if (req.noCache) headers['Cache-Control'] = 'no-cache';
    // Redirects are never followed (see redirectError): fetch hands the 3xx back as it came.
    const init: RequestInit = { method: req.method, headers, signal, redirect: 'manual' };
    if (req.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(req.form).toString();
    } else if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(req.body);
    }
    if (this.opts.dispatcher !== undefined) init.dispatcher = this.opts.dispatcher;
    return init;
  }

  private url(req: HttpRequest): string {
    const pairs = Object.entries(req.query ?? {}).flatMap(([k, v]): [string, string | number][] =>
      v === undefined ? [] : Array.isArray(v) ? v.map((x: string | number) => [k, x]) : [[k, v as string | number]],
    );
    const qs = pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%24/g, '$')}=${encodeURIComponent(String(v))}`);
    return this.base + req.path + (qs.length > 0 ? `?${qs.join('&')}` : '');
  }

  private retryDelay(attempt: number, headers: Headers): number {
    const hinted = parseRetryAfter(headers.get('retry-after'), this.opts.retryAfterCapMs ?? 60_000);
    return hinted ?? backoffDelay(attempt, this.backoffPolicy(), this.opts.random);
  }

  private statusError(req: HttpRequest, res: HttpResponse, maybeActed: boolean): DriverError {
    const { kind, definitive } = statusKind(res.status);
    const detail = this.opts.describeError?.(res.body);
    const what = `HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
    return this.fail(req, kind, what, definitive && !maybeActed, undefined, res.status);
  }

  /** Never followed, whatever the origin (redirect.ts says why); the error names the Location. */
  private redirectError(req: HttpRequest, res: HttpResponse, maybeActed: boolean): DriverError {
    const what = redirectMessage(res.status, redirectTarget(res.headers.get('location'), this.url(req)));
    const err = this.fail(req, 'invalid', what, !maybeActed, undefined, res.status);
    return new RedirectRefusedError(err.message, { definitive: err.definitive, status: res.status });
  }

  private fail(req: HttpRequest, kind: DriverError['kind'], what: string, definitive: boolean, cause?: unknown, status?: number): DriverError {
    const secrets = [...(this.opts.secrets ?? []), ...(req.secrets ?? [])];
    const message = redact(`${req.method} ${req.path}: ${what}`, secrets);
    const o: { definitive: boolean; status?: number; cause?: unknown } = { definitive };
    if (status !== undefined) o.status = status;
    if (cause !== undefined) o.cause = cause;
    return httpError(kind, message, o);
  }

  private timeoutMs(): number {
    return this.opts.timeoutMs ?? 30_000;
  }

  private backoffPolicy(): BackoffPolicy {
    return this.opts.backoff ?? { baseMs: 500, capMs: 10_000 };
  }
}

function semaphore(max: number | undefined): Semaphore | undefined {
  return max === undefined ? undefined : new Semaphore(Math.max(1, Math.floor(max)));
}

function defaultRetrySafe(req: HttpRequest): boolean {
  return IDEMPOTENT.has(req.method);
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
