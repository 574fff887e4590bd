import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, urlSource, call, waitTask, image, create } from './fixtures/wire.js';


t.test('failed tasks: FAILED with errorMessages, no image', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 30 });
  t.teardown(() => sim.close());
  const bad = await create(sim, { ...image('x'), source: urlSource('https://mirror.example.invalid/images/x.iso') }, 'rid-bad-url');
  t.equal(bad.status, 202, 'download problems are found asynchronously');
  const failed = await waitTask(sim, bad.body.data.extId);
  t.equal(failed.status, 'FAILED');
  t.equal(failed.progressPercentage, 100);
  t.match(failed.completedTime, /Z$/);
  t.match(failed.errorMessages, [{ $objectType: 'prism.v4.error.AppMessage', code: 'VMM-30100', severity: 'ERROR', locale: 'en_US', message: /mirror\.example\.invalid/ }]);
  t.notOk('entitiesAffected' in failed, 'a failed create names no image');

  const bad2 = await create(sim, { ...image('y'), source: urlSource('http://fail.example.com/images/y.iso') }, 'rid-fail-host');
  t.equal((await waitTask(sim, bad2.body.data.extId)).status, 'FAILED');

  const unknownCluster = await create(sim, image('z', { clusterLocationExtIds: ['99999999-9999-4999-8999-999999999999'] }), 'rid-cluster');
  const uc = await waitTask(sim, unknownCluster.body.data.extId);
  t.equal(uc.errorMessages[0].code, 'VMM-30101');

  sim.failNextTasks(2, 'disk full');
  const f1 = await create(sim, image('a'), 'rid-a');
  const f2 = await create(sim, image('b'), 'rid-b');
  const ok = await create(sim, image('c'), 'rid-c');
  t.equal((await waitTask(sim, f1.body.data.extId)).errorMessages[0].message, 'disk full');
  t.equal((await waitTask(sim, f2.body.data.extId)).status, 'FAILED');
  t.equal((await waitTask(sim, ok.body.data.extId)).status, 'SUCCEEDED', 'only the next n tasks fail');
  t.same((sim.listImages() as J[]).map((i) => i.name), ['c']);

  // Failing an update leaves the image as it was; failing a delete leaves it in place.
  const [c] = sim.listImages() as J[];
  const got = await call(sim, 'GET', `${IMAGES}/${c.extId}`);
  sim.failNextTasks(2);
  const put = await call(sim, 'PUT', `${IMAGES}/${c.extId}`, { body: { ...got.body.data, name: 'c2' }, headers: { 'ntnx-request-id': 'rid-put', 'if-match': got.headers.get('etag') ?? '' } });
  const putTask = await waitTask(sim, put.body.data.extId);
  t.equal(putTask.status, 'FAILED');
  t.ok(putTask.errorMessages.length >= 1);
  const del = await call(sim, 'DELETE', `${IMAGES}/${c.extId}`);
  t.equal((await waitTask(sim, del.body.data.extId)).status, 'FAILED');
  t.same((sim.listImages() as J[]).map((i) => i.name), ['c']);
  t.equal((await call(sim, 'GET', `${IMAGES}/${c.extId}`)).headers.get('etag'), got.headers.get('etag'), 'ETag unchanged by a failed update');
});

t.test('two PUTs with the same ETag: the second task fails instead of overwriting', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 300 });
  t.teardown(() => sim.close());
  await waitTask(sim, (await create(sim, image('race'), 'rid-race')).body.data.extId);
  const [img] = sim.listImages() as J[];
  const got = await call(sim, 'GET', `${IMAGES}/${img.extId}`);
  const etag = got.headers.get('etag') ?? '';
  const a = await call(sim, 'PUT', `${IMAGES}/${img.extId}`, { body: { ...got.body.data, name: 'A' }, headers: { 'ntnx-request-id': 'ra', 'if-match': etag } });
  const b = await call(sim, 'PUT', `${IMAGES}/${img.extId}`, { body: { ...got.body.data, name: 'B' }, headers: { 'ntnx-request-id': 'rb', 'if-match': etag } });
  t.equal((await waitTask(sim, a.body.data.extId)).status, 'SUCCEEDED');
  t.equal((await waitTask(sim, b.body.data.extId)).status, 'FAILED');
  t.equal((sim.listImages()[0] as J).name, 'A');
});

t.test('Basic auth on every call', async (t) => {
  const sim = await startNutanixSimulator({ username: 'ops', password: 'pw' });
  t.teardown(() => sim.close());
  t.equal(sim.username, 'ops');
  const anon = await fetch(`${sim.url}${IMAGES}`);
  t.equal(anon.status, 401);
  t.match(anon.headers.get('www-authenticate'), /^Basic/);
  const body = (await anon.json()) as J;
  t.equal(body.$objectType, 'vmm.v4.content.ListImagesApiResponse');
  t.match(body.data, { $objectType: 'vmm.v4.error.ErrorResponse', error: [{ $objectType: 'vmm.v4.error.AppMessage', severity: 'ERROR' }] });
  const wrong = await fetch(`${sim.url}/api/prism/v4.0/config/tasks/ZXJnb24=:447c5e9e-b7ad-408e-ae4f-82de667ef72e`, { headers: { authorization: 'Basic ' + Buffer.from('admin:nutanix/4u').toString('base64') } });
  t.equal(wrong.status, 401, 'default credentials rejected when others are configured');
  t.equal(((await wrong.json()) as J).data.$objectType, 'prism.v4.error.ErrorResponse');
  const post = await fetch(`${sim.url}${IMAGES}`, { method: 'POST', body: JSON.stringify(image('x')), headers: { 'ntnx-request-id': 'r', authorization: 'Bearer x' } });
  t.equal(post.status, 401);
  t.same(sim.listImages(), [], 'nothing created without auth');
  t.equal((await call(sim, 'GET', IMAGES)).status, 200);
  t.equal((await fetch(`${sim.url}/api/clustermgmt/v4.0/config/clusters`)).status, 401);
});
