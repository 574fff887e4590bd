import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { session, type J } from './client.js';

const ids = (r: { body: J }) => (r.body.items as J[]).map((i) => i.id as string);

t.test('GET /vms and /vms/{id}: seeded VMs, found by tag', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const all = await s.get('/vms');
  t.same(Object.keys(all.body), ['items']);
  t.same(ids(all), ['i-f2f6a5b3', 'i-0c4a7e19']);
  t.same(ids(await s.get('/vms', { tags: 'Name=builder' })), ['i-f2f6a5b3']);
  t.same(ids(await s.get('/vms', { tagKeys: 'Name', tagValues: 'builder' })), ['i-f2f6a5b3']);
  t.same(ids(await s.get('/vms', { tagKeys: 'env' })), ['i-0c4a7e19']);
  t.same(ids(await s.get('/vms', { vmStateNames: 'running' })), ['i-f2f6a5b3']);
  t.same(ids(await s.get('/vms', { ids: ['i-0c4a7e19', 'i-00000000'] })), ['i-0c4a7e19']);
  t.same(ids(await s.get('/vms', { vmStateCodes: '80' })), ['i-0c4a7e19']);
  t.equal((await s.get('/vms', { vmStateCodes: 'x' })).status, 400);
  const one = await s.get('/vms/i-f2f6a5b3');
  t.match(one.body, { id: 'i-f2f6a5b3', state: 'running', tags: [{ key: 'Name', value: 'builder' }], architecture: 'x86_64', rootDeviceName: '/dev/sda1', type: String, placement: { availabilityZoneName: String } });
  t.same(one.body, all.body.items[0], 'the same VM both ways');
  t.equal((await s.get('/vms/i-00000000')).status, 404);
  t.equal((await s.get('/vms/ami-dc3f861d')).status, 400, 'the spec pins VM ids to ^i-');
});

t.test('GET /snapshots and /snapshots/{id}: seeded and derived snapshots', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  t.same(ids(await s.get('/snapshots')), ['snap-dba42486', 'snap-3e9b1c07']);
  t.same(ids(await s.get('/snapshots', { descriptions: 'golden-root' })), ['snap-dba42486']);
  t.same(ids(await s.get('/snapshots', { tags: 'Name=golden-root' })), ['snap-dba42486']);
  t.same(ids(await s.get('/snapshots', { volumeSizes: ['20', '30'] })), ['snap-3e9b1c07']);
  t.same(ids(await s.get('/snapshots', { states: 'completed', ids: ['snap-3e9b1c07'] })), ['snap-3e9b1c07']);
  const one = await s.get('/snapshots/snap-dba42486');
  t.match(one.body, { id: 'snap-dba42486', description: 'golden-root', volumeSize: 11, state: 'completed', progress: 100, access: { isPublic: false }, volumeId: /^vol-[0-9a-f]{8}$/, creationDate: /Z$/ });
  t.equal((await s.get('/snapshots/snap-00000000')).status, 404);
  const img = await s.post('/images', { name: 'makes a snapshot', vmId: 'i-0c4a7e19' });
  const snap = img.body.blockDeviceMappings[0].bsu.snapshotId as string;
  t.same(ids(await s.get('/snapshots', { volumeSizes: '20' })), ['snap-3e9b1c07', snap], 'the new snapshot is listed');
  const reg = await s.post('/images', { name: 'from derived', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: snap } }] });
  t.equal(reg.status, 201, 'and can be registered');
});

t.test('a custom seed replaces the default one', async (t) => {
  const sim = await startNumspotSimulator({
    seed: {
      images: [{ id: 'ami-12345678', name: 'Only-One' }],
      vms: [{ id: 'i-12345678', state: 'stopped', tags: [] }],
      snapshots: [],
    },
  });
  t.teardown(() => sim.close());
  const s = await session(sim);
  const img = await s.get('/images/ami-12345678');
  t.match(img.body, { name: 'Only-One', description: '', architecture: 'x86_64', productCodes: ['0001'], access: { isPublic: true }, state: 'available', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: /^snap-/ } }] });
  t.same(ids(await s.get('/vms')), ['i-12345678']);
  t.same(ids(await s.get('/snapshots')), []);
  t.equal(sim.seed.images.length, 1);
  t.equal((await s.post('/images', { name: 'copy', sourceImageId: 'ami-12345678' })).status, 201);
});
