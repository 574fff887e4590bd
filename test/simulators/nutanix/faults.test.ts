import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, call, image, create } from './fixtures/wire.js';

import { mulberry32, startSimServer } from '../../../src/simulators/http.js';

const statuses = async (sim: NutanixSimulator, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(sim, 'GET', IMAGES)).status);
  return out;
};

t.test('seeded faults are reproducible', async (t) => {
  t.equal(mulberry32(7)(), mulberry32(7)(), 'same seed, same stream');
  t.not(mulberry32(7)(), mulberry32(8)());
  const runs: number[][] = [];
  for (let i = 0; i < 2; i++) {
    const sim = await startNutanixSimulator({ seed: 42, faults: { errorRate: 0.5 } });
    runs.push(await statuses(sim, 30));
    await sim.close();
  }
  t.same(runs[0], runs[1]);
  t.ok(runs[0]?.some((s) => s >= 500) && runs[0]?.some((s) => s === 200), 'a mix of failures and successes');
  t.ok(runs[0]?.every((s) => [200, 500, 502, 503].includes(s)));
});

t.test('errors and throttling do not act; setFaults switches them at runtime', async (t) => {
  const sim = await startNutanixSimulator({ seed: 1, taskDurationMs: 0, faults: { throttleRate: 1, retryAfterSeconds: 3 } });
  t.teardown(() => sim.close());
  const throttled = await create(sim, image('t'), 'rid-t');
  t.equal(throttled.status, 429);
  t.equal(throttled.headers.get('retry-after'), '3');
  t.equal(throttled.body.data.$objectType, 'vmm.v4.error.ErrorResponse');
  sim.setFaults({ errorRate: 1 });
  const err = await create(sim, image('t'), 'rid-t');
  t.ok([500, 502, 503].includes(err.status));
  t.same(sim.listImages(), [], 'nothing happened');
  sim.setFaults(undefined);
  const ok = await create(sim, image('t'), 'rid-t');
  t.equal(ok.status, 202, 'the request id was not consumed by the faulted attempts');
  t.same(sim.exchanges.map((e) => e.status), [429, err.status, 202], 'faulted exchanges are recorded too');
});

t.test('dropped connections: before acting nothing happens, after acting it did', async (t) => {
  const sim = await startNutanixSimulator({ seed: 3, taskDurationMs: 0, faults: { dropBeforeRate: 1 } });
  t.teardown(() => sim.close());
  await t.rejects(create(sim, image('before'), 'rid-before'));
  t.same(sim.listImages(), []);
  sim.setFaults({ dropAfterRate: 1 });
  await t.rejects(create(sim, image('after'), 'rid-after'));
  sim.setFaults(undefined);
  t.same((sim.listImages() as J[]).map((i) => i.name), ['after'], 'the unseen create happened');
  const retry = await create(sim, image('after'), 'rid-after');
  t.equal(retry.status, 202, 'a retry with the same request id is answered with the original task');
  t.equal(sim.listImages().length, 1);
  t.same(sim.exchanges.map((e) => e.status), [0, 0, 202], 'status 0 marks a dropped exchange');
});

t.test('latency and jitter', async (t) => {
  const sim = await startNutanixSimulator({ latencyMs: 40, faults: { latencyMs: 20, jitterMs: 10 } });
  t.teardown(() => sim.close());
  const start = performance.now();
  await call(sim, 'GET', IMAGES);
  t.ok(performance.now() - start >= 58, 'base latency + fault latency');
});

t.test('the generic server: loopback only, recording, text and JSON bodies, handler errors', async (t) => {
  const srv = await startSimServer((req) => {
    if (req.path === '/boom') throw new Error('kaboom');
    if (req.path === '/text') return { status: 200, body: 'plain' };
    return { status: 201, headers: { 'x-seen': req.headers['x-custom'] ?? '' }, body: { got: req.body ?? null, bodyError: req.bodyError ?? null, q: req.query } };
  });
  t.teardown(() => srv.close());
  t.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const r = await fetch(`${srv.url}/x?a=1&b=two`, { method: 'POST', body: '{"k":[1]}', headers: { 'X-Custom': 'v' } });
  t.equal(r.status, 201);
  t.equal(r.headers.get('x-seen'), 'v');
  t.same(await r.json(), { got: { k: [1] }, bodyError: null, q: { a: '1', b: 'two' } });
  const bad = await fetch(`${srv.url}/x`, { method: 'PUT', body: 'nope' });
  t.match(((await bad.json()) as J).bodyError, /JSON/);
  t.equal(await (await fetch(`${srv.url}/text`)).text(), 'plain');
  t.equal((await fetch(`${srv.url}/boom`)).status, 500);
  t.match(srv.exchanges[0], { method: 'POST', path: '/x', query: { a: '1', b: 'two' }, headers: { 'x-custom': 'v' }, body: { k: [1] }, status: 201, responseBody: { q: { a: '1' } } });
  t.equal(srv.exchanges[1]?.body, 'nope', 'a non-JSON body is recorded as text');
});
