import t from 'tap';
import { startNutanixSimulator, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, call, waitTask, image, create } from './fixtures/wire.js';


t.test('state survives a restart: images, request ids, pending tasks', async (t) => {
  const { join } = await import('node:path');
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = t.testdir();
  const statePath = join(dir, 'nested', 'nutanix-sim.json');

  const a = await startNutanixSimulator({ statePath, taskDurationMs: 0 });
  const first = await create(a, image('kept'), 'rid-kept');
  t.equal((await waitTask(a, first.body.data.extId)).status, 'SUCCEEDED');
  a.failNextTasks(1, 'persisted failure');
  await a.close();
  t.same(readdirSync(join(dir, 'nested')), ['nutanix-sim.json'], 'no temp files left behind');
  t.equal(JSON.parse(readFileSync(statePath, 'utf8')).version, 1);

  const b = await startNutanixSimulator({ statePath, taskDurationMs: 150 });
  t.same((b.listImages() as J[]).map((i) => i.name), ['kept']);
  const replay = await create(b, image('kept'), 'rid-kept');
  t.equal(replay.body.data.extId, first.body.data.extId, 'replay after restart returns the same task');
  t.equal(b.listImages().length, 1, 'and creates nothing');
  const task = await call(b, 'GET', `/api/prism/v4.0/config/tasks/${first.body.data.extId}`);
  t.equal(task.body.data.status, 'SUCCEEDED', 'old tasks are still readable');
  const failing = await create(b, image('doomed'), 'rid-doomed');
  t.equal((await waitTask(b, failing.body.data.extId)).errorMessages[0].message, 'persisted failure', 'failNextTasks survives too');
  const pending = await create(b, image('in-flight'), 'rid-in-flight');
  const etag = (await call(b, 'GET', `${IMAGES}/${(b.listImages()[0] as J).extId}`)).headers.get('etag');
  await b.close();

  const c = await startNutanixSimulator({ statePath });
  t.teardown(() => c.close());
  t.equal((await waitTask(c, pending.body.data.extId)).status, 'SUCCEEDED', 'a task started before the restart finishes after it');
  t.same((c.listImages() as J[]).map((i) => i.name).sort(), ['in-flight', 'kept']);
  t.equal((await call(c, 'GET', `${IMAGES}/${(c.listImages()[0] as J).extId}`)).headers.get('etag'), etag, 'ETags are stable across restarts');
});

t.test('a corrupt or future state file is refused, not silently reset', async (t) => {
  const { join } = await import('node:path');
  const { writeFileSync } = await import('node:fs');
  const statePath = join(t.testdir(), 's.json');
  writeFileSync(statePath, JSON.stringify({ version: 99 }));
  await t.rejects(startNutanixSimulator({ statePath }), /unsupported simulator state version 99/);
});
