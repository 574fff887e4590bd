// list: one GET for the space's own images on both API versions; lookups of VMs, snapshots and
// images by the filters the schema offers.
import t from 'tap';
import { imageIdsQuery, inSpace } from '../../../src/drivers/numspot/list.js';
import { harness, opContext, raw } from './sim-session.js';

for (const apiVersion of ['2026-02', '2026-06'] as const) {
  t.test(`list on ${apiVersion}: managed and unmanaged space images, no catalogue, one request`, async (t) => {
    const { sim, session } = await harness(t, { sim: { apiVersion } });
    const ours = await session.create({ fields: { name: 'ours', vm_id: 'i-f2f6a5b3' } }, opContext('eu.ours'));
    const copy = await session.create({ fields: { name: 'our-copy', source_image_id: 'ami-dc3f861d' } }, opContext('eu.copy'));
    const unmanaged = await raw(sim, 'POST', '/images', { name: 'hand-made', vmId: 'i-0c4a7e19' });
    const listed = await session.list();
    t.same(listed.images.map((i) => i.id).sort(), [ours.id, copy.id, unmanaged.body.id].sort(), 'official images are not in scope');
    t.equal(listed.requests, 1);
    t.same(listed.images.find((i) => i.id === ours.id)?.owner?.address, 'eu.ours');
    t.equal(listed.images.find((i) => i.id === unmanaged.body.id)?.owner, undefined);
    const get = sim.exchanges.filter((e) => e.method === 'GET' && e.path.endsWith('/images')).at(-1);
    t.same(get?.query, { imageType: 'private' });
  });
}

t.test('the 2026-02 client-side scope rule', async (t) => {
  t.ok(inSpace({ id: 'ami-1', access: { isPublic: false } }));
  t.notOk(inSpace({ id: 'ami-1', access: { isPublic: true } }), 'public and not ours: the catalogue');
  t.ok(inSpace({ id: 'ami-1', access: { isPublic: true }, tags: [{ key: 'imagectl:address', value: 'a' }] }), 'public but ours');
  t.same(imageIdsQuery(['ami-1', 'ami-2']), { ids: ['ami-1', 'ami-2'], imageIds: ['ami-1', 'ami-2'] });
});

t.test('lookups: vm by tags, snapshot by description or tags, image by name', async (t) => {
  const { sim, session } = await harness(t);
  t.same(await session.lookup('vm', { tags: { Name: 'builder' } }), [{ id: 'i-f2f6a5b3', name: 'builder' }]);
  t.same(await session.lookup('vm', { tags: { Name: 'legacy-web', env: 'test' } }), [{ id: 'i-0c4a7e19', name: 'legacy-web' }]);
  t.same(await session.lookup('vm', { tags: { Name: 'builder', env: 'test' } }), [], 'all pairs must match (the API ORs values of one filter)');
  t.same(await session.lookup('snapshot', { description: 'golden-root' }), [{ id: 'snap-dba42486', name: 'golden-root' }]);
  t.same(await session.lookup('snapshot', { tags: { Name: 'golden-root' } }), [{ id: 'snap-dba42486', name: 'golden-root' }]);
  t.same(await session.lookup('image', { name: 'Debian-12-2026-08-10' }), [{ id: 'ami-dc3f861d', name: 'Debian-12-2026-08-10' }]);
  t.same(await session.lookup('image', { name: 'no-such-image' }), []);
  const vmCall = sim.exchanges.find((e) => e.path.endsWith('/vms'));
  t.ok(vmCall && 'tags' in vmCall.query, 'the tag filter goes to the API as tags=KEY=VALUE');
  t.match(await session.lookup('cluster', { name: 'x' }).catch((e: unknown) => e), { kind: 'invalid', definitive: true });
  t.match(await session.lookup('image', { image_type: 'official' }).catch((e: unknown) => e), { kind: 'invalid', definitive: true });
});
