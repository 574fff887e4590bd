// The Numspot driver under the wire-mapping test: create.ts and update.ts against a fake client
// that records every call (the POST, the tag calls, the access PUT), mapping.ts reading an image
// that has it all. Tags and access travel in calls of their own, merged here into one wire image.
import type { NumspotClient } from '../../../src/drivers/numspot/client.js';
import { createImage } from '../../../src/drivers/numspot/create.js';
import type { OpsDeps } from '../../../src/drivers/numspot/deps.js';
import { fromWireImage, numspotWireMapping } from '../../../src/drivers/numspot/mapping.js';
import { updateImage } from '../../../src/drivers/numspot/update.js';
import type { ImagePoller } from '../../../src/drivers/numspot/wait.js';
import type { WireCreateImage, WireImage, WireTagsBody, WireUpdateImage } from '../../../src/drivers/numspot/wire.js';
import type { JsonObject } from '../../../src/util/json.js';
import type { WireProbe } from '../wire-probe.js';

const ctx = { address: 's.probe', idempotency_key: 'k', lineage: '7d3f0c1e-5b2a-4c8d-9e6f-0a1b2c3d4e5f' };
const ID = 'ami-0000000a';

/** Every field the schema lets a user set, spread over the three creation modes. */
const COMMON: JsonObject = { name: 'probe', description: 'all fields', product_codes: ['pty-1'], tags: [{ key: 'env', value: 'prod' }], access: { is_public: true } };
const DESIRED: JsonObject[] = [
  { ...COMMON, source_image_id: 'ami-0000000b', source_region_name: 'eu-west-2' },
  { ...COMMON, vm_id: 'i-0000000c', no_reboot: true },
  {
    ...COMMON,
    block_device_mappings: [{ device_name: '/dev/sda1', bsu: { delete_on_vm_deletion: false, iops: 100, snapshot_id: 'snap-0000000d', volume_size: 10, volume_type: 'io1' } }],
    root_device_name: '/dev/sda1',
    architecture: 'x86_64',
  },
];

/** The image before an update: its tags and access differ from COMMON's. */
const CURRENT: WireImage = { id: ID, name: 'probe', state: 'available', access: { isPublic: false }, tags: [{ key: 'env', value: 'dev' }] };

/** A server that returns every key, echoing even the write-only inputs it never should. */
const FULL = {
  ...CURRENT,
  description: 'd',
  architecture: 'x86_64',
  blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { deleteOnVmDeletion: true, iops: 100, snapshotId: 'snap-0000000d', volumeSize: 10, volumeType: 'io1' } }],
  productCodes: ['0001'],
  rootDeviceName: '/dev/sda1',
  creationDate: '2026-01-01T00:00:00Z',
  rootDeviceType: 'bsu',
  stateComment: { stateCode: 'c', stateMessage: 'm' },
  type: 'machine',
  tags: [{ key: 'env', value: 'dev' }, { key: 'imagectl:address', value: 's.probe' }],
  sourceImageId: 'ami-0000000b',
  sourceRegionName: 'eu-west-2',
  vmId: 'i-0000000c',
  noReboot: true,
} as WireImage;

/** A fake session whose calls land in `wire` as the keys of the API's image they carry. */
function deps(wire: JsonObject): OpsDeps {
  const available = { id: ID, state: 'available' };
  const tags = async (body: WireTagsBody) => {
    wire['tags'] = [...((wire['tags'] as JsonObject[] | undefined) ?? []), ...body.tags.map((tag) => ({ ...tag }))];
  };
  const client = {
    createImage: async (body: WireCreateImage) => {
      Object.assign(wire, structuredClone(body));
      return { status: 201, body: { id: ID } };
    },
    createTags: tags,
    deleteTags: tags,
    updateImage: async (_id: string, body: WireUpdateImage) => {
      wire['access'] = { isPublic: body.accessCreation.additions?.isPublic === true };
      return { status: 'updated', image: { ...CURRENT, access: wire['access'] } };
    },
    getImage: async () => ({ found: true, image: structuredClone(CURRENT) }),
    imagePath: (id: string) => `/images/${id}`,
  } as unknown as NumspotClient;
  const images = { wait: async (req: { check: (got: unknown) => unknown }) => req.check({ found: true, image: available }) } as unknown as ImagePoller;
  const poll = { minMs: 1, fineMs: 1, ratio: 0.1, maxMs: 1, lead: 0.9 };
  return { client, images, poll, pendingTimeoutMs: 1000, conflictRetryMs: 0, now: () => 0 };
}

export const numspotProbe: WireProbe = {
  mapping: numspotWireMapping,
  async creates() {
    const out: JsonObject[] = [];
    for (const fields of DESIRED) {
      const wire: JsonObject = {};
      await createImage(deps(wire), { fields }, ctx);
      out.push(wire);
    }
    return out;
  },
  read: () => fromWireImage(FULL),
  async updateSends(field) {
    const wire: JsonObject = {};
    await updateImage(deps(wire), { id: ID, fields: COMMON, changed: [field] }, ctx);
    return Object.keys(wire).map((k) => `/${k}`);
  },
};
