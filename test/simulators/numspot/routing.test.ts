import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { call, space } from './client.js';

t.test('routing: unknown operations are 404, wrong methods 405, before authentication', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const base = space(sim);
  for (const path of [`${base}/nonsense`, `${base}/vms/i-f2f6a5b3/start`, '/iam/revoke', '/compute/spaces', '/', `${base}/images/%E0%A4%A`]) {
    const r = await call(sim, 'GET', path, { token: null });
    t.equal(r.status, 404, path);
    t.equal(r.headers.get('content-type'), 'application/problem+json');
    t.match(r.body, { type: /#resource_not_found$/, title: 'NotFound', detail: /does not exist in the Numspot API 2026-02/ });
  }
  const wrong = await call(sim, 'POST', `${base}/vms`, { token: null, body: {} });
  t.equal(wrong.status, 405);
  t.equal(wrong.headers.get('allow'), 'GET');
  t.equal((await call(sim, 'DELETE', `${base}/images`, { token: null })).status, 405);
  t.equal((await call(sim, 'GET', '/iam/token', { token: null })).status, 404, 'the token endpoint is POST only');
  t.equal((await call(sim, 'GET', `${base}/images`)).status, 200, 'a known operation with a token works');
});
