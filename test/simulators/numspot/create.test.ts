import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { NUMSPOT_RECORDING_PATH } from '../../helpers/numspot-spec.js';
import { RECORDED_BODIES, session, type J } from './client.js';

interface Recorded {
  id: number;
  method: string;
  path: string;
  requestBody: unknown;
  responseBody: J;
}
const recording = JSON.parse(readFileSync(NUMSPOT_RECORDING_PATH, 'utf8')) as Recorded[];
/** The recorded 201 answering the recorded request body identical to `body`. */
function recordedResponse(body: unknown): J {
  const hit = recording.find((r) => r.method === 'POST' && r.path.endsWith('/images') && JSON.stringify(r.requestBody) === JSON.stringify(body));
  if (!hit) throw new Error('request not in the recording');
  return hit.responseBody;
}

const ID_RE = /^ami-[0-9a-f]{8}$/;
const SNAP_RE = /^snap-[0-9a-f]{8}$/;
const DATE_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** Field by field: same keys in the same order; server-made values (ids, dates) by shape. */
function compareWithRecording(t: Test, got: J, want: J, made: { snapshotIds: boolean }): void {
  t.same(Object.keys(got), Object.keys(want), 'same fields, same order');
  for (const k of Object.keys(want)) {
    if (k === 'id') t.match(got.id, ID_RE, 'id: ami- and 8 lowercase hex');
    else if (k === 'creationDate') t.match(got.creationDate, DATE_RE, 'creationDate: RFC 3339, microseconds, Z');
    else if (k === 'blockDeviceMappings' && made.snapshotIds) {
      t.equal(got.blockDeviceMappings.length, want.blockDeviceMappings.length);
      want.blockDeviceMappings.forEach((b: J, i: number) => {
        const g = got.blockDeviceMappings[i];
        t.match(g.bsu.snapshotId, SNAP_RE, 'a new snapshot id');
        t.not(g.bsu.snapshotId, b.bsu.snapshotId);
        t.same({ ...g, bsu: { ...g.bsu, snapshotId: 'x' } }, { ...b, bsu: { ...b.bsu, snapshotId: 'x' } }, 'the rest of the mapping');
      });
    } else t.same(got[k], want[k], `${k} as recorded`);
  }
}

t.test('copy, from VM and register answer in the exact recorded shapes', async (t) => {
  const sim = await startNumspotSimulator({ pendingMs: 5000 });
  t.teardown(() => sim.close());
  const s = await session(sim);

  const copy = await s.post('/images', RECORDED_BODIES.copy);
  t.equal(copy.status, 201);
  t.equal(copy.headers.get('cache-control'), 'public, max-age=300');
  t.test('copy of an official image', async (t) => compareWithRecording(t, copy.body, recordedResponse(RECORDED_BODIES.copy), { snapshotIds: true }));
  t.not(copy.body.blockDeviceMappings[0].bsu.snapshotId, 'snap-2c9d0b7e', 'not the source snapshot');
  t.equal((await s.del(`/images/${copy.body.id}`)).status, 204, 'the recording deleted it before reusing the name');

  const vm = await s.post('/images', RECORDED_BODIES.vm);
  t.equal(vm.status, 201);
  t.test('from a VM', async (t) => compareWithRecording(t, vm.body, recordedResponse(RECORDED_BODIES.vm), { snapshotIds: true }));
  t.equal(vm.body.state, 'pending');
  const derived = await s.get(`/snapshots/${vm.body.blockDeviceMappings[0].bsu.snapshotId}`);
  t.equal(derived.status, 200, 'the derived snapshot exists in the space');
  t.match(derived.body, { volumeSize: 10, state: 'completed', description: /i-f2f6a5b3/ });

  const reg = await s.post('/images', RECORDED_BODIES.register);
  t.equal(reg.status, 201);
  t.test('register from a snapshot', async (t) => compareWithRecording(t, reg.body, recordedResponse(RECORDED_BODIES.register), { snapshotIds: false }));
});

t.test('defaults and inheritance', async (t) => {
  const sim = await startNumspotSimulator({ pendingMs: 0 });
  t.teardown(() => sim.close());
  const s = await session(sim);
  const own = await s.post('/images', { ...RECORDED_BODIES.register, name: 'own base', architecture: 'x86_64', description: 'golden', productCodes: ['pty-aaaa0001'] });
  t.match(own.body, { architecture: 'x86_64', description: 'golden', productCodes: ['pty-aaaa0001', '0001'], access: { isPublic: false } });
  const copyOwn = await s.post('/images', { name: 'copy of own', sourceImageId: own.body.id });
  t.match(copyOwn.body, { architecture: 'x86_64', productCodes: ['pty-aaaa0001', '0001'], access: { isPublic: false }, description: '', state: 'available' }, 'a copy inherits architecture, codes and access');
  t.equal(copyOwn.body.blockDeviceMappings[0].bsu.volumeSize, 120);
  t.equal(copyOwn.body.blockDeviceMappings[0].bsu.iops, 150);
  const sized = await s.post('/images', { name: 'default size', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486' } }] });
  t.same(sized.body.blockDeviceMappings, [{ bsu: { deleteOnVmDeletion: true, snapshotId: 'snap-dba42486', volumeSize: 11, volumeType: 'standard' }, deviceName: '/dev/sda1' }], 'volume size from the snapshot, standard, deleted with the VM');
  const stopped = await s.post('/images', { name: 'from stopped vm', vmId: 'i-0c4a7e19', noReboot: true });
  t.equal(stopped.status, 201, 'a stopped VM can be imaged');
  t.equal(stopped.body.blockDeviceMappings[0].bsu.volumeSize, 20, 'its root volume size');
  const eph = await s.post('/images', { name: 'with ephemeral', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 11 } }, { deviceName: '/dev/sdb', virtualDeviceName: 'ephemeral0' }] });
  t.same(eph.body.blockDeviceMappings[1], { deviceName: '/dev/sdb', virtualDeviceName: 'ephemeral0' });
});

t.test('validation: every violation at once, as problem+json', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const r = await s.post('/images', { name: 'x!', vmId: 'i-f2f6a5b3', sourceImageId: 'ami-0b7df82c', colour: 'blue' });
  t.equal(r.status, 400);
  t.equal(r.headers.get('content-type'), 'application/problem+json');
  t.match(r.body, { type: /#invalid_parameter$/, title: String, instance: `/compute/spaces/${sim.spaceId}/images` });
  const fields = r.body.violations.map((v: J) => v.field);
  t.ok(fields.includes('colour'), 'unknown fields (additionalProperties: false)');
  t.ok(fields.includes('name'), 'name charset/length');
  t.ok(r.body.violations.some((v: J) => /exclusive/.test(v.description)), 'modes are exclusive');

  const cases: [string, unknown, string][] = [
    ['no mode', { name: 'abc', blockDeviceMappings: [], productCodes: [] }, 'sourceImageId'],
    ['name too short', { name: 'ab', vmId: 'i-f2f6a5b3' }, 'name'],
    ['no name', { vmId: 'i-f2f6a5b3' }, 'name'],
    ['noReboot alone', { name: 'abc', noReboot: true }, 'vmId'],
    ['bad region', { name: 'abc', sourceImageId: 'ami-0b7df82c', sourceRegionName: 'us-east-1' }, 'sourceRegionName'],
    ['no root device', { name: 'abc', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486' } }] }, 'rootDeviceName'],
    ['root not mapped', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sdb', bsu: { snapshotId: 'snap-dba42486' } }] }, 'rootDeviceName'],
    ['bad architecture', { name: 'abc', architecture: 'arm64', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486' } }] }, 'architecture'],
    ['io1 without iops', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 20, volumeType: 'io1' } }] }, 'blockDeviceMappings[0].bsu.iops'],
    ['iops on gp2', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 20, volumeType: 'gp2', iops: 100 } }] }, 'blockDeviceMappings[0].bsu.iops'],
    ['iops over 300/GiB', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 20, volumeType: 'io1', iops: 6001 } }] }, 'blockDeviceMappings[0].bsu.iops'],
    ['iops over 13000', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 100, volumeType: 'io1', iops: 13001 } }] }, 'blockDeviceMappings[0].bsu.iops'],
    ['iops over 300/GiB of the snapshot size', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeType: 'io1', iops: 3301 } }] }, 'blockDeviceMappings[0].bsu.iops'],
    ['volume smaller than the snapshot', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeSize: 10 } }] }, 'blockDeviceMappings[0].bsu.volumeSize'],
    ['bad volume type', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486', volumeType: 'ssd' } }] }, 'blockDeviceMappings[0].bsu.volumeType'],
    ['bad device', { name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-dba42486' } }, { deviceName: 'sdc', bsu: { volumeSize: 5 } }] }, 'blockDeviceMappings[1].deviceName'],
  ];
  for (const [label, body, field] of cases) {
    const res = await s.post('/images', body);
    t.equal(res.status, 400, label);
    t.ok(res.body.violations?.some((v: J) => v.field === field), `${label}: violation on ${field} (${JSON.stringify(res.body.violations)})`);
  }
  const bad = await fetch(`${sim.url}/compute/spaces/${sim.spaceId}/images`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: '{"name":' });
  t.equal(bad.status, 400, 'malformed JSON');
  t.same(sim.listImages(), [], 'nothing was created');
});

t.test('references must exist (400 InvalidResource); names are unique (409)', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const refs: [unknown, RegExp][] = [
    [{ name: 'abc', sourceImageId: 'ami-00000000' }, /ami-00000000/],
    [{ name: 'abc', vmId: 'i-00000000' }, /i-00000000/],
    [{ name: 'abc', rootDeviceName: '/dev/sda1', blockDeviceMappings: [{ deviceName: '/dev/sda1', bsu: { snapshotId: 'snap-00000000', volumeSize: 10 } }] }, /snap-00000000/],
  ];
  for (const [body, detail] of refs) {
    const r = await s.post('/images', body);
    t.equal(r.status, 400);
    t.match(r.body, { title: 'InvalidResource', detail });
  }
  const first = await s.post('/images', RECORDED_BODIES.copy);
  t.equal(first.status, 201);
  const again = await s.post('/images', { ...RECORDED_BODIES.vm, name: RECORDED_BODIES.copy.name });
  t.equal(again.status, 409);
  t.equal(again.headers.get('content-type'), 'application/problem+json');
  t.match(again.body, { title: 'ResourceConflict', detail: /already exists/ });
  const snapshots = (await s.get('/snapshots')).body.items.length;
  t.equal(snapshots, 3, 'the refused create left no snapshot behind');
  t.equal((await s.post('/images', { ...RECORDED_BODIES.copy, name: 'Debian-12-2026-08-10' })).status, 201, 'official names do not count');
  t.equal(sim.listImages().length, 2);
  await s.del(`/images/${first.body.id}`);
  t.equal((await s.post('/images', RECORDED_BODIES.copy)).status, 201, 'a deleted image frees its name');
  sim.stickPending(1);
  const pending = await s.post('/images', { name: 'held', vmId: 'i-f2f6a5b3' });
  t.equal((await s.post('/images', { name: 'held', vmId: 'i-f2f6a5b3' })).status, 409, 'pending images hold their name');
  t.equal((await s.post('/images', { name: 'copy of pending', sourceImageId: pending.body.id })).status, 400, 'a pending image cannot be copied');
});
