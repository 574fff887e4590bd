import t, { type Test } from 'tap';
import { startNumspotSimulator, type NumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { RECORDED_BODIES, session, type J, type Session } from './client.js';

const OFFICIAL = ['ami-dc3f861d', 'ami-51459d59', 'ami-0b7df82c'];

async function populate(s: Session): Promise<{ reg: string; copy: string; vm: string }> {
  const reg = (await s.post('/images', { ...RECORDED_BODIES.register, description: 'golden' })).body.id as string;
  const copy = (await s.post('/images', { ...RECORDED_BODIES.copy })).body.id as string;
  const vm = (await s.post('/images', { name: 'from vm', vmId: 'i-f2f6a5b3' })).body.id as string;
  await s.patch('/bulk/tags', { resourceIds: [reg, copy], tags: [{ key: 'imagectl:address', value: 'numspot_image.a' }] });
  await s.patch('/bulk/tags', { resourceIds: [copy], tags: [{ key: 'env', value: 'prod' }] });
  return { reg, copy, vm };
}

const ids = (r: { body: J }) => (r.body.items as J[]).map((i) => i.id as string);

async function start(t: Test, apiVersion: '2026-02' | '2026-06'): Promise<NumspotSimulator> {
  const sim = await startNumspotSimulator({ apiVersion, pendingMs: 60000 });
  t.teardown(() => sim.close());
  return sim;
}

t.test('2026-02: ids, tag filters, isPublic; values OR, filters AND; no pagination', async (t) => {
  const sim = await start(t, '2026-02');
  const s = await session(sim);
  const { reg, copy, vm } = await populate(s);
  const all = await s.get('/images');
  t.same(Object.keys(all.body), ['items'], '{"items": [...]}, nothing else');
  t.same(ids(all), [reg, copy, vm, ...OFFICIAL], 'own images, then official ones');
  t.equal(all.headers.get('cache-control'), 'public, max-age=300');
  t.same(ids(await s.get('/images', { ids: [reg, vm] })), [reg, vm], 'repeated-key arrays');
  t.same(ids(await s.get('/images', { ids: `${reg},${vm}` })), [], 'a comma-separated value is one literal id');
  t.same(ids(await s.get('/images', { imageIds: [reg] })).length, 6, '2026-02 does not know imageIds: ignored');
  t.same(ids(await s.get('/images', { ids: [reg, 'ami-00000000'], imageIds: [reg] })), [reg], 'a driver sending both is safe');
  t.same(ids(await s.get('/images', { tagKeys: 'imagectl:address' })), [reg, copy]);
  t.same(ids(await s.get('/images', { tagValues: ['prod', 'nope'] })), [copy]);
  t.same(ids(await s.get('/images', { tags: 'imagectl:address=numspot_image.a' })), [reg, copy]);
  t.same(ids(await s.get('/images', { tags: ['env=prod', 'env=dev'] })), [copy]);
  t.same(ids(await s.get('/images', { tags: 'imagectl:address=numspot_image.a', tagValues: 'prod' })), [copy], 'AND across filters');
  t.same(ids(await s.get('/images', { imageNames: ['from vm', RECORDED_BODIES.register.name] })), [reg, vm]);
  t.same(ids(await s.get('/images', { descriptions: 'golden' })), [reg]);
  t.same(ids(await s.get('/images', { states: 'pending' })), [vm]);
  t.same(ids(await s.get('/images', { isPublic: 'false' })), [reg, vm]);
  t.same(ids(await s.get('/images', { isPublic: 'true' })), [copy, ...OFFICIAL], 'the copy of a public image is public');
  t.same(ids(await s.get('/images', { productCodes: 'pty-ce73ebf1' })), [copy, 'ami-0b7df82c']);
  t.same(ids(await s.get('/images', { architectures: 'i386' })), [reg]);
  t.same(ids(await s.get('/images', { blockDeviceMappingSnapshotIds: 'snap-dba42486' })), [reg]);
  t.same(ids(await s.get('/images', { blockDeviceMappingVolumeSizes: ['120', '999'] })), [reg]);
  t.same(ids(await s.get('/images', { blockDeviceMappingVolumeTypes: 'io1', blockDeviceMappingDeleteOnVmDeletion: 'true' })), [reg]);
  t.same(ids(await s.get('/images', { imageType: 'private' })).length, 6, '2026-02 does not know imageType: ignored');
  const bad = await s.get('/images', { isPublic: 'yes', blockDeviceMappingVolumeSizes: 'big' });
  t.equal(bad.status, 400);
  t.same(bad.body.violations.map((v: J) => v.field).sort(), ['blockDeviceMappingVolumeSizes', 'isPublic']);
});

t.test('2026-06: imageIds replaces ids; imageType; no tag filters', async (t) => {
  const sim = await start(t, '2026-06');
  const s = await session(sim);
  const { reg, copy, vm } = await populate(s);
  t.same(ids(await s.get('/images', { imageIds: [reg, copy] })), [reg, copy]);
  t.equal(ids(await s.get('/images', { ids: [reg] })).length, 6, 'ids is no longer a filter: everything comes back');
  t.same(ids(await s.get('/images', { ids: [reg], imageIds: [reg] })), [reg], 'a driver sending both is safe');
  t.same(ids(await s.get('/images', { imageType: 'private' })), [reg, copy, vm]);
  t.same(ids(await s.get('/images', { imageType: 'official' })), ['ami-dc3f861d', 'ami-51459d59'], 'official = without proprietary licence codes');
  t.equal(ids(await s.get('/images', { imageType: 'everything' })).length, 6);
  t.equal(ids(await s.get('/images', { tagKeys: 'env' })).length, 6, 'tag filters are gone in 2026-06');
  t.same(ids(await s.get('/images', { imageType: 'private', states: 'available', imageNames: ['from vm', RECORDED_BODIES.copy.name] })), [copy]);
  t.same((await s.get(`/images/${copy}`)).body.tags, [{ key: 'imagectl:address', value: 'numspot_image.a' }, { key: 'env', value: 'prod' }], 'Image.tags still shows tags');
  t.same(sim.listImages().map((i) => (i as J).id), [reg, copy, vm], 'listImages(): own images only');
});
