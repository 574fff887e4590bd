import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { RECORDED_BODIES, session, type J } from './client.js';

t.test('PATCH /bulk/tags upserts by key; tags show in Image.tags and GET /tags', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const a = (await s.post('/images', RECORDED_BODIES.register)).body.id as string;
  const b = (await s.post('/images', { ...RECORDED_BODIES.copy })).body.id as string;
  const r = await s.patch('/bulk/tags', { resourceIds: [a, b], tags: [{ key: 'name', value: 'one' }, { key: 'team', value: 'infra' }] });
  t.equal(r.status, 204);
  t.equal(r.body, undefined);
  await s.patch('/bulk/tags', { resourceIds: [a], tags: [{ key: 'name', value: 'two' }, { key: 'empty', value: '' }] });
  t.same((await s.get(`/images/${a}`)).body.tags, [{ key: 'name', value: 'two' }, { key: 'team', value: 'infra' }, { key: 'empty', value: '' }], 'a known key keeps its place, takes the new value');
  t.same((await s.get(`/images/${b}`)).body.tags, [{ key: 'name', value: 'one' }, { key: 'team', value: 'infra' }]);
  const all = (await s.get('/tags', { resourceIds: [a, b] })).body.items;
  t.equal(all.length, 5);
  t.same(all[0], { key: 'name', resourceId: a, resourceType: 'image', value: 'two' });
  t.same((await s.get('/tags', { keys: 'name', values: ['one', 'nope'] })).body.items.map((i: J) => i.resourceId), [b], 'filters AND, values OR');
  t.same((await s.get('/tags', { resourceTypes: 'vm' })).body.items, [
    { key: 'Name', resourceId: 'i-f2f6a5b3', resourceType: 'vm', value: 'builder' },
    { key: 'Name', resourceId: 'i-0c4a7e19', resourceType: 'vm', value: 'legacy-web' },
    { key: 'env', resourceId: 'i-0c4a7e19', resourceType: 'vm', value: 'test' },
  ]);
  t.same((await s.get('/tags', { resourceTypes: 'snapshot' })).body.items, [{ key: 'Name', resourceId: 'snap-dba42486', resourceType: 'snapshot', value: 'golden-root' }]);
  await s.patch('/bulk/tags', { resourceIds: ['i-f2f6a5b3'], tags: [{ key: 'role', value: 'ci' }] });
  t.same((await s.get('/vms/i-f2f6a5b3')).body.tags, [{ key: 'Name', value: 'builder' }, { key: 'role', value: 'ci' }], 'VMs are taggable too');
});

t.test('DELETE /bulk/tags: exact value, or any value when value is absent', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const id = (await s.post('/images', RECORDED_BODIES.register)).body.id as string;
  await s.patch('/bulk/tags', { resourceIds: [id], tags: [{ key: 'name', value: 'Terraform-Test-Image' }, { key: 'a', value: 'x' }, { key: 'b', value: '' }, { key: 'c', value: 'Y' }] });
  // The recorded provider deletes a changed key with its NEW value, then PATCHes it: a no-op here.
  t.equal((await s.del('/bulk/tags', { resourceIds: [id], tags: [{ key: 'name', value: 'Terraform-Test-Image-Updated' }] })).status, 204);
  t.same((await s.get(`/images/${id}`)).body.tags.map((x: J) => x.key), ['name', 'a', 'b', 'c'], 'a non-matching value deletes nothing');
  await s.del('/bulk/tags', { resourceIds: [id], tags: [{ key: 'c', value: 'y' }] });
  t.ok((await s.get(`/images/${id}`)).body.tags.some((x: J) => x.key === 'c'), 'the match is exact (case too)');
  await s.del('/bulk/tags', { resourceIds: [id], tags: [{ key: 'name', value: 'Terraform-Test-Image' }, { key: 'b', value: '' }, { key: 'a', value: '' }] });
  t.same((await s.get(`/images/${id}`)).body.tags, [{ key: 'a', value: 'x' }, { key: 'c', value: 'Y' }], '"" matches only an empty value');
  await s.del('/bulk/tags', { resourceIds: [id], tags: [{ key: 'a' }, { key: 'missing' }] });
  t.same((await s.get(`/images/${id}`)).body.tags, [{ key: 'c', value: 'Y' }], 'no value: the key goes whatever its value');
});

t.test('tag requests are validated and all-or-nothing', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const id = (await s.post('/images', RECORDED_BODIES.register)).body.id as string;
  const unknown = await s.patch('/bulk/tags', { resourceIds: [id, 'ami-00000000'], tags: [{ key: 'k', value: 'v' }] });
  t.equal(unknown.status, 400);
  t.match(unknown.body, { title: 'InvalidResource', detail: /ami-00000000/ });
  t.same((await s.get(`/images/${id}`)).body.tags, [], 'nothing was tagged');
  t.equal((await s.patch('/bulk/tags', { resourceIds: ['ami-dc3f861d'], tags: [{ key: 'k', value: 'v' }] })).status, 403, 'official images cannot be tagged');
  const shapes: unknown[] = [
    { resourceIds: [id] },
    { resourceIds: [], tags: [{ key: 'k', value: 'v' }] },
    { resourceIds: [id], tags: [{ key: '', value: 'v' }] },
    { resourceIds: [id], tags: [{ key: 'k' }] },
    { resourceIds: [id], tags: [{ key: 'k', value: 'v'.repeat(256) }] },
    { resourceIds: [id], tags: [{ key: 'k', value: 'v', extra: 1 }] },
  ];
  for (const body of shapes) t.equal((await s.patch('/bulk/tags', body)).status, 400, JSON.stringify(body).slice(0, 80));
  const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: String(i) }));
  t.equal((await s.patch('/bulk/tags', { resourceIds: [id], tags: fifty })).status, 204, '50 tags are fine');
  t.equal((await s.patch('/bulk/tags', { resourceIds: [id], tags: [{ key: 'k0', value: 'new' }] })).status, 204, 'overwriting stays at 50');
  const over = await s.patch('/bulk/tags', { resourceIds: [id], tags: [{ key: 'one-more', value: 'x' }] });
  t.equal(over.status, 400);
  t.match(over.body.detail, /TagLimitExceeded/);
  t.equal((await s.get(`/images/${id}`)).body.tags.length, 50);
});
