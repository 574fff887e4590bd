import t from 'tap';
import type { Faults } from '../../../src/simulators/nutanix/index.js';
import { harness, ISO, opContext } from './sim-session.js';

type Sim = Awaited<ReturnType<typeof harness>>['sim'];

/** A fetch that applies `faults` to the first request with `method` only. */
function faultOnce(method: string, faults: Faults, simRef: { sim?: Sim }): typeof fetch {
  let armed = true;
  return async (input, init) => {
    if (armed && init?.method === method && simRef.sim) {
      armed = false;
      simRef.sim.setFaults(faults);
      try {
        return await fetch(input, init);
      } finally {
        simRef.sim.setFaults(undefined);
      }
    }
    return fetch(input, init);
  };
}

t.test('POST acted on, connection dropped before the answer: the retry reuses NTNX-Request-Id; exactly one image', async (t) => {
  const ref: { sim?: Sim } = {};
  const h = await harness(t, { tuning: { http: { fetch: faultOnce('POST', { dropAfterRate: 1 }, ref) } } });
  ref.sim = h.sim;
  const ctx = opContext();
  const img = await h.session.create({ fields: ISO }, ctx);
  const posts = h.sim.exchanges.filter((e) => e.method === 'POST');
  t.same(posts.map((e) => e.status), [0, 202], 'dropped, then answered');
  t.same(posts.map((e) => e.headers['ntnx-request-id']), [ctx.idempotency_key, ctx.idempotency_key]);
  t.equal(h.sim.listImages().length, 1, 'exactly one image');
  t.equal(ctx.tasks.length, 1);
  t.equal((h.sim.listImages()[0] as { extId: string }).extId, img.id);
});

t.test('PUT acted on, connection dropped: the retry is answered with the same task', async (t) => {
  const ref: { sim?: Sim } = {};
  const h = await harness(t, { tuning: { http: { fetch: faultOnce('PUT', { dropAfterRate: 1 }, ref) } } });
  ref.sim = h.sim;
  const img = await h.session.create({ fields: ISO }, opContext());
  const updated = await h.session.update({ id: img.id, fields: { ...ISO, name: 'after-drop' }, changed: ['name'] }, opContext());
  t.equal(updated.attributes['name'], 'after-drop');
  const puts = h.sim.exchanges.filter((e) => e.method === 'PUT');
  t.same(puts.map((e) => e.status), [0, 202]);
  t.equal(puts[0]?.headers['ntnx-request-id'], puts[1]?.headers['ntnx-request-id']);
  t.equal(new Set(h.sim.exchanges.filter((e) => e.path.includes('/tasks/')).map((e) => e.path)).size, 2, 'one create task and one update task');
});

t.test('a bad day (429 with Retry-After, 5xx, drops before acting) still converges, one image per create', async (t) => {
  const h = await harness(t, { sim: { seed: 42 }, tuning: { http: { backoff: { baseMs: 1, capMs: 5 }, maxRetries: 8, retryAfterCapMs: 20 } } });
  h.sim.setFaults({ throttleRate: 0.15, retryAfterSeconds: 1, errorRate: 0.1, dropBeforeRate: 0.1 });
  const created = [];
  for (let i = 0; i < 5; i++) created.push(await h.session.create({ fields: { ...ISO, name: `bad-day-${i}` } }, opContext()));
  const listed = await h.session.list();
  h.sim.setFaults(undefined);
  t.equal(h.sim.listImages().length, 5);
  t.same(listed.images.map((i) => i.name).sort(), created.map((c) => c.name).sort());
  const statuses = new Set(h.sim.exchanges.map((e) => e.status));
  t.ok(statuses.has(429) && statuses.has(0), 'faults were actually injected');
  t.ok(listed.requests !== undefined && listed.requests >= 1);
});

t.test('throttled for good: list throws throttled', async (t) => {
  const h = await harness(t, { tuning: { http: { backoff: { baseMs: 1, capMs: 2 }, maxRetries: 2, retryAfterCapMs: 5 } } });
  h.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 0 });
  t.match(await h.session.list().catch((e: unknown) => e), { kind: 'throttled' });
  t.match(await h.session.read('c13300a6-d246-4d1f-9d0c-64b5dd31c393'), { status: 'error', kind: 'throttled' });
});

t.test('task timeout is not definitive and names the task', async (t) => {
  const h = await harness(t, { sim: { taskDurationMs: 5000 }, taskTimeoutMs: 100 });
  const ctx = opContext();
  const err = await h.session.create({ fields: ISO }, ctx).catch((e: unknown) => e);
  t.match(err, { kind: 'timeout', definitive: false });
  t.ok(ctx.tasks[0] && String((err as Error).message).includes(ctx.tasks[0]));
});

t.test('cancelling through the signal stops the wait, not definitive', async (t) => {
  const h = await harness(t, { sim: { taskDurationMs: 5000 } });
  const ac = new AbortController();
  const ctx = opContext('a', undefined, ac.signal);
  ctx.on_task = (id) => {
    ctx.tasks.push(id);
    setTimeout(() => ac.abort(), 20);
  };
  const err = await h.session.create({ fields: ISO }, ctx).catch((e: unknown) => e);
  t.match(err, { definitive: false, message: /task ZXJnb24=:/ });
});
