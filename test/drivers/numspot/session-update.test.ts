// update: tags as a whole set (add, change, remove with the current value), tags left alone when
// not changed, access through PUT on 2026-02 and the clear error on 2026-06.
import t from 'tap';
import { ACCESS_REMOVED_MESSAGE } from '../../../src/drivers/numspot/access.js';
import { calls, harness, opContext, raw, simTags } from './sim-session.js';

const tag = (key: string, value: string) => ({ key, value });

t.test('tags: add, change and remove in one update; ownership tags kept', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'tagged', source_image_id: 'ami-dc3f861d', tags: [tag('keep', 'k'), tag('change', 'old'), tag('drop', 'd')] } }, opContext('eu.tagged'));
  const mark = sim.exchanges.length;
  const desired = [tag('keep', 'k'), tag('change', 'new'), tag('add', 'a')];
  const out = await session.update({ id: img.id, fields: { name: 'tagged', source_image_id: 'ami-dc3f861d', tags: desired }, changed: ['tags'] }, opContext('eu.tagged'));
  t.same(out.attributes['tags'], [tag('add', 'a'), tag('change', 'new'), tag('keep', 'k')]);
  const sent = sim.exchanges.slice(mark).filter((e) => e.path.endsWith('/bulk/tags'));
  t.same(sent.map((e) => [e.method, e.body]), [
    ['DELETE', { resourceIds: [img.id], tags: [tag('drop', 'd')] }],
    ['PATCH', { resourceIds: [img.id], tags: [tag('change', 'new'), tag('add', 'a')] }],
  ], 'removals carry their current value; a changed value is one PATCH');
  t.same(simTags(sim, img.id).filter((x) => x.key.startsWith('imagectl:')).map((x) => x.key), ['imagectl:address', 'imagectl:lineage']);
  t.same(out.owner?.address, 'eu.tagged');
});

t.test('tags not in `changed` are left alone (the provider wipes them)', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'untouched', source_image_id: 'ami-dc3f861d' } }, opContext('eu.u'));
  t.equal((await raw(sim, 'PATCH', '/bulk/tags', { resourceIds: [img.id], tags: [tag('owner', 'team-a')] })).status, 204);
  const mark = sim.exchanges.length;
  const out = await session.update({ id: img.id, fields: { name: 'untouched', source_image_id: 'ami-dc3f861d', access: { is_public: false } }, changed: ['access'] }, opContext('eu.u'));
  t.same(out.attributes['tags'], [tag('owner', 'team-a')], 'the out-of-band tag is still there');
  t.notOk(calls(sim, mark).some((c) => c.includes('/bulk/tags')), 'no tag call at all');
  t.same(out.attributes['access'], { is_public: false });
});

t.test('same tags in another order: no tag call, no re-read', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'same', source_image_id: 'ami-dc3f861d', tags: [tag('a', '1'), tag('b', '2')] } }, opContext());
  const mark = sim.exchanges.length;
  await session.update({ id: img.id, fields: { name: 'same', tags: [tag('b', '2'), tag('a', '1')] }, changed: ['tags'] }, opContext());
  t.same(calls(sim, mark), ['GET /images/' + img.id]);
});

t.test('access on 2026-02: public, then private again', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'acc', vm_id: 'i-f2f6a5b3' } }, opContext());
  t.same(img.attributes['access'], { is_public: false });
  const pub = await session.update({ id: img.id, fields: { name: 'acc', access: { is_public: true } }, changed: ['access'] }, opContext());
  t.same(pub.attributes['access'], { is_public: true });
  const priv = await session.update({ id: img.id, fields: { name: 'acc', access: { is_public: false } }, changed: ['access'] }, opContext());
  t.same(priv.attributes['access'], { is_public: false });
  t.same(sim.exchanges.filter((e) => e.method === 'PUT').map((e) => e.body), [
    { accessCreation: { additions: { isPublic: true } } },
    { accessCreation: { removals: { isPublic: true } } },
  ]);
});

t.test('access on 2026-06: a clear definitive error; the current value is accepted', async (t) => {
  const { sim, session } = await harness(t, { sim: { apiVersion: '2026-06' } });
  const img = await session.create({ fields: { name: 'acc6', vm_id: 'i-f2f6a5b3' } }, opContext());
  const e = await session.update({ id: img.id, fields: { name: 'acc6', access: { is_public: true } }, changed: ['access'] }, opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'invalid', definitive: true });
  t.ok((e as Error).message.includes(ACCESS_REMOVED_MESSAGE), (e as Error).message);
  const same = await session.update({ id: img.id, fields: { name: 'acc6', access: { is_public: false } }, changed: ['access'] }, opContext());
  t.same(same.attributes['access'], { is_public: false }, 'no change asked, nothing sent, no error');
  t.equal(sim.exchanges.filter((e) => e.method === 'PUT').length, 1);
});

t.test('access on create under 2026-06: the image is removed, the error is definitive', async (t) => {
  const { sim, session } = await harness(t, { sim: { apiVersion: '2026-06' } });
  const e = await session.create({ fields: { name: 'pub6', vm_id: 'i-f2f6a5b3', access: { is_public: true } } }, opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'invalid', definitive: true });
  t.match((e as Error).message, /Numspot removed image access updates in its 2026-06 API/);
  t.match((e as Error).message, /was deleted, so nothing is left behind/);
  t.same(sim.listImages(), []);
});

t.test('update of an image deleted out of band: definitive conflict', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'gone', source_image_id: 'ami-dc3f861d' } }, opContext());
  await raw(sim, 'DELETE', `/images/${img.id}`);
  const e = await session.update({ id: img.id, fields: { tags: [] }, changed: ['tags'] }, opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'conflict', definitive: true });
});

t.test('a replace-only field in `changed` is refused before any call', async (t) => {
  const { sim, session } = await harness(t);
  const before = sim.exchanges.length;
  const e = await session.update({ id: 'ami-12345678', fields: { name: 'x' }, changed: ['name'] }, opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'invalid', definitive: true });
  t.equal(sim.exchanges.length, before);
});
