import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { RECORDED_BODIES, call, session, space, token } from './client.js';

t.test('429 with Retry-After and 5xx, as problem+json, without acting', async (t) => {
  const sim = await startNumspotSimulator({ prngSeed: 7 });
  t.teardown(() => sim.close());
  const tok = await token(sim);
  sim.setFaults({ throttleRate: 1, retryAfterSeconds: 3 });
  const throttled = await call(sim, 'POST', `${space(sim)}/images`, { token: tok, body: RECORDED_BODIES.register });
  t.equal(throttled.status, 429);
  t.equal(throttled.headers.get('retry-after'), '3');
  t.equal(throttled.headers.get('content-type'), 'application/problem+json');
  t.match(throttled.body, { type: /#too_many_requests$/, title: String });
  sim.setFaults({ errorRate: 1 });
  const failed = await call(sim, 'POST', `${space(sim)}/images`, { token: tok, body: RECORDED_BODIES.register });
  t.ok([500, 502, 503].includes(failed.status), `5xx (${failed.status})`);
  t.match(failed.body, { type: /#internal_error$/ });
  sim.setFaults(undefined);
  t.same(sim.listImages(), [], 'nothing was created');
  t.equal((await call(sim, 'POST', `${space(sim)}/images`, { token: tok, body: RECORDED_BODIES.register })).status, 201);
});

t.test('dropped connections: before acting nothing happens, after acting it did', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  sim.setFaults({ dropBeforeRate: 1 });
  await t.rejects(s.post('/images', RECORDED_BODIES.register));
  sim.setFaults(undefined);
  t.same(sim.listImages(), []);
  sim.setFaults({ dropAfterRate: 1 });
  await t.rejects(s.post('/images', RECORDED_BODIES.register));
  sim.setFaults(undefined);
  t.equal(sim.listImages().length, 1, 'created, though the client never heard');
  t.equal((await s.post('/images', RECORDED_BODIES.register)).status, 409, 'a blind retry meets the name');
  t.same(sim.exchanges.filter((e) => e.status === 0).length, 2, 'drops are recorded with status 0');
});

t.test('latency: the option and the fault add up', async (t) => {
  const sim = await startNumspotSimulator({ latencyMs: 60, faults: { latencyMs: 40 } });
  t.teardown(() => sim.close());
  const tok = await token(sim);
  const t0 = Date.now();
  await call(sim, 'GET', `${space(sim)}/images`, { token: tok });
  t.ok(Date.now() - t0 >= 95, `took ${Date.now() - t0} ms`);
});

t.test('the same prngSeed gives the same sequence of faults', async (t) => {
  const run = async () => {
    const sim = await startNumspotSimulator({ prngSeed: 42, faults: { errorRate: 0.5 } });
    const tok = sim.clientSecret;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call(sim, 'GET', `${space(sim)}/vms`, { token: tok })).status);
    await sim.close();
    return statuses;
  };
  const a = await run();
  t.same(await run(), a);
  t.ok(a.some((s) => s === 401) && a.some((s) => s >= 500), 'a mix of handled calls (401: no valid token) and faults');
});
