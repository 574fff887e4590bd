import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { attributesDigest, createMode, desiredPublic, fromWireImage, toWireCreate } from '../../../src/drivers/numspot/mapping.js';
import type { WireImage } from '../../../src/drivers/numspot/wire.js';
import { loadRecording } from './recorded.js';

const recording = loadRecording();
// By position in the extract (its `id` is the interaction number in the full cassette).
const answer = (index: number) => recording[index]?.responseBody as WireImage;

t.test('a recorded copy answer reads into the snake_case model', async (t) => {
  const img = fromWireImage(answer(2));
  t.equal(img.id, 'ami-1da964b7');
  t.equal(img.name, 'terraform image test');
  t.same(img.attributes, {
    name: 'terraform image test',
    description: '',
    access: { is_public: true },
    architecture: 'x86_64',
    block_device_mappings: [{ device_name: '/dev/sda1', bsu: { delete_on_vm_deletion: true, snapshot_id: 'snap-0d2c7cf7', volume_size: 10, volume_type: 'standard' } }],
    product_codes: ['pty-ce73ebf1', '0001'],
    root_device_name: '/dev/sda1',
    tags: [],
    creation_date: '2024-10-21T19:33:21.964594Z',
    root_device_type: 'bsu',
    state: 'available',
    state_comment: {},
    type: 'machine',
  });
  t.equal(img.owner, undefined, 'no ownership tags, no owner');
  for (const k of ['source_image_id', 'source_region_name', 'vm_id', 'no_reboot']) t.notOk(k in img.attributes, `write-only ${k} is never read`);
});

t.test('a recorded register answer keeps iops and the server default architecture', async (t) => {
  const img = fromWireImage(answer(144));
  t.equal(img.attributes['architecture'], 'i386');
  t.same(img.attributes['block_device_mappings'], [
    { device_name: '/dev/sda1', bsu: { delete_on_vm_deletion: true, iops: 150, snapshot_id: 'snap-dba42486', volume_size: 120, volume_type: 'io1' } },
  ]);
});

t.test('ownership tags leave attributes and become the owner', async (t) => {
  const w: WireImage = {
    ...answer(133),
    tags: [
      { key: 'imagectl:lineage', value: 'L-1' },
      { key: 'zeta', value: 'z' },
      { key: 'imagectl:address', value: 'eu.base' },
      { key: 'Name', value: 'n' },
    ],
    stateComment: { stateCode: 'Server.Error', stateMessage: 'disk copy failed' },
  };
  const img = fromWireImage(w);
  t.same(img.attributes['tags'], [{ key: 'Name', value: 'n' }, { key: 'zeta', value: 'z' }], 'user tags only, sorted by key');
  t.same(img.owner, { address: 'eu.base', lineage: 'L-1' });
  t.same(img.attributes['state_comment'], { state_code: 'Server.Error', state_message: 'disk copy failed' });
});

t.test('etag is a digest of the attributes: stable across key and tag order, sensitive to values', async (t) => {
  const a = fromWireImage({ id: 'ami-00000001', name: 'x', tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
  const b = fromWireImage({ tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }], name: 'x', id: 'ami-00000001' });
  const c = fromWireImage({ id: 'ami-00000001', name: 'x', tags: [{ key: 'a', value: '9' }, { key: 'b', value: '2' }] });
  t.equal(a.etag, b.etag);
  t.not(a.etag, c.etag);
  t.equal(a.etag, attributesDigest(a.attributes));
  const owned = fromWireImage({ id: 'ami-00000001', name: 'x', tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'imagectl:lineage', value: 'L' }] });
  t.equal(owned.etag, a.etag, 'ownership tags do not change the etag (they are not attributes)');
});

t.test('etag is computed on first read only, yet behaves as a plain property', async (t) => {
  const img = fromWireImage({ id: 'ami-00000001', name: 'x', tags: [{ key: 'a', value: '1' }] });
  const d = Object.getOwnPropertyDescriptor(img, 'etag');
  t.ok(d?.get, 'an accessor: listing 5,000 images does not hash them all');
  t.ok(d?.enumerable);
  const digest = attributesDigest(img.attributes);
  t.equal(img.etag, digest);
  t.equal(img.etag, digest, 'the same value on every read');
  t.equal(JSON.parse(JSON.stringify(img)).etag, digest, 'serialised like a plain property');
  t.equal({ ...img }.etag, digest, 'copied by a spread');
  img.etag = 'sha256:other';
  t.equal(img.etag, 'sha256:other', 'an assignment replaces it');
});

t.test('an image without an id is a transient error, never an empty image', async (t) => {
  t.throws(() => fromWireImage({ name: 'x' }), DriverError);
});

t.test('one POST body per mode, with no keys of the other modes', async (t) => {
  t.same(toWireCreate({ name: 'copy', source_image_id: 'ami-0b7df82c', source_region_name: 'cloudgouv-eu-west-1' }), {
    name: 'copy', sourceImageId: 'ami-0b7df82c', sourceRegionName: 'cloudgouv-eu-west-1',
  });
  t.same(toWireCreate({ name: 'copy', source_image_id: 'ami-0b7df82c' }, 'eu-west-2'), { name: 'copy', sourceImageId: 'ami-0b7df82c', sourceRegionName: 'eu-west-2' }, 'the provider region is the default source region');
  t.same(toWireCreate({ name: 'copy', source_image_id: 'ami-0b7df82c' }), { name: 'copy', sourceImageId: 'ami-0b7df82c' }, 'no region anywhere: the key is left out');
  t.same(toWireCreate({ name: 'vm', vm_id: 'i-f2f6a5b3', no_reboot: true, description: 'd', product_codes: ['pty-1'] }), {
    name: 'vm', description: 'd', productCodes: ['pty-1'], vmId: 'i-f2f6a5b3', noReboot: true,
  });
  t.same(toWireCreate({ name: 'vm', vm_id: 'i-f2f6a5b3' }), { name: 'vm', vmId: 'i-f2f6a5b3' }, 'no empty productCodes / blockDeviceMappings');
  t.same(
    toWireCreate({
      name: 'reg', root_device_name: '/dev/sda1', architecture: 'x86_64',
      block_device_mappings: [{ device_name: '/dev/sda1', bsu: { snapshot_id: 'snap-dba42486', volume_size: 120, volume_type: 'io1', iops: 150, delete_on_vm_deletion: true } }],
    }),
    {
      name: 'reg', rootDeviceName: '/dev/sda1', architecture: 'x86_64',
      blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 120, volumeType: 'io1', iops: 150, deleteOnVmDeletion: true } }],
    },
  );
});

t.test('malformed desired fields fail definitively before any call', async (t) => {
  const bad = (fields: Record<string, unknown>, re: RegExp) => {
    const e = (() => { try { toWireCreate(fields as never); } catch (err) { return err; } return undefined; })();
    t.ok(e instanceof DriverError && e.kind === 'invalid' && e.definitive && re.test(e.message), `${JSON.stringify(fields)} → ${String(e)}`);
  };
  bad({ name: 'x' }, /exactly one creation mode/);
  bad({ name: 'x', vm_id: 'i-1', source_image_id: 'ami-1' }, /exactly one creation mode/);
  bad({ name: 'x', vm_id: { ref: 'a.id' } }, /vm_id must be a string/);
  bad({ name: 'x', block_device_mappings: [] }, /non-empty/);
  bad({ name: 'x', block_device_mappings: [{ bsu: { volume_size: '10' } }] }, /volume_size must be an integer/);
  bad({ source_image_id: 'ami-1' }, /name is required/);
  t.equal(createMode({ vm_id: 'i-1' }), 'vm');
});

t.test('access: declared or not', async (t) => {
  t.equal(desiredPublic({}), undefined);
  t.equal(desiredPublic({ access: {} }), undefined);
  t.equal(desiredPublic({ access: { is_public: false } }), false);
  t.throws(() => desiredPublic({ access: { is_public: 'yes' } }), DriverError);
});
