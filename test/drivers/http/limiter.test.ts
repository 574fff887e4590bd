import t from 'tap';
import { RateLimiter, Semaphore } from '../../../src/drivers/http/limiter.js';

t.test('semaphore bounds holders and serves waiters in order', async (t) => {
  const sem = new Semaphore(2);
  const order: number[] = [];
  let active = 0;
  let peak = 0;
  await Promise.all(
    [1, 2, 3, 4, 5].map(async (n) => {
      const release = await sem.acquire();
      active++;
      peak = Math.max(peak, active);
      order.push(n);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      release();
      release(); // a double release must not free a second slot
    }),
  );
  t.equal(peak, 2);
  t.same(order, [1, 2, 3, 4, 5]);
  t.equal(sem.inFlight, 0);
});

t.test('a waiter that aborts leaves the queue', async (t) => {
  const sem = new Semaphore(1);
  const release = await sem.acquire();
  const ac = new AbortController();
  const waiting = sem.acquire(ac.signal);
  ac.abort(new Error('gone'));
  await t.rejects(waiting, { message: 'gone' });
  release();
  const again = await sem.acquire();
  t.equal(sem.inFlight, 1);
  again();
  t.throws(() => new Semaphore(0));
});

t.test('rate limiter spaces requests after the burst', async (t) => {
  const rl = new RateLimiter(50, 1); // one every 20 ms
  const started = Date.now();
  for (let i = 0; i < 5; i++) await rl.acquire();
  const took = Date.now() - started;
  t.ok(took >= 70, `5 requests at 50/s take >= 80 ms minus timer slack (took ${took})`);
  t.throws(() => new RateLimiter(0));
});
