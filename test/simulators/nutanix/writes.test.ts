import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, urlSource, call, waitTask, image, create } from './fixtures/wire.js';


t.test('a replayed NTNX-Request-Id returns the same task and creates nothing new', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 50 });
  t.teardown(() => sim.close());
  const first = await create(sim, image('one'), 'rid-1');
  const again = await create(sim, image('one'), 'rid-1');
  t.equal(first.status, 202);
  t.equal(again.status, 202);
  t.equal(again.body.data.extId, first.body.data.extId);
  await waitTask(sim, first.body.data.extId);
  const late = await create(sim, image('one'), 'rid-1');
  t.equal(late.body.data.extId, first.body.data.extId, 'also after the task finished');
  await new Promise((r) => setTimeout(r, 80));
  t.equal(sim.listImages().length, 1, 'exactly one image');

  const id = (sim.listImages()[0] as J).extId as string;
  const got = await call(sim, 'GET', `${IMAGES}/${id}`);
  const etag = got.headers.get('etag') ?? '';
  const hdr = { 'ntnx-request-id': 'rid-put', 'if-match': etag };
  const put = await call(sim, 'PUT', `${IMAGES}/${id}`, { body: { ...got.body.data, name: 'renamed' }, headers: hdr });
  await waitTask(sim, put.body.data.extId);
  const putAgain = await call(sim, 'PUT', `${IMAGES}/${id}`, { body: { ...got.body.data, name: 'renamed' }, headers: hdr });
  t.equal(putAgain.status, 202, 'a PUT retry after the ETag rotated is not a 412');
  t.equal(putAgain.body.data.extId, put.body.data.extId);

  const del = await call(sim, 'DELETE', `${IMAGES}/${id}`, { headers: { 'ntnx-request-id': 'rid-del' } });
  await waitTask(sim, del.body.data.extId);
  const delAgain = await call(sim, 'DELETE', `${IMAGES}/${id}`, { headers: { 'ntnx-request-id': 'rid-del' } });
  t.equal(delAgain.status, 202, 'a DELETE retry after the image is gone is not a 404');
  t.equal(delAgain.body.data.extId, del.body.data.extId);

  const noRid = await call(sim, 'POST', IMAGES, { body: image('two') });
  t.equal(noRid.status, 400);
  t.match(noRid.body.data.error, { $objectType: 'vmm.v4.error.SchemaValidationError', statusCode: 400, validationErrorMessages: [{ location: 'header', attributePath: 'NTNX-Request-Id' }] });
});

t.test('POST body validation → 400 SchemaValidationError', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 0 });
  t.teardown(() => sim.close());
  const cases: [string, unknown, string][] = [
    ['empty name', image(''), 'name'],
    ['long name', image('x'.repeat(257)), 'name'],
    ['bad type', { ...image('a'), type: 'FLOPPY' }, 'type'],
    ['no type', { name: 'a', source: urlSource('http://h/a/b.iso') }, 'type'],
    ['no source', { name: 'a', type: 'ISO_IMAGE' }, 'source'],
    ['source without $objectType', { ...image('a'), source: { url: 'http://h/x/a.iso' } }, 'source.$objectType'],
    ['bad url', { ...image('a'), source: urlSource('not a url') }, 'source.url'],
    ['sha1 with 64 hex', image('a', { checksum: { $objectType: 'vmm.v4.content.ImageSha1Checksum', hexDigest: 'a'.repeat(64) } }), 'checksum.hexDigest'],
    ['sha256 with 40 hex', image('a', { checksum: { $objectType: 'vmm.v4.content.ImageSha256Checksum', hexDigest: 'a'.repeat(40) } }), 'checksum.hexDigest'],
    ['checksum kind', image('a', { checksum: { $objectType: 'md5', hexDigest: 'a' } }), 'checksum.$objectType'],
    ['vm disk extId', { ...image('a'), source: { $objectType: 'vmm.v4.content.VmDiskSource', extId: 'nope' } }, 'source.extId'],
    ['objects key', { ...image('a'), source: { $objectType: 'vmm.v4.content.ObjectsLiteSource', key: '' } }, 'source.key'],
    ['cluster uuid', image('a', { clusterLocationExtIds: ['PHX-POC01'] }), 'clusterLocationExtIds[0]'],
    ['basic auth without password', { ...image('a'), source: { ...urlSource('http://h/x/a.iso'), basicAuth: { username: 'u' } } }, 'source.basicAuth.password'],
    ['description too long', image('a', { description: 'd'.repeat(1001) }), 'description'],
  ];
  for (const [label, body, attr] of cases) {
    const r = await create(sim, body, `rid-${label}`);
    t.equal(r.status, 400, label);
    t.equal(r.body.$objectType, 'vmm.v4.content.CreateImageApiResponse', `${label}: operation wrapper`);
    t.equal(r.body.data.$objectType, 'vmm.v4.error.ErrorResponse');
    t.ok(r.body.data.error.validationErrorMessages.some((m: J) => m.attributePath === attr && m.location === 'body'), `${label}: names ${attr}`);
  }
  const raw = await fetch(sim.url + IMAGES, { method: 'POST', body: '{not json', headers: { authorization: 'Basic ' + Buffer.from('admin:nutanix/4u').toString('base64'), 'ntnx-request-id': 'rid-raw' } });
  t.equal(raw.status, 400, 'malformed JSON');
  t.same(sim.listImages(), [], 'nothing created by rejected requests');

  // A rejected request id is not burnt: the client may fix the body and retry with it.
  t.equal((await create(sim, image('fixed'), 'rid-empty name')).status, 202);
});

t.test('unknown keys, $reserved, $objectType and $unknownFields are ignored; objects-lite becomes a UrlSource', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 0 });
  t.teardown(() => sim.close());
  const body = {
    $objectType: 'vmm.v4.content.Image', $reserved: { $fv: 'v4.r2' }, $unknownFields: { x: 1 }, futureField: true,
    name: 'lite', type: 'DISK_IMAGE', categoryExtIds: ['5e2b7d9a-0c11-4a1b-8c3e-0005f5c61f6d'],
    source: { $objectType: 'vmm.v4.content.ObjectsLiteSource', $reserved: { $fv: 'v4.r0' }, $sourceItemDiscriminator: 'x', key: 'dir/disk.qcow2' },
    checksum: { $objectType: 'vmm.v4.content.ImageSha1Checksum', $reserved: {}, hexDigest: 'A'.repeat(40) },
  };
  const r = await create(sim, body, 'rid-lite');
  t.equal(r.status, 202);
  t.equal((await waitTask(sim, r.body.data.extId)).status, 'SUCCEEDED');
  const [img] = sim.listImages() as J[];
  t.equal(img.source.$objectType, 'vmm.v4.content.UrlSource');
  t.match(img.source.url, /objects.*dir%2Fdisk\.qcow2$/);
  t.same(img.categoryExtIds, body.categoryExtIds);
  t.notOk('futureField' in img);
  t.notOk('$unknownFields' in img);
  t.notOk('placementPolicyStatus' in img, 'no placement without clusterLocationExtIds');
});
