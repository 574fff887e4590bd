import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { fromWireImage, secretsOf, toWireImage } from '../../../src/drivers/nutanix/mapping.js';
import { buildUpdateBody } from '../../../src/drivers/nutanix/update-body.js';
import type { WireImage } from '../../../src/drivers/nutanix/wire.js';

const SHA256 = 'a'.repeat(64);
const CAT = '11111111-2222-4333-8444-555555555555';
const CLUSTER = '0006411c-0286-bc71-9f02-191e334d457b';

t.test('desired fields to the POST body', async (t) => {
  const body = toWireImage({
    name: 'ubuntu',
    type: 'DISK_IMAGE',
    description: 'noble',
    checksum: { object_type: 'sha256', hex_digest: SHA256 },
    source: { url: 'https://example.com/a.img', basic_auth: { username: 'u', password: 'p4ssw0rd' } },
    category_ext_ids: [CAT],
    cluster_location_ext_ids: [CLUSTER],
  });
  t.same(body, {
    name: 'ubuntu',
    type: 'DISK_IMAGE',
    description: 'noble',
    checksum: { $objectType: 'vmm.v4.content.ImageSha256Checksum', hexDigest: SHA256 },
    source: {
      $objectType: 'vmm.v4.content.UrlSource',
      url: 'https://example.com/a.img',
      shouldAllowInsecureUrl: false,
      basicAuth: { $objectType: 'vmm.v4.content.UrlBasicAuth', username: 'u', password: 'p4ssw0rd' },
    },
    categoryExtIds: [CAT],
    clusterLocationExtIds: [CLUSTER],
  });
  t.same(toWireImage({ name: 'd', type: 'DISK_IMAGE', source: { ext_id: CAT }, checksum: { object_type: 'sha1', hex_digest: 'b'.repeat(40) } }), {
    name: 'd',
    type: 'DISK_IMAGE',
    checksum: { $objectType: 'vmm.v4.content.ImageSha1Checksum', hexDigest: 'b'.repeat(40) },
    source: { $objectType: 'vmm.v4.content.VmDiskSource', extId: CAT },
  });
  t.same(secretsOf({ source: { url: 'x', basic_auth: { username: 'u', password: 'p4ssw0rd' } } }), ['p4ssw0rd']);
  t.same(secretsOf({ name: 'x' }), []);
});

t.test('malformed desired fields fail before any call, definitively', async (t) => {
  for (const fields of [
    { name: 'x', type: 'DISK_IMAGE', category_ext_ids: [{ ref: 'a.id' }] },
    { name: 'x', type: 'DISK_IMAGE', cluster_location_ext_ids: [{ lookup: 'cluster', name: 'c' }] },
    { name: 'x', type: 'DISK_IMAGE', source: {} },
    { name: 'x', type: 'DISK_IMAGE', checksum: { object_type: 'md5', hex_digest: 'aa' } },
    { name: 'x', type: 'DISK_IMAGE', source: { url: 'https://e/x', basic_auth: { username: 'u' } } },
    { type: 'DISK_IMAGE' },
  ]) {
    let err: unknown;
    try {
      toWireImage(fields as never);
    } catch (e) {
      err = e;
    }
    t.ok(err instanceof DriverError && err.kind === 'invalid' && err.definitive, JSON.stringify(fields));
  }
});

const wire: WireImage = {
  $objectType: 'vmm.v4.content.Image',
  $reserved: { $fv: 'v4.r0' },
  extId: 'c13300a6-d246-4d1f-9d0c-64b5dd31c393',
  tenantId: '00000000-0000-0000-0000-000000000001',
  name: 'ubuntu',
  description: 'noble',
  type: 'DISK_IMAGE',
  sizeBytes: 262472192,
  source: {
    $objectType: 'vmm.v4.content.UrlSource',
    url: 'https://example.com/a.img',
    shouldAllowInsecureUrl: true,
    basicAuth: { username: 'u', password: 'echoed-secret' },
  },
  checksum: { $objectType: 'vmm.v4.content.ImageSha256Checksum', hexDigest: SHA256 },
  categoryExtIds: [CAT],
  createTime: '2024-03-25T19:18:16.547125Z',
  lastUpdateTime: '2024-03-25T19:37:02.628625Z',
  ownerExtId: '00000000-0000-0000-0000-000000000000',
  placementPolicyStatus: [
    {
      placementPolicyExtId: CAT,
      complianceStatus: 'COMPLIANT',
      enforcementMode: 'ENFORCING',
      policyClusterExtIds: [CLUSTER],
      enforcedClusterExtIds: [CLUSTER],
    },
  ],
  futureField: { x: 1 },
};

t.test('wire image to the observed model: snake_case, computed fields, never a password', async (t) => {
  const img = fromWireImage(wire, 'etag-1');
  t.equal(img.id, wire.extId);
  t.equal(img.name, 'ubuntu');
  t.equal(img.etag, 'etag-1');
  t.same(img.attributes, {
    name: 'ubuntu',
    description: 'noble',
    type: 'DISK_IMAGE',
    checksum: { object_type: 'sha256', hex_digest: SHA256 },
    source: { url: 'https://example.com/a.img', should_allow_insecure_url: true, basic_auth: { username: 'u' } },
    category_ext_ids: [CAT],
    cluster_location_ext_ids: [],
    size_bytes: 262472192,
    create_time: '2024-03-25T19:18:16.547125Z',
    last_update_time: '2024-03-25T19:37:02.628625Z',
    owner_ext_id: '00000000-0000-0000-0000-000000000000',
    placement_policy_status: [
      {
        placement_policy_ext_id: CAT,
        compliance_status: 'COMPLIANT',
        enforcement_mode: 'ENFORCING',
        policy_cluster_ext_ids: [CLUSTER],
        enforced_cluster_ext_ids: [CLUSTER],
        conflicting_policy_ext_ids: [],
      },
    ],
  });
  t.notMatch(JSON.stringify(img), /echoed-secret/);
  t.notOk('etag' in fromWireImage(wire), 'list results carry no etag');
});

t.test('other sources read back as the server says', async (t) => {
  const disk = fromWireImage({ extId: CAT, name: 'd', source: { $objectType: 'vmm.v4.content.VmDiskSource', extId: CLUSTER } });
  t.same(disk.attributes['source'], { ext_id: CLUSTER });
  const lite = fromWireImage({ extId: CAT, name: 'o', source: { $objectType: 'vmm.v4.content.ObjectsLiteSource', key: 'k/1' } });
  t.same(lite.attributes['source'], { key: 'k/1' });
  const bare = fromWireImage({ extId: CAT, name: 'b' });
  t.same(bare.attributes, { name: 'b', category_ext_ids: [], cluster_location_ext_ids: [], placement_policy_status: [] });
  t.throws(() => fromWireImage({ name: 'no id' }), DriverError);
});

t.test('the PUT body is the GET object with the changes applied', async (t) => {
  const got = structuredClone(wire);
  delete (got.source as { basicAuth: { password?: string } }).basicAuth.password; // what a careful server returns
  const fields = {
    name: 'renamed',
    type: 'ISO_IMAGE',
    category_ext_ids: [],
    description: 'ignored: not in changed',
    source: { url: 'https://example.com/a.img', basic_auth: { username: 'u', password: 'desired-pw' } },
  };
  const body = buildUpdateBody(got, fields, ['name', 'type', 'category_ext_ids']);
  t.equal(body.name, 'renamed');
  t.equal(body.type, 'ISO_IMAGE');
  t.same(body.categoryExtIds, []);
  t.equal(body.description, 'noble');
  t.same(body['futureField'], { x: 1 }, 'unknown keys survive the full replace');
  t.equal(body.extId, wire.extId);
  t.same(body.source, { ...wire.source, basicAuth: { username: 'u', password: 'desired-pw' } }, 'password restored from desired');
  t.equal(got.name, 'ubuntu', 'input untouched');

  const other = buildUpdateBody(got, { description: undefined as never }, ['description']);
  t.notOk('description' in other, 'a managed field removed from YAML is cleared');
  t.notOk(other.source && 'basicAuth' in other.source, 'no password known: basicAuth left out rather than sent incomplete');
  const dropped = structuredClone(wire);
  delete (dropped.source as { basicAuth?: unknown }).basicAuth; // a server that omits basicAuth whole
  t.same((buildUpdateBody(dropped, fields, ['name']).source as { basicAuth?: unknown }).basicAuth, {
    $objectType: 'vmm.v4.content.UrlBasicAuth',
    username: 'u',
    password: 'desired-pw',
  });
  const otherUrl = { ...fields, source: { url: 'https://elsewhere/b.img', basic_auth: { username: 'u', password: 'x' } } };
  t.notOk('basicAuth' in (buildUpdateBody(dropped, otherUrl, ['name']).source as object), 'credentials only for the same URL');

  for (const key of ['checksum', 'source', 'cluster_location_ext_ids']) {
    t.throws(() => buildUpdateBody(got, {}, [key]), /cannot be changed in place/);
  }
  t.throws(() => buildUpdateBody(got, { name: 3 }, ['name']), DriverError);
});
