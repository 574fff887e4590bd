// create in each mode against the simulator: one POST per mode, one PATCH of tags with the
// ownership tags, the id journaled at once, polling through pending, attributes read back.
import t from 'tap';
import { calls, harness, LINEAGE, opContext, raw, simTags } from './sim-session.js';

t.test('copy an official image: tags declared + ownership tags, attributes without them', async (t) => {
  const { sim, session } = await harness(t, { settings: { region: 'cloudgouv-eu-west-1' } });
  const ctx = opContext('eu.base-copy');
  const img = await session.create({ fields: { name: 'base-copy', source_image_id: 'ami-0b7df82c', tags: [{ key: 'Name', value: 'My Image' }] } }, ctx);
  t.match(img.id, /^ami-[0-9a-f]{8}$/);
  t.same(ctx.tasks, [img.id], 'the image id is journaled as the task id');
  t.equal(img.attributes['name'], 'base-copy');
  t.equal(img.attributes['state'], 'available');
  t.same(img.attributes['tags'], [{ key: 'Name', value: 'My Image' }], 'ownership tags are not attributes');
  t.same(img.owner, { address: 'eu.base-copy', lineage: LINEAGE });
  t.same(simTags(sim, img.id), [
    { key: 'Name', value: 'My Image' },
    { key: 'imagectl:address', value: 'eu.base-copy' },
    { key: 'imagectl:lineage', value: LINEAGE },
  ]);
  for (const k of ['source_image_id', 'source_region_name', 'vm_id', 'no_reboot']) t.notOk(k in img.attributes);
  const post = sim.exchanges.find((e) => e.method === 'POST' && e.path.endsWith('/images'));
  t.same(post?.body, { name: 'base-copy', sourceImageId: 'ami-0b7df82c', sourceRegionName: 'cloudgouv-eu-west-1' }, 'the provider region fills source_region_name');
  t.same(calls(sim).filter((c) => !c.startsWith('POST /iam')), ['POST /images', 'PATCH /bulk/tags', 'GET /images']);
  t.equal(sim.exchanges.at(-1)?.query['ids'], img.id, 'the poll reads the image by id, in a list');
  t.ok(img.etag?.startsWith('sha256:'));
});

t.test('from a VM: pending, then available, with progress reported', async (t) => {
  const { sim, session } = await harness(t, { sim: { pendingMs: 150 } });
  const ctx = opContext('eu.from-vm');
  const img = await session.create({ fields: { name: 'from-vm', vm_id: 'i-f2f6a5b3', no_reboot: true, description: 'built' } }, ctx);
  t.equal(img.attributes['state'], 'available');
  t.equal(img.attributes['description'], 'built');
  t.ok(ctx.progress.some((p) => /pending/.test(p.message)), 'progress while pending');
  const gets = sim.exchanges.filter((e) => e.method === 'GET' && e.query['ids'] === img.id);
  t.ok(gets.length >= 2, `polled ${gets.length} times`);
  t.ok(gets.every((e) => e.headers['cache-control'] === 'no-cache'), 'every poll bypasses caches');
  const post = sim.exchanges.find((e) => e.method === 'POST' && e.path.endsWith('/images'));
  t.same(post?.body, { name: 'from-vm', description: 'built', vmId: 'i-f2f6a5b3', noReboot: true });
});

t.test('images pending at the same time are read together: one ReadImages by ids, never one GET each', async (t) => {
  const { sim, session } = await harness(t, { sim: { pendingMs: 200 }, tuning: { poll: { minMs: 50, fineMs: 20, ratio: 0.1, maxMs: 100, lead: 0.9 } } });
  const names = ['batch-a', 'batch-b', 'batch-c', 'batch-d'];
  const images = await Promise.all(names.map((name) => session.create({ fields: { name, vm_id: 'i-f2f6a5b3' } }, opContext(`eu.${name}`))));
  t.ok(images.every((i) => i.attributes['state'] === 'available'));
  const reads = sim.exchanges.filter((e) => e.method === 'GET' && /\/images(\/|$)/.test(e.path));
  t.ok(reads.every((e) => e.path.endsWith('/images')), 'no image read by id');
  const widest = Math.max(...reads.map((e) => e.queryAll?.['ids']?.length ?? 0));
  t.ok(widest >= 2, `one read named ${widest} of the 4 images`);
  t.same(reads.map((e) => e.queryAll?.['imageIds']), reads.map((e) => e.queryAll?.['ids']), 'under both filter names (2026-02 ids, 2026-06 imageIds)');
});

t.test('an image left out of a list read is read by id before it counts as gone', async (t) => {
  const { sim, session } = await harness(t, { sim: { pendingMs: 300 } });
  const ctx = opContext('eu.vanishing');
  ctx.on_task = (id) => {
    ctx.tasks.push(id);
    setTimeout(() => void raw(sim, 'DELETE', `/images/${id}`), 50);
  };
  const err = await session.create({ fields: { name: 'vanishing', vm_id: 'i-f2f6a5b3' } }, ctx).catch((e: unknown) => e);
  t.match(err, { kind: 'failed', definitive: true, message: /disappeared while waiting/ });
  t.ok(sim.exchanges.some((e) => e.method === 'GET' && e.path.endsWith(`/images/${ctx.tasks[0]}`) && e.status === 404), 'the 404 by id settled it');
});

t.test('register from a seeded snapshot', async (t) => {
  const { sim, session } = await harness(t);
  const bdm = [{ device_name: '/dev/sda1', bsu: { snapshot_id: 'snap-dba42486', volume_size: 120, volume_type: 'io1', iops: 150, delete_on_vm_deletion: true } }];
  const img = await session.create({ fields: { name: 'registered', block_device_mappings: bdm, root_device_name: '/dev/sda1' } }, opContext('eu.reg'));
  t.equal(img.attributes['architecture'], 'i386', 'server default');
  t.same(img.attributes['block_device_mappings'], bdm);
  const post = sim.exchanges.find((e) => e.method === 'POST' && e.path.endsWith('/images'));
  t.same(post?.body, {
    name: 'registered', rootDeviceName: '/dev/sda1',
    blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 120, volumeType: 'io1', iops: 150, deleteOnVmDeletion: true } }],
  });
});

t.test('access declared on create: PUT only when it differs from what the image has', async (t) => {
  const { sim, session } = await harness(t);
  const priv = await session.create({ fields: { name: 'copy-private', source_image_id: 'ami-dc3f861d', access: { is_public: false } } }, opContext('eu.a'));
  t.same(priv.attributes['access'], { is_public: false }, 'the public source copy was made private');
  const puts = sim.exchanges.filter((e) => e.method === 'PUT');
  t.same(puts.map((e) => e.body), [{ accessCreation: { removals: { isPublic: true } } }]);
  const vm = await session.create({ fields: { name: 'vm-private', vm_id: 'i-f2f6a5b3', access: { is_public: false } } }, opContext('eu.b'));
  t.same(vm.attributes['access'], { is_public: false });
  t.equal(sim.exchanges.filter((e) => e.method === 'PUT').length, 1, 'already private: no PUT');
});

t.test('a name already taken: definitive conflict that says who holds it', async (t) => {
  const { session } = await harness(t);
  const first = await session.create({ fields: { name: 'taken', source_image_id: 'ami-dc3f861d' } }, opContext('eu.taken'));
  const e = await session.create({ fields: { name: 'taken', source_image_id: 'ami-dc3f861d' } }, opContext('eu.taken')).catch((err: unknown) => err);
  t.match(e, { kind: 'conflict', definitive: true, status: 409 });
  t.match((e as Error).message, /an image named "taken" already exists/);
  t.match((e as Error).message, new RegExp(`ownership tags for eu\\.taken from this state.*imagectl import eu\\.taken ${first.id}`));
  const other = await session.create({ fields: { name: 'taken', source_image_id: 'ami-dc3f861d' } }, opContext('eu.other')).catch((err: unknown) => err);
  t.match((other as Error).message, /ownership tags of another image \(eu\.taken\)/);
});

t.test('an unknown source is a definitive invalid error with the API title and detail', async (t) => {
  const { sim, session } = await harness(t);
  const e = await session.create({ fields: { name: 'nope', vm_id: 'i-00000000' } }, opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'invalid', definitive: true, status: 400 });
  t.match((e as Error).message, /POST \/compute\/spaces\/.*\/images: HTTP 400: InvalidResource: The VmId 'i-00000000' doesn't exist/);
  t.same(sim.listImages(), [], 'nothing created');
});
