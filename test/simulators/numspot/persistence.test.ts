import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { RECORDED_BODIES, call, session, sleep, space } from './client.js';

t.test('images, tags, tokens and injected fates survive a restart', async (t) => {
  const dir = t.testdir();
  const statePath = join(dir, 'nested', 'numspot.json');
  const first = await startNumspotSimulator({ statePath, pendingMs: 300 });
  const s = await session(first);
  const reg = (await s.post('/images', RECORDED_BODIES.register)).body;
  const vm = (await s.post('/images', { name: 'from vm', vmId: 'i-f2f6a5b3' })).body;
  await s.patch('/bulk/tags', { resourceIds: [reg.id, 'i-f2f6a5b3'], tags: [{ key: 'k', value: 'v' }] });
  await s.del('/bulk/tags', { resourceIds: ['snap-dba42486'], tags: [{ key: 'Name' }] });
  first.failNextImages(1, 'after restart');
  await first.close();
  t.ok(existsSync(statePath), 'written under a directory it created');
  t.same(readdirSync(join(dir, 'nested')), ['numspot.json'], 'no temp file left behind (atomic rename)');
  t.equal(JSON.parse(readFileSync(statePath, 'utf8')).version, 1);

  const second = await startNumspotSimulator({ statePath, pendingMs: 300 });
  t.teardown(() => second.close());
  const again = await call(second, 'GET', `${space(second)}/images/${reg.id}`, { token: s.token });
  t.equal(again.status, 200, 'a token issued before the restart still works');
  t.same(again.body, { ...reg, tags: [{ key: 'k', value: 'v' }] }, 'the image is as it was');
  const s2 = await session(second);
  t.equal((await s2.get(`/images/${vm.id}`)).body.state, 'pending', 'still pending: the clock decides, not the process');
  await sleep(320);
  t.equal((await s2.get(`/images/${vm.id}`)).body.state, 'available');
  t.same((await s2.get('/vms/i-f2f6a5b3')).body.tags, [{ key: 'Name', value: 'builder' }, { key: 'k', value: 'v' }]);
  t.same((await s2.get('/snapshots/snap-dba42486')).body.tags, [], 'a seeded tag deleted stays deleted');
  t.equal((await s2.get(`/snapshots/${vm.blockDeviceMappings[0].bsu.snapshotId}`)).status, 200, 'derived snapshots persist');
  t.equal((await s2.post('/images', RECORDED_BODIES.register)).status, 409, 'names stay taken');
  const doomed = await s2.post('/images', { name: 'doomed', vmId: 'i-f2f6a5b3' });
  await sleep(320);
  t.equal((await s2.get(`/images/${doomed.body.id}`)).body.stateComment.stateMessage, 'after restart', 'failNextImages persisted');
  t.equal(second.listImages().length, 3);
});

t.test('a corrupt or foreign state file is refused, not overwritten', async (t) => {
  const dir = t.testdir({ 'bad.json': '{"version": 7}' });
  await t.rejects(startNumspotSimulator({ statePath: join(dir, 'bad.json') }), /unsupported simulator state version 7/);
  t.equal(readFileSync(join(dir, 'bad.json'), 'utf8'), '{"version": 7}');
  writeFileSync(join(dir, 'bad.json'), '{');
  await t.rejects(startNumspotSimulator({ statePath: join(dir, 'bad.json') }));
});
