import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, urlSource, call, waitTask, image, create } from './fixtures/wire.js';

import { loadNutanixSpec } from '../../helpers/openapi-validator.js';

// Runs the traffic a careful driver would produce (plus the error paths it must survive) and
// checks every recorded request and response against the reconstructed spec.
async function scenario(sim: NutanixSimulator): Promise<void> {
  await call(sim, 'OPTIONS', '/api/vmm/unversioned/info');
  await call(sim, 'GET', '/api/clustermgmt/v4.0/config/clusters');
  await call(sim, 'GET', IMAGES);
  await fetch(`${sim.url}${IMAGES}`);
  await fetch(`${sim.url}${IMAGES}`, { method: 'POST', body: JSON.stringify(image('anon')), headers: { 'ntnx-request-id': 'anon', 'content-type': 'application/json' } });
  await create(sim, { name: '', type: 'CDROM' }, 'rid-invalid');
  await call(sim, 'POST', IMAGES, { body: image('no-rid') });
  await call(sim, 'GET', `${IMAGES}?$limit=500`);

  const full = image('full', {
    type: 'DISK_IMAGE', description: 'all fields',
    checksum: { $objectType: 'vmm.v4.content.ImageSha1Checksum', hexDigest: 'b'.repeat(40) },
    categoryExtIds: ['5e2b7d9a-0c11-4a1b-8c3e-0005f5c61f6d'],
    clusterLocationExtIds: ['0006411c-0286-bc71-9f02-191e334d457b', '00063a1c-a953-2048-0000-000000028f57'],
    source: { $objectType: 'vmm.v4.content.UrlSource', url: 'https://user@example.com/images/full.qcow2', shouldAllowInsecureUrl: true, basicAuth: { $objectType: 'vmm.v4.content.UrlBasicAuth', username: 'u', password: 'p' } },
  });
  const c1 = await create(sim, full, 'rid-full');
  await create(sim, full, 'rid-full');
  const taskPath = `/api/prism/v4.0/config/tasks/${encodeURIComponent(c1.body.data.extId)}`;
  const early = await call(sim, 'GET', taskPath);
  await call(sim, 'GET', `${IMAGES}/${early.body.data.entitiesAffected[0].extId}`);
  const done = await waitTask(sim, c1.body.data.extId);
  const id = done.entitiesAffected[0].extId as string;

  const vm = await create(sim, { name: 'from-vm', type: 'DISK_IMAGE', source: { $objectType: 'vmm.v4.content.VmDiskSource', extId: '3b1a4f2e-7c9d-4e8f-a1b2-c3d4e5f6a7b8' } }, 'rid-vm');
  const lite = await create(sim, { name: 'lite', type: 'ISO_IMAGE', source: { $objectType: 'vmm.v4.content.ObjectsLiteSource', key: 'isos/x.iso' } }, 'rid-lite');
  const failing = await create(sim, { ...image('broken'), source: urlSource('http://mirror.invalid/images/broken.iso') }, 'rid-broken');
  for (const r of [vm, lite, failing]) await waitTask(sim, r.body.data.extId);

  const got = await call(sim, 'GET', `${IMAGES}/${id}`);
  const etag = got.headers.get('etag') ?? '';
  await call(sim, 'GET', `${IMAGES}?$filter=${encodeURIComponent("startswith(name,'f')")}&$orderby=name%20desc&$limit=1&$page=0`);
  await call(sim, 'GET', `${IMAGES}?$page=9`);
  // Not $select: the spec's Image has `required: [name, type]`, so any $select leaving one out
  // produces items the spec rejects. The simulator honours $select (list.test.ts) regardless.
  const body = { ...got.body.data, name: 'full-renamed', $reserved: { $fv: 'v4.r0', ETag: etag } };
  await call(sim, 'PUT', `${IMAGES}/${id}`, { body, headers: { 'ntnx-request-id': 'rid-put-0' } });
  await call(sim, 'PUT', `${IMAGES}/${id}`, { body, headers: { 'ntnx-request-id': 'rid-put-1', 'if-match': 'stale' } });
  await call(sim, 'PUT', `${IMAGES}/${id}`, { body: { ...body, type: 'NOPE' }, headers: { 'ntnx-request-id': 'rid-put-2', 'if-match': etag } });
  const put = await call(sim, 'PUT', `${IMAGES}/${id}`, { body, headers: { 'ntnx-request-id': 'rid-put-3', 'if-match': etag } });
  await waitTask(sim, put.body.data.extId);
  await call(sim, 'GET', `${IMAGES}/${id}`);

  const del = await call(sim, 'DELETE', `${IMAGES}/${id}`, { headers: { 'ntnx-request-id': 'rid-del' } });
  await waitTask(sim, del.body.data.extId);
  await call(sim, 'GET', `${IMAGES}/${id}`);
  await call(sim, 'DELETE', `${IMAGES}/${id}`);
  await call(sim, 'GET', '/api/prism/v4.0/config/tasks/ZXJnb24=:00000000-0000-4000-8000-000000000000');
  await call(sim, 'GET', IMAGES);
}

t.test('every exchange of a full scenario is valid per the reconstructed spec', async (t) => {
  const spec = loadNutanixSpec();
  const sim = await startNutanixSimulator({ taskDurationMs: 60 });
  t.teardown(() => sim.close());
  await scenario(sim);

  const operations = new Set<string>();
  const statuses = new Set<number>();
  let checked = 0;
  for (const ex of sim.exchanges) {
    // clustermgmt is not part of the reconstructed vmm/prism spec.
    if (ex.path.startsWith('/api/clustermgmt/')) continue;
    checked++;
    statuses.add(ex.status);
    const op = spec.findOperation(ex.method, ex.path);
    if (op?.operationId) operations.add(op.operationId);
    const errors = spec.validateExchange(ex);
    const label = `${ex.method} ${ex.path}${Object.keys(ex.query).length ? '?' + new URLSearchParams(ex.query).toString() : ''} → ${ex.status}`;
    // 400/428 answer requests the spec itself rejects; there only the response must conform.
    const allowed = ex.status === 400 || ex.status === 428 ? errors.filter((e) => !e.startsWith('request ')) : errors;
    t.same(allowed, [], label);
    if (ex.status === 400 || ex.status === 428) t.ok(errors.length > 0, `${label}: the spec also rejects this request`);
  }
  t.ok(checked >= 30, `${checked} exchanges checked`);
  t.same([...operations].sort(), ['createImage', 'deleteImageById', 'getImageById', 'getTaskById', 'listImages', 'updateImageById', 'vmmVersionInfo']);
  t.same([...statuses].sort(), [200, 202, 400, 401, 404, 412, 428]);
});

t.test('the contract check can fail: a broken response is caught', async (t) => {
  const spec = loadNutanixSpec();
  const sim = await startNutanixSimulator({ taskDurationMs: 0 });
  t.teardown(() => sim.close());
  await waitTask(sim, (await create(sim, image('x'), 'rid-x')).body.data.extId);
  await call(sim, 'GET', IMAGES);
  const list = sim.exchanges[sim.exchanges.length - 1];
  if (!list) throw new Error('nothing recorded');
  t.same(spec.validateExchange(list), []);
  const broken = structuredClone(list);
  (broken.responseBody as J).data[0].type = 'FLOPPY';
  delete (broken.responseBody as J).data[0].name;
  t.ok(spec.validateExchange(broken).length > 0);
});
