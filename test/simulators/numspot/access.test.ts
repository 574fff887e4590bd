import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { RECORDED_BODIES, session, type J } from './client.js';

t.test('2026-02: PUT /images/{id} changes access and answers the whole Image', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const img = await s.post('/images', RECORDED_BODIES.register);
  const id = img.body.id as string;
  const pub = await s.put(`/images/${id}`, { accessCreation: { additions: { isPublic: true } } });
  t.equal(pub.status, 200);
  t.equal(pub.headers.get('cache-control'), 'public, max-age=300');
  t.same(pub.body, { ...img.body, access: { isPublic: true } }, 'only access changed');
  t.same((await s.get(`/images/${id}`)).body.access, { isPublic: true });
  t.same((await s.put(`/images/${id}`, { accessCreation: { additions: { isPublic: true } } })).body.access, { isPublic: true }, 'idempotent');
  const priv = await s.put(`/images/${id}`, { accessCreation: { removals: { isPublic: true } } });
  t.same(priv.body.access, { isPublic: false }, 'removals {isPublic: true} makes it private (recorded)');
  t.same((await s.put(`/images/${id}`, { accessCreation: { additions: { isPublic: false } } })).body.access, { isPublic: false }, 'isPublic false asks for nothing');

  const bad: unknown[] = [
    {},
    { accessCreation: {} },
    { accessCreation: { additions: { isPublic: true }, removals: { isPublic: true } } },
    { accessCreation: { additions: {} } },
    { accessCreation: { additions: { isPublic: 'yes' } } },
    { accessCreation: { additions: { isPublic: true } }, name: 'x' },
  ];
  for (const body of bad) {
    const r = await s.put(`/images/${id}`, body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.ok(Array.isArray(r.body.violations) && r.body.violations.length > 0, 'with violations');
  }
  t.equal((await s.put('/images/ami-00000000', { accessCreation: { additions: { isPublic: true } } })).status, 404);
  const official = await s.put('/images/ami-dc3f861d', { accessCreation: { removals: { isPublic: true } } });
  t.equal(official.status, 403);
});

t.test('2026-06: PUT /images/{id} does not exist (404 problem+json)', async (t) => {
  const sim = await startNumspotSimulator({ apiVersion: '2026-06' });
  t.teardown(() => sim.close());
  const s = await session(sim);
  const id = (await s.post('/images', RECORDED_BODIES.register)).body.id as string;
  const r = await s.put(`/images/${id}`, { accessCreation: { additions: { isPublic: true } } });
  t.equal(r.status, 404);
  t.equal(r.headers.get('content-type'), 'application/problem+json');
  t.match(r.body, { type: /#resource_not_found$/, detail: /operation PUT .* does not exist .*2026-06/ });
  t.same((await s.get(`/images/${id}`)).body.access, { isPublic: false }, 'nothing changed');
  t.equal((await s.put('/images/ami-00000000', {})).status, 404, 'whatever the image');
  t.equal((await s.get(`/images/${id}`)).status, 200, 'GET and DELETE remain');
  t.equal((await s.del(`/images/${id}`)).status, 204);
  const body: J = (await s.put(`/images/${id}`, {})).body;
  t.notOk('violations' in body);
});
