import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { HttpClient, type HttpClientOptions } from '../../../src/drivers/http/index.js';
import { scriptServer, type Step } from './script-server.js';

const fast = { baseMs: 1, capMs: 5 };

async function setup(t: { teardown(fn: () => unknown): void }, steps: Step[], opts: Partial<HttpClientOptions> = {}) {
  const srv = await scriptServer(steps);
  t.teardown(srv.close);
  const http = new HttpClient({ baseUrl: srv.url, backoff: fast, maxRetries: 3, timeoutMs: 2000, ...opts });
  return { srv, http };
}

async function driverError(p: Promise<unknown>): Promise<DriverError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DriverError) return e;
    throw e;
  }
  throw new Error('expected a DriverError');
}

t.test('retries 5xx on a GET, then returns the answer and counts every attempt', async (t) => {
  const { srv, http } = await setup(t, [{ status: 503 }, { status: 502 }, { status: 200, body: { data: 1 } }]);
  const res = await http.request({ method: 'GET', path: '/x' });
  t.equal(res.status, 200);
  t.same(res.body, { data: 1 });
  t.equal(srv.seen.length, 3);
  t.equal(http.requestCount, 3);
});

t.test('honours Retry-After, capped', async (t) => {
  const { http } = await setup(t, [{ status: 429, headers: { 'retry-after': '3600' } }, { status: 200 }], { retryAfterCapMs: 150 });
  const started = Date.now();
  await http.request({ method: 'GET', path: '/x' });
  const took = Date.now() - started;
  // Only the lower bound: an uncapped wait (an hour) would fail by the test's timeout, and the cap
  // itself is unit-tested in backoff.test.ts. Tests assert no upper bound on wall-clock time.
  t.ok(took >= 140, `waited the capped Retry-After (${took} ms)`);
});

t.test('Retry-After as an HTTP date', async (t) => {
  const at = new Date(Date.now() + 1500).toUTCString(); // second resolution: 0.5..1.5 s from now
  const { http } = await setup(t, [{ status: 503, headers: { 'retry-after': at } }, { status: 200 }]);
  const started = Date.now();
  await http.request({ method: 'GET', path: '/x' });
  t.ok(Date.now() - started >= 300, 'waited until the date');
});

t.test('429 after every retry is throttled and definitive', async (t) => {
  const steps: Step[] = Array.from({ length: 4 }, () => ({ status: 429, headers: { 'retry-after': '0' } }));
  const { srv, http } = await setup(t, steps);
  const err = await driverError(http.request({ method: 'POST', path: '/x', body: { a: 1 } }));
  t.equal(err.kind, 'throttled');
  t.equal(err.definitive, true);
  t.equal(srv.seen.length, 4, 'a 429 is retried even for an unsafe POST: the server refused it');
});

t.test('5xx after retries is transient and not definitive; message has method, path, status, API detail, no secrets', async (t) => {
  const secretBody = { password: 'hunter2-secret' };
  const { srv, http } = await setup(t, Array.from({ length: 4 }, () => ({ status: 500, body: { why: 'boom hunter2-secret' } })), {
    headers: { Authorization: 'Basic c2VjcmV0OnRva2Vu' },
    describeError: (b) => (typeof b === 'object' && b !== null ? `E-1: ${String((b as { why: string }).why)}` : undefined),
  });
  const err = await driverError(http.request({ method: 'PUT', path: '/images/1', body: secretBody, secrets: ['hunter2-secret'], query: { q: 'x' } }));
  t.equal(err.kind, 'transient');
  t.equal(err.definitive, false);
  t.equal(err.status, 500);
  t.match(err.message, /^PUT \/images\/1: HTTP 500: E-1: boom \*\*\*$/);
  t.notMatch(err.message, /hunter2|Basic|c2VjcmV0/);
  t.equal(srv.seen.length, 4);
});

t.test('status kinds: 401/403 auth, 409 conflict, 400/422 invalid; no retries', async (t) => {
  for (const [status, kind] of [
    [401, 'auth'],
    [403, 'auth'],
    [409, 'conflict'],
    [400, 'invalid'],
    [422, 'invalid'],
  ] as const) {
    const { srv, http } = await setup(t, [{ status }]);
    const err = await driverError(http.request({ method: 'GET', path: '/x' }));
    t.equal(err.kind, kind, `${status}`);
    t.equal(err.definitive, true, `${status} definitive`);
    t.equal(srv.seen.length, 1, `${status} not retried`);
  }
});

t.test('accepted statuses come back to the caller', async (t) => {
  const { http } = await setup(t, [{ status: 404, body: { data: { error: [] } } }]);
  const res = await http.request({ method: 'GET', path: '/x', accept: [404] });
  t.equal(res.status, 404);
});

t.test('timeout: kind timeout, not definitive; a retry that answers wins', async (t) => {
  const { http } = await setup(t, [{ hangMs: 400 }], { timeoutMs: 100, maxRetries: 0 });
  const err = await driverError(http.request({ method: 'GET', path: '/slow' }));
  t.equal(err.kind, 'timeout');
  t.equal(err.definitive, false);
  t.match(err.message, /GET \/slow: no response within 100 ms/);
  const second = await setup(t, [{ hangMs: 400 }, { status: 200, body: { ok: 1 } }], { timeoutMs: 100 });
  t.same((await second.http.request({ method: 'GET', path: '/slow' })).body, { ok: 1 });
});

t.test('dropped connections: GET retried; bare POST not; POST with an idempotency key retried with the same key', async (t) => {
  const get = await setup(t, [{ drop: true }, { status: 200 }]);
  t.equal((await get.http.request({ method: 'GET', path: '/x' })).status, 200);

  const post = await setup(t, [{ drop: true }, { status: 200 }]);
  const err = await driverError(post.http.request({ method: 'POST', path: '/x', body: {} }));
  t.equal(err.kind, 'transient');
  t.equal(err.definitive, false, 'the server may have acted');
  t.equal(post.srv.seen.length, 1);

  const keyed = await setup(t, [{ drop: true }, { status: 503 }, { status: 202 }], {
    isRetrySafe: (r) => r.headers?.['Idem-Key'] !== undefined,
  });
  const res = await keyed.http.request({ method: 'POST', path: '/x', body: { n: 1 }, headers: { 'Idem-Key': 'k-1' } });
  t.equal(res.status, 202);
  t.same(keyed.srv.seen.map((s) => s.headers['idem-key']), ['k-1', 'k-1', 'k-1']);
  t.same(keyed.srv.seen.map((s) => s.body), ['{"n":1}', '{"n":1}', '{"n":1}']);
});

t.test('an unsafe POST is not retried on 503', async (t) => {
  const { srv, http } = await setup(t, [{ status: 503 }, { status: 200 }]);
  const err = await driverError(http.request({ method: 'POST', path: '/x' }));
  t.equal(err.kind, 'transient');
  t.equal(srv.seen.length, 1);
});

t.test('connection refused: never sent, so retried even for a POST, and definitive in the end', async (t) => {
  const srv = await scriptServer([]);
  const url = srv.url;
  await srv.close();
  const http = new HttpClient({ baseUrl: url, backoff: fast, maxRetries: 2 });
  const err = await driverError(http.request({ method: 'POST', path: '/x' }));
  t.equal(err.kind, 'transient');
  t.equal(err.definitive, true);
  t.match(err.message, /ECONNREFUSED/);
  t.equal(http.requestCount, 3);
});

t.test('maxInFlight bounds concurrent requests', async (t) => {
  const steps: Step[] = Array.from({ length: 12 }, () => ({ hangMs: 25, status: 200 }));
  const { srv, http } = await setup(t, steps, { maxInFlight: 3 });
  await Promise.all(Array.from({ length: 12 }, () => http.request({ method: 'GET', path: '/x' })));
  t.ok(srv.peak() <= 3, `peak ${srv.peak()}`);
  t.ok(srv.peak() >= 2, 'still parallel');
});

/** A fetch that records the peak of requests in flight per path. */
function peakByPath(): { fetch: typeof fetch; peak: Map<string, number> } {
  const now = new Map<string, number>();
  const peak = new Map<string, number>();
  const counting: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    now.set(path, (now.get(path) ?? 0) + 1);
    peak.set(path, Math.max(peak.get(path) ?? 0, now.get(path) ?? 0));
    try {
      return await fetch(input, init);
    } finally {
      now.set(path, (now.get(path) ?? 0) - 1);
    }
  };
  return { fetch: counting, peak };
}

t.test('bulk requests take their slots from maxBulkInFlight, the others keep maxInFlight', async (t) => {
  const steps: Step[] = Array.from({ length: 16 }, () => ({ hangMs: 25, status: 200 }));
  const counting = peakByPath();
  const { http } = await setup(t, steps, { maxInFlight: 2, maxBulkInFlight: 5, fetch: counting.fetch });
  await Promise.all([
    ...Array.from({ length: 10 }, () => http.request({ method: 'GET', path: '/list', bulk: true })),
    ...Array.from({ length: 6 }, () => http.request({ method: 'GET', path: '/x' })),
  ]);
  t.equal(counting.peak.get('/list'), 5, 'bulk pages beyond maxInFlight');
  t.equal(counting.peak.get('/x'), 2, 'other requests still held to maxInFlight');
});

t.test('without maxBulkInFlight, bulk requests share maxInFlight', async (t) => {
  const steps: Step[] = Array.from({ length: 8 }, () => ({ hangMs: 25, status: 200 }));
  const counting = peakByPath();
  const { http } = await setup(t, steps, { maxInFlight: 2, fetch: counting.fetch });
  await Promise.all(Array.from({ length: 8 }, () => http.request({ method: 'GET', path: '/list', bulk: true })));
  t.equal(counting.peak.get('/list'), 2);
});

t.test('maxRequestsPerSecond spaces requests', async (t) => {
  const { srv, http } = await setup(t, [], { maxRequestsPerSecond: 20 });
  const started = Date.now();
  await Promise.all(Array.from({ length: 25 }, () => http.request({ method: 'GET', path: '/x' })));
  const took = Date.now() - started;
  // A burst of 20, then one every 50 ms: the 25th may not leave before 250 ms.
  t.ok(took >= 245, `25 requests at 20/s took ${took} ms`);
  t.equal(srv.seen.length, 25);
});

t.test('headers and query: no-cache when polling, JSON content type, OData keys kept readable', async (t) => {
  const { srv, http } = await setup(t, [{ status: 200 }, { status: 200 }]);
  await http.request({ method: 'GET', path: '/tasks/a', noCache: true, query: { $filter: "name eq 'a b'", $page: 0, skip: undefined } });
  await http.request({ method: 'POST', path: '/x', body: { a: 1 } });
  t.equal(srv.seen[0]?.url, "/tasks/a?$filter=name%20eq%20%27a%20b%27&$page=0", 'spaces as %20, not +');
  t.equal(srv.seen[0]?.headers['cache-control'], 'no-cache');
  t.equal(srv.seen[0]?.headers['accept'], 'application/json');
  t.equal(srv.seen[1]?.headers['content-type'], 'application/json');
  t.equal(srv.seen[1]?.headers['cache-control'], undefined);
});

t.test('a caller abort stops at once, not definitive', async (t) => {
  const { http } = await setup(t, [{ hangMs: 2000 }]);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  // The server answers 200 after 2 s: an abort that did not stop the request would not fail at all.
  const err = await driverError(http.request({ method: 'GET', path: '/x', signal: ac.signal }));
  t.equal(err.definitive, false);
  t.match(err.message, /aborted/);
});

t.test('the dispatcher hook reaches fetch', async (t) => {
  const seen: unknown[] = [];
  const fakeDispatcher = { marker: true } as unknown as NonNullable<HttpClientOptions['dispatcher']>;
  const http = new HttpClient({
    baseUrl: 'http://example.invalid',
    dispatcher: fakeDispatcher,
    fetch: async (_url, init) => {
      seen.push((init as { dispatcher?: unknown }).dispatcher);
      return new Response('{"ok":true}', { status: 200 });
    },
  });
  await http.request({ method: 'GET', path: '/' });
  t.equal(seen[0], fakeDispatcher);
});

t.test('aborted while queued for a slot: nothing was sent, so definitive', async (t) => {
  const { srv, http } = await setup(t, [{ hangMs: 300 }], { maxInFlight: 1 });
  const first = http.request({ method: 'GET', path: '/slow' });
  const ac = new AbortController();
  const queued = http.request({ method: 'POST', path: '/x', signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  const err = await driverError(queued);
  t.match(err, { kind: 'transient', definitive: true, message: /POST \/x: aborted/ });
  await first;
  t.equal(srv.seen.length, 1);
});
