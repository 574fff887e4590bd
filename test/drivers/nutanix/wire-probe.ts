// The Nutanix driver under the wire-mapping test: create.ts and update.ts against a fake client
// that records the body and stops before any task, mapping.ts reading an image that has it all.
import type { NutanixClient } from '../../../src/drivers/nutanix/client.js';
import { createImage } from '../../../src/drivers/nutanix/create.js';
import type { OpsDeps } from '../../../src/drivers/nutanix/deps.js';
import { fromWireImage, nutanixWireMapping } from '../../../src/drivers/nutanix/mapping.js';
import { updateImage } from '../../../src/drivers/nutanix/update.js';
import type { TaskPoller } from '../../../src/drivers/nutanix/wait.js';
import type { WireImage } from '../../../src/drivers/nutanix/wire.js';
import type { JsonObject } from '../../../src/util/json.js';
import { changedKeys, Recorded, untilRecorded, type WireProbe } from '../wire-probe.js';

const UUID = (n: number): string => `${String(n).repeat(8)}-1111-4111-8111-111111111111`;
const ctx = { address: 'n.probe', idempotency_key: UUID(9), lineage: UUID(8) };

/** Every field the schema lets a user set, for each kind of source. */
const DESIRED_URL: JsonObject = {
  name: 'probe',
  type: 'DISK_IMAGE',
  description: 'all fields',
  checksum: { object_type: 'sha256', hex_digest: 'a'.repeat(64) },
  source: { url: 'https://images.example.com/p.img', should_allow_insecure_url: true, basic_auth: { username: 'u', password: 'pw' } },
  category_ext_ids: [UUID(1)],
  cluster_location_ext_ids: [UUID(2)],
};
const DESIRED_DISK: JsonObject = { ...DESIRED_URL, source: { ext_id: UUID(3) } };

/** The image on the server before an update: every in-place field differs from DESIRED_URL. */
const CURRENT: WireImage = {
  $objectType: 'vmm.v4.content.Image',
  extId: UUID(4),
  name: 'old',
  type: 'ISO_IMAGE',
  description: 'old',
  categoryExtIds: [],
  source: { $objectType: 'vmm.v4.content.VmDiskSource', extId: UUID(3) },
  sizeBytes: 1,
};

/** A server that returns every key, echoing even the password it should not. */
const FULL: WireImage = {
  ...CURRENT,
  checksum: { $objectType: 'vmm.v4.content.ImageSha256Checksum', hexDigest: 'b'.repeat(64) },
  source: {
    $objectType: 'vmm.v4.content.UrlSource',
    url: 'https://images.example.com/p.img',
    basicAuth: { $objectType: 'vmm.v4.content.UrlBasicAuth', username: 'u', password: 'pw' },
  },
  categoryExtIds: [UUID(1)],
  clusterLocationExtIds: [UUID(2)],
  createTime: '2026-01-01T00:00:00Z',
  lastUpdateTime: '2026-01-02T00:00:00Z',
  ownerExtId: UUID(5),
  placementPolicyStatus: [{ placementPolicyExtId: UUID(6), complianceStatus: 'COMPLIANT' }],
};

function deps(sent: WireImage[]): OpsDeps {
  const record = (body: WireImage): never => {
    sent.push(structuredClone(body));
    throw new Recorded();
  };
  const client = {
    createImage: async (body: WireImage) => record(body),
    updateImage: async (_id: string, body: WireImage) => record(body),
    getImage: async () => ({ found: true, image: structuredClone(CURRENT), etag: 'e1' }),
  } as unknown as NutanixClient;
  return { client, taskTimeoutMs: 1000, tasks: {} as TaskPoller, updateAttempts: 1 };
}

export const nutanixProbe: WireProbe = {
  mapping: nutanixWireMapping,
  async creates() {
    const sent: WireImage[] = [];
    for (const fields of [DESIRED_URL, DESIRED_DISK]) await untilRecorded(() => createImage(deps(sent), { fields }, ctx));
    return sent as JsonObject[];
  },
  read: () => fromWireImage(FULL, 'e1'),
  async updateSends(field) {
    const sent: WireImage[] = [];
    await untilRecorded(() => updateImage(deps(sent), { id: UUID(4), fields: DESIRED_URL, changed: [field] }, ctx));
    const [body] = sent;
    return body === undefined ? [] : changedKeys(CURRENT as JsonObject, body as JsonObject);
  },
};
