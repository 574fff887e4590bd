import t from 'tap';
import { backoffDelay, parseRetryAfter, sleep } from '../../../src/drivers/http/backoff.js';

t.test('full jitter stays under the exponential ceiling and the cap', async (t) => {
  const policy = { baseMs: 100, capMs: 1000 };
  t.equal(backoffDelay(0, policy, () => 0.999), 99);
  t.equal(backoffDelay(2, policy, () => 0.5), 200);
  t.equal(backoffDelay(10, policy, () => 0.999), 999, 'capped');
  t.equal(backoffDelay(3, policy, () => 0), 0, 'full jitter may retry at once');
});

t.test('Retry-After: seconds, HTTP dates, garbage, cap', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  t.equal(parseRetryAfter('3', 60_000, now), 3000);
  t.equal(parseRetryAfter(' 0 ', 60_000, now), 0);
  t.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', 60_000, now), 5000);
  t.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', 60_000, now), 0, 'a date in the past means now');
  t.equal(parseRetryAfter('3600', 10_000, now), 10_000, 'capped');
  t.equal(parseRetryAfter('soon', 60_000, now), undefined);
  t.equal(parseRetryAfter(null, 60_000, now), undefined);
  t.equal(parseRetryAfter('', 60_000, now), undefined);
});

t.test('sleep rejects as soon as the signal aborts', async (t) => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('stop')), 10);
  // Rejecting with the abort reason (not resolving after 5 s) is what shows the abort stopped it.
  await t.rejects(sleep(5000, ac.signal), { message: 'stop' });
  await t.rejects(sleep(10, ac.signal), { message: 'stop' }, 'already aborted');
});
