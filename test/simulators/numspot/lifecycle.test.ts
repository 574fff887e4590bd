import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { RECORDED_BODIES, session, sleep, waitState, type J } from './client.js';

t.test('from a VM: pending for pendingMs, then available; copy and register at once', async (t) => {
  // A wide pending window: the assertions below must all land inside it even on a loaded machine.
  const sim = await startNumspotSimulator({ pendingMs: 3000 });
  t.teardown(() => sim.close());
  const s = await session(sim);
  const vm = await s.post('/images', RECORDED_BODIES.vm);
  t.equal(vm.body.state, 'pending');
  const tagged = await s.patch('/bulk/tags', { resourceIds: [vm.body.id], tags: [{ key: 'name', value: 'Terraform-Test-Image' }] });
  t.equal(tagged.status, 204, 'tagging while pending is allowed (recorded)');
  const put = await s.put(`/images/${vm.body.id}`, { accessCreation: { additions: { isPublic: true } } });
  t.match(put.body, { state: 'pending', access: { isPublic: true }, tags: [{ key: 'name', value: 'Terraform-Test-Image' }] }, 'PUT while pending still shows pending (recorded)');
  t.equal((await s.get(`/images/${vm.body.id}`)).body.state, 'pending');
  t.same((await s.get('/images', { states: 'pending' })).body.items.map((i: J) => i.id), [vm.body.id]);
  await sleep(3100);
  const got = await s.get(`/images/${vm.body.id}`);
  t.match(got.body, { state: 'available', stateComment: {} });
  t.equal(got.body.creationDate, vm.body.creationDate, 'creationDate is stable');
  for (const body of [RECORDED_BODIES.register, { ...RECORDED_BODIES.copy, name: 'copied' }]) t.equal((await s.post('/images', body)).body.state, 'available');
});

t.test('failNextImages: the next n images go pending → failed with a stateComment', async (t) => {
  const sim = await startNumspotSimulator({ pendingMs: 60 });
  t.teardown(() => sim.close());
  const s = await session(sim);
  sim.failNextImages(2, 'Snapshot of the root volume failed');
  const a = await s.post('/images', { name: 'fail a', vmId: 'i-f2f6a5b3' });
  const b = await s.post('/images', { ...RECORDED_BODIES.copy, name: 'fail b' });
  const c = await s.post('/images', { name: 'ok c', vmId: 'i-f2f6a5b3' });
  t.equal(a.body.state, 'pending');
  t.equal(b.body.state, 'pending', 'even a copy is pending before it fails');
  const failed = await waitState(s, a.body.id, 'failed');
  t.same(failed.stateComment, { stateCode: 'Server.InternalError', stateMessage: 'Snapshot of the root volume failed' });
  t.equal((await waitState(s, b.body.id, 'failed')).stateComment.stateMessage, 'Snapshot of the root volume failed');
  t.same((await waitState(s, c.body.id, 'available')).stateComment, {}, 'only the next n fail');
  t.same((await s.get('/images', { states: 'failed' })).body.items.map((i: J) => i.name).sort(), ['fail a', 'fail b']);
  t.equal((await s.del(`/images/${a.body.id}`)).status, 204, 'a failed image can be deleted');
  sim.failNextImages(1);
  const d = await s.post('/images', { name: 'fail d', vmId: 'i-f2f6a5b3' });
  t.match((await waitState(s, d.body.id, 'failed')).stateComment, { stateCode: String, stateMessage: /injected/ }, 'a default message');
});

t.test('stickPending holds images in pending until unstick()', async (t) => {
  const sim = await startNumspotSimulator({ pendingMs: 20 });
  t.teardown(() => sim.close());
  const s = await session(sim);
  sim.stickPending(2);
  const a = await s.post('/images', { name: 'stuck a', vmId: 'i-f2f6a5b3' });
  const b = await s.post('/images', RECORDED_BODIES.register);
  const c = await s.post('/images', { name: 'free c', vmId: 'i-f2f6a5b3' });
  t.equal(b.body.state, 'pending', 'even a register is held');
  await sleep(80);
  t.equal((await s.get(`/images/${a.body.id}`)).body.state, 'pending');
  t.equal((await s.get(`/images/${b.body.id}`)).body.state, 'pending');
  t.equal((await s.get(`/images/${c.body.id}`)).body.state, 'available', 'only the next n stick');
  sim.stickPending(5);
  sim.unstick();
  t.equal((await s.get(`/images/${a.body.id}`)).body.state, 'available');
  t.equal((await s.get(`/images/${b.body.id}`)).body.state, 'available');
  const d = await s.post('/images', { ...RECORDED_BODIES.copy, name: 'after unstick' });
  t.equal(d.body.state, 'available', 'unstick() also cancels the rest of the count');

  sim.failNextImages(1, 'boom');
  sim.stickPending(1);
  const e = await s.post('/images', { name: 'stuck then failed', vmId: 'i-f2f6a5b3' });
  await sleep(60);
  t.equal((await s.get(`/images/${e.body.id}`)).body.state, 'pending');
  sim.unstick();
  t.equal((await s.get(`/images/${e.body.id}`)).body.state, 'failed', 'a stuck doomed image fails once released');
});

t.test('delete: 204, then 404; official images are 403; images keep their snapshots', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const img = await s.post('/images', { ...RECORDED_BODIES.copy });
  await s.patch('/bulk/tags', { resourceIds: [img.body.id], tags: [{ key: 'k', value: 'v' }] });
  const del = await s.del(`/images/${img.body.id}`);
  t.equal(del.status, 204);
  t.equal(del.body, undefined, 'empty body');
  const gone = await s.get(`/images/${img.body.id}`);
  t.equal(gone.status, 404);
  t.equal(gone.headers.get('content-type'), 'application/problem+json');
  t.match(gone.body, { type: /#resource_not_found$/, title: String, detail: new RegExp(img.body.id), instance: `/compute/spaces/${sim.spaceId}/images/${img.body.id}` });
  t.equal((await s.del(`/images/${img.body.id}`)).status, 404, 'deleting twice is 404');
  t.same((await s.get('/tags', { resourceIds: img.body.id })).body.items, [], 'its tags went with it');
  t.equal((await s.get(`/snapshots/${img.body.blockDeviceMappings[0].bsu.snapshotId}`)).status, 200, 'its snapshot stays');
  const official = await s.del('/images/ami-dc3f861d');
  t.equal(official.status, 403);
  t.match(official.body, { type: /#forbidden$/, detail: /official/ });
  t.equal((await s.get('/images/ami-dc3f861d')).status, 200, 'official images are readable from the space');
});
