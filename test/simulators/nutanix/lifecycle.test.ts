import { readFileSync } from 'node:fs';
import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, urlSource, call, waitTask } from './fixtures/wire.js';

const RFC3339_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

t.test('create → poll → get → update (428/412) → delete → 404', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 600 });
  t.teardown(() => sim.close());
  const body = {
    name: 'ubuntu-noble', type: 'DISK_IMAGE', description: 'first',
    source: { ...urlSource('https://cloud-images.ubuntu.com/noble/current/noble.img'), basicAuth: { username: 'u', password: 's3cret' } },
    checksum: { $objectType: 'vmm.v4.content.ImageSha256Checksum', hexDigest: 'a'.repeat(64) },
    clusterLocationExtIds: ['0006411c-0286-bc71-9f02-191e334d457b'],
  };
  const created = await call(sim, 'POST', IMAGES, { body, headers: { 'ntnx-request-id': 'req-create-1' } });
  t.equal(created.status, 202);
  t.equal(created.body.$objectType, 'vmm.v4.content.CreateImageApiResponse');
  t.same(created.body.$reserved, { $fv: 'v4.r0' });
  t.equal(created.body.data.$objectType, 'prism.v4.config.TaskReference');
  t.same(created.body.data.$reserved, { $fv: 'v4.r0' });
  t.match(created.body.data.extId, /^ZXJnb24=:[0-9a-f-]{36}$/);
  t.same(created.body.metadata.flags.map((f: J) => [f.name, f.value]), [['hasError', false], ['isPaginated', false], ['isTruncated', false]]);
  const taskId: string = created.body.data.extId;

  // Percent-encoded '=' and ':' must be accepted, as must the raw form.
  const early = await call(sim, 'GET', `/api/prism/v4.0/config/tasks/${encodeURIComponent(taskId)}`);
  t.equal(early.status, 200);
  t.equal(early.body.$objectType, 'prism.v4.config.GetTaskApiResponse');
  t.match(early.body.data.status, /^(QUEUED|RUNNING)$/);
  t.ok(early.body.data.progressPercentage < 100);
  t.equal(early.body.data.completedTime, undefined, 'no completedTime while pending');
  t.equal((await call(sim, 'GET', `/api/prism/v4.0/config/tasks/${taskId}`)).status, 200);
  t.same(sim.listImages(), [], 'not visible before the task succeeded');
  const imageId: string = early.body.data.entitiesAffected[0].extId;
  t.equal((await call(sim, 'GET', `${IMAGES}/${imageId}`)).status, 404, 'GET 404 while the create runs');

  // Poll until RUNNING shows progress beyond the first read (timing-tolerant under a loaded CI).
  let grown: J;
  for (let i = 0; i < 100 && !grown; i++) {
    await new Promise((r) => setTimeout(r, 15));
    const d = (await call(sim, 'GET', `/api/prism/v4.0/config/tasks/${taskId}`)).body.data;
    if (d.status === 'RUNNING' && d.progressPercentage > early.body.data.progressPercentage) grown = d;
  }
  t.ok(grown, 'RUNNING with a growing progressPercentage');
  t.ok(grown?.progressPercentage <= 99);

  const done = await waitTask(sim, taskId);
  t.equal(done.status, 'SUCCEEDED');
  t.equal(done.progressPercentage, 100);
  t.match(done.completedTime, RFC3339_MICROS);
  t.equal(done.operation, 'kImageCreate');
  t.same(done.entitiesAffected[0], { $reserved: { $fv: 'v4.r0' }, $objectType: 'prism.v4.config.EntityReference', extId: imageId, rel: 'vmm:content:image', name: 'ubuntu-noble' });

  const got = await call(sim, 'GET', `${IMAGES}/${imageId}`);
  t.equal(got.status, 200);
  const etag1 = got.headers.get('etag');
  t.match(etag1, /^[A-Za-z0-9+/=]+$/, 'opaque base64 ETag header');
  const img = got.body.data;
  t.equal(got.body.$objectType, 'vmm.v4.content.GetImageApiResponse');
  t.equal(img.$objectType, 'vmm.v4.content.Image');
  t.same(img.$reserved, { $fv: 'v4.r0' });
  t.equal(img.ownerExtId, '00000000-0000-0000-0000-000000000000');
  t.ok(Number.isInteger(img.sizeBytes) && img.sizeBytes > 0);
  t.match(img.createTime, RFC3339_MICROS);
  t.match(img.lastUpdateTime, RFC3339_MICROS);
  t.same(img.source, { $reserved: { $fv: 'v4.r0' }, $objectType: 'vmm.v4.content.UrlSource', url: body.source.url, shouldAllowInsecureUrl: false }, 'basicAuth never returned');
  t.notOk(JSON.stringify(got.body).includes('s3cret'));
  t.equal(img.checksum.$objectType, 'vmm.v4.content.ImageSha256Checksum');
  t.match(img.placementPolicyStatus, [{ complianceStatus: 'COMPLIANT', enforcementMode: 'ENFORCING' }]);
  t.equal(img.placementPolicyStatus.length, 1);
  t.notOk('categoryExtIds' in img, 'absent fields omitted, not null');
  t.notOk(got.headers.has('set-cookie'), 'no cookies');

  // Update: a full GET→edit→PUT with read-only fields and SDK bags left in, as Terraform does it.
  const edited = { ...img, name: 'ubuntu-noble-2', description: 'second', extId: '11111111-1111-1111-1111-111111111111', sizeBytes: 1, $unknownFields: {}, $reserved: { $fv: 'v4.r0', ETag: etag1 } };
  delete edited.checksum;
  const path = `${IMAGES}/${imageId}`;
  const rid = { 'ntnx-request-id': 'req-update-1' };
  t.equal((await call(sim, 'PUT', path, { body: edited, headers: rid })).status, 428, 'If-Match missing');
  const noRid = await call(sim, 'PUT', path, { body: edited, headers: { 'if-match': etag1 ?? '' } });
  t.equal(noRid.status, 400, 'NTNX-Request-Id missing');
  t.equal(noRid.body.data.error.validationErrorMessages[0].attributePath, 'NTNX-Request-Id');
  const stale = await call(sim, 'PUT', path, { body: edited, headers: { ...rid, 'if-match': 'c3RhbGU=' } });
  t.equal(stale.status, 412);
  t.equal(stale.body.$objectType, 'vmm.v4.content.UpdateImageApiResponse');
  t.equal(stale.body.data.$objectType, 'vmm.v4.error.ErrorResponse');
  const put = await call(sim, 'PUT', path, { body: edited, headers: { ...rid, 'if-match': etag1 ?? '' } });
  t.equal(put.status, 202);
  t.equal(put.body.$objectType, 'vmm.v4.content.UpdateImageApiResponse');
  t.equal((await call(sim, 'GET', path)).body.data.name, 'ubuntu-noble', 'applied only when the task succeeds');
  const upd = await waitTask(sim, put.body.data.extId);
  t.equal(upd.status, 'SUCCEEDED');
  t.equal(upd.operation, 'kImageUpdate');
  const after = await call(sim, 'GET', path);
  t.equal(after.body.data.name, 'ubuntu-noble-2');
  t.equal(after.body.data.description, 'second');
  t.equal(after.body.data.extId, imageId, 'read-only extId in the body ignored');
  t.equal(after.body.data.sizeBytes, img.sizeBytes, 'read-only sizeBytes ignored');
  t.notOk('checksum' in after.body.data, 'full replace: the omitted checksum is gone');
  t.not(after.headers.get('etag'), etag1, 'ETag rotates');
  t.ok(after.body.data.lastUpdateTime > img.lastUpdateTime, 'lastUpdateTime moves');
  t.equal(after.body.data.createTime, img.createTime);
  t.equal((await call(sim, 'PUT', path, { body: edited, headers: { 'ntnx-request-id': 'req-update-2', 'if-match': etag1 ?? '' } })).status, 412, 'the old ETag is now stale');

  // Delete: If-Match optional but checked when present.
  t.equal((await call(sim, 'DELETE', path, { headers: { 'if-match': etag1 ?? '' } })).status, 412);
  const del = await call(sim, 'DELETE', path);
  t.equal(del.status, 202);
  t.equal(del.body.$objectType, 'vmm.v4.content.DeleteImageApiResponse');
  t.equal((await call(sim, 'GET', path)).status, 200, 'still there while the delete runs');
  t.equal((await waitTask(sim, del.body.data.extId)).operation, 'kImageDelete');
  const gone = await call(sim, 'GET', path);
  t.equal(gone.status, 404);
  const observed = JSON.parse(readFileSync(new URL('../../../specs/nutanix/examples/get_image_404.observed.v4.1.json', import.meta.url), 'utf8').replaceAll('v4.r1', 'v4.r0'));
  t.same(gone.body, observed, 'the exact VMM-20005 body');
  t.equal((await call(sim, 'DELETE', path)).status, 404);
  t.equal((await call(sim, 'PUT', path, { body: edited, headers: { 'ntnx-request-id': 'req-update-3', 'if-match': 'x' } })).status, 404);
  t.same(sim.listImages(), []);
});

t.test('malformed and unknown ids, unknown routes, version info', async (t) => {
  const sim = await startNutanixSimulator();
  t.teardown(() => sim.close());
  const bad = await call(sim, 'GET', `${IMAGES}/not-a-uuid`);
  t.equal(bad.status, 400);
  t.equal(bad.body.data.error.$objectType, 'vmm.v4.error.SchemaValidationError');
  t.equal(bad.body.data.error.validationErrorMessages[0].location, 'path');
  t.equal((await call(sim, 'DELETE', `${IMAGES}/also-bad`)).status, 400);
  t.equal((await call(sim, 'GET', '/api/prism/v4.0/config/tasks/nope')).status, 400);
  const unknownTask = await call(sim, 'GET', '/api/prism/v4.0/config/tasks/ZXJnb24=:447c5e9e-b7ad-408e-ae4f-82de667ef72e');
  t.equal(unknownTask.status, 404);
  t.equal(unknownTask.body.data.$objectType, 'prism.v4.error.ErrorResponse');
  t.equal(unknownTask.body.$objectType, 'prism.v4.config.GetTaskApiResponse');
  const nowhere = await call(sim, 'GET', '/api/vmm/v4.2/content/images');
  t.equal(nowhere.status, 404);
  t.match(nowhere.body, /^The requested URL was not found on the server/);
  t.equal((await call(sim, 'PATCH', IMAGES)).status, 405);
  const info = await call(sim, 'OPTIONS', '/api/vmm/unversioned/info');
  t.same([info.status, info.body], [200, { data: 'v4.0' }]);
  t.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});
