// Numspot and Nutanix images in one configuration, planned and applied in one run; tags in
// place; a rename creates first, a snapshot change destroys first (names are unique); and the
// Numspot drift cases: a retag out of band, and a leaked image carrying our lineage tag.
import t from 'tap';
import { connectNumspot } from '../../src/drivers/numspot/session.js';
import { cli, config, type Cli } from './support.js';

const nutanixIso = `  iso:
    provider: prod
    name: mixed-iso
    type: ISO_IMAGE
    source: { url: http://images.example.com/mixed.iso }
`;
const copy = (name = 'debian-golden', tags = '[{ key: team, value: platform }]') => `  debian:
    provider: eu
    name: ${name}
    source_image_id: { lookup: image, name: Debian-12-2026-08-10 }
    source_region_name: cloudgouv-eu-west-1
    tags: ${tags}
`;
const registered = (snapshot: string) => `  root:
    provider: eu
    name: golden-root
    root_device_name: /dev/sda1
    block_device_mappings:
      - device_name: /dev/sda1
        bsu: { snapshot_id: ${snapshot}, volume_size: 20 }
`;
const fromVm = `  vm:
    provider: eu
    name: from-builder
    vm_id: { lookup: vm, tags: { Name: builder } }
    no_reboot: true
`;

const names = (c: Cli): string[] => c.numspot.listImages().map((i) => (i as { name: string }).name).sort();

t.test('mixed clouds: apply, no changes, tags in place, create-then-delete, delete-then-create', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(nutanixIso + copy() + registered('snap-dba42486') + fromVm));
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /4 added, 0 changed, 0 destroyed/);
  t.equal(c.sim.listImages().length, 1);
  t.same(names(c), ['debian-golden', 'from-builder', 'golden-root']);
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 0, 'no perpetual diff from server defaults (architecture, product codes, description, access): ' + r.stdout);

  const debianId = c.state().resources['debian']?.id;
  c.write(config(nutanixIso + copy('debian-golden', '[{ key: team, value: images }]') + registered('snap-dba42486') + fromVm));
  r = await c.run(['plan']);
  t.match(r.stdout, /~ image "debian"/);
  t.match(r.stdout, /Plan: 0 to add, 1 to change, 0 to destroy\./);
  r = await c.run(['apply', '--auto-approve']);
  t.equal(c.state().resources['debian']?.id, debianId, 'tags change in place');
  const tags = (c.numspot.listImages().find((i) => (i as { id: string }).id === debianId) as { tags: { key: string; value: string }[] }).tags;
  t.same(tags.filter((x) => !x.key.startsWith('imagectl:')), [{ key: 'team', value: 'images' }]);
  t.ok(tags.some((x) => x.key === 'imagectl:address' && x.value === 'debian'), 'ownership tags are kept on the image');

  c.write(config(nutanixIso + copy('debian-golden-v2', '[{ key: team, value: images }]') + registered('snap-dba42486') + fromVm));
  r = await c.run(['plan']);
  t.match(r.stdout, /\+\/- image "debian"/, 'a new name: created before the old one is destroyed');
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.same(names(c), ['debian-golden-v2', 'from-builder', 'golden-root']);

  c.write(config(nutanixIso + copy('debian-golden-v2', '[{ key: team, value: images }]') + registered('snap-3e9b1c07') + fromVm));
  r = await c.run(['plan']);
  t.match(r.stdout, /-\/\+ image "root"/, 'same unique name: destroyed before it is created');
  t.match(r.stdout, /names are unique and the name is kept/);
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.same(names(c), ['debian-golden-v2', 'from-builder', 'golden-root']);
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 0, r.stdout);
});

t.test('a bad configuration for Numspot is refused before any API call', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(`  mixed:
    provider: eu
    name: x1
    vm_id: i-f2f6a5b3
    source_image_id: ami-dc3f861d
    tags: [{ key: '', value: v }]
  io:
    provider: eu
    name: io-heavy
    root_device_name: /dev/sda1
    block_device_mappings:
      - device_name: /dev/sdz1
        bsu: { snapshot_id: snap-dba42486, volume_size: 10, volume_type: io1, iops: 5000 }
`));
  const r = await c.run(['plan']);
  t.equal(r.code, 1);
  t.match(r.stderr, /imagectl\.yaml:\d+:\d+: .*different creation modes/);
  t.match(r.stderr, /imagectl\.yaml:\d+:\d+: .*key/);
  t.match(r.stderr, /imagectl\.yaml:\d+:\d+: .*device_name/);
  t.match(r.stderr, /imagectl\.yaml:\d+:\d+: .*iops 5000 exceeds 300 per GiB/);
  t.equal(c.numspot.exchanges.length, 0, 'no API call');
});

t.test('drift on Numspot: a retag out of band is live drift; an image with our lineage tag is leaked', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(copy()));
  t.equal((await c.run(['apply', '--auto-approve'])).code, 0);
  const settings = { host: c.numspot.url, space_id: c.numspot.spaceId, client_id: c.numspot.clientId, client_secret: c.env.NUMSPOT_CLIENT_SECRET };
  const s = await connectNumspot({ name: 'oob', driver: 'numspot', settings }, { warn: () => {}, parallelism: 2 });
  t.teardown(() => s.close());
  const id = c.state().resources['debian']?.id as string;
  const live = await s.read(id);
  if (live.status !== 'found') throw new Error('missing');
  await s.update({ id, fields: { ...live.image.attributes, tags: [{ key: 'team', value: 'someone-else' }] }, changed: ['tags'] }, { address: 'oob', idempotency_key: 'k1', lineage: 'x' });
  const lineage = (c.state() as unknown as { lineage: string }).lineage;
  await s.create({ fields: { name: 'orphan-of-a-crash', source_image_id: 'ami-dc3f861d' } }, { address: 'ghost', idempotency_key: 'k2', lineage });

  const r = await c.run(['drift', '--unmanaged', '--format', 'json']);
  t.equal(r.code, 3, r.stderr);
  const findings = JSON.parse(r.stdout).findings as { address: string; kind: string; fields: unknown[]; name?: string }[];
  const modified = findings.find((f) => f.kind === 'modified');
  t.equal(modified?.address, 'debian');
  t.same(modified?.fields, [{ path: '/tags', expected: [{ key: 'team', value: 'platform' }], actual: [{ key: 'team', value: 'someone-else' }] }]);
  const leaked = findings.find((f) => f.kind === 'leaked');
  t.equal(leaked?.name, 'orphan-of-a-crash');
  t.equal(leaked?.address, 'ghost');
});

t.test('an image stuck pending past the timeout stays journaled, and the next run adopts it', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(fromVm).replace('    client_secret: { env: NUMSPOT_CLIENT_SECRET }', '    client_secret: { env: NUMSPOT_CLIENT_SECRET }\n    pending_timeout_seconds: 1'));
  c.numspot.stickPending(1);
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1, 'the wait timed out');
  t.match(r.stderr, /vm: .*pending/i);
  t.equal(Object.keys(c.state().pending).length, 1, 'the image is journaled, not orphaned');
  t.equal(c.numspot.listImages().length, 1);
  c.numspot.unstick();
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /resolved an interrupted create: adopted ami-/);
  t.equal(c.numspot.listImages().length, 1, 'no second image');
  t.same(c.state().pending, {});
  t.equal((await c.run(['plan', '--detailed-exitcode'])).code, 0);
});
