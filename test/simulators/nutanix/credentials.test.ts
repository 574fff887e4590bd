// Prism never returns a source's credentials, and the simulated cloud has no download to make
// with them: its state file (kept under .imagectl/simulators/, beside a config a team may
// commit) must never hold a source's basic-auth password, neither while the create task is
// pending nor after it, nor after an update; a file written by an older simulator is cleaned.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNutanixSimulator } from '../../../src/simulators/nutanix/index.js';
import { type J, IMAGES, call, create, image, urlSource, waitTask } from './fixtures/wire.js';

const PASSWORD = 'src-basic-"auth"-S3cr3t\\4412';
const withAuth = (name: string) => image(name, { source: { ...urlSource(`https://artifacts.example.com/${name}.iso`), basicAuth: { username: 'robot', password: PASSWORD } } });
const saved = (path: string): string => readFileSync(path, 'utf8');
const leaks = (text: string): boolean => text.includes(PASSWORD) || text.includes(JSON.stringify(PASSWORD).slice(1, -1));

t.test('the saved simulator state never holds a source password', async (t) => {
  const statePath = join(t.testdir(), 'prod.nutanix.json');
  const sim = await startNutanixSimulator({ statePath, taskDurationMs: 300 });
  t.teardown(() => sim.close());
  const created = await create(sim, withAuth('private'), 'rid-private');
  t.equal(created.status, 202);
  t.notOk(leaks(saved(statePath)), 'not while the create task is pending');
  t.equal((await waitTask(sim, created.body.data.extId)).status, 'SUCCEEDED');
  t.notOk(leaks(saved(statePath)), 'not once the image exists');

  const img = (sim.listImages() as J[])[0];
  const got = await call(sim, 'GET', `${IMAGES}/${img.extId}`);
  t.notOk(JSON.stringify(got.body).includes('basicAuth'), 'reads never return the credentials');
  const body = { ...withAuth('private'), description: 'updated' };
  const updated = await call(sim, 'PUT', `${IMAGES}/${img.extId}`, { body, headers: { 'if-match': got.headers.get('etag') ?? '', 'ntnx-request-id': 'rid-upd' } });
  t.equal(updated.status, 202);
  t.notOk(leaks(saved(statePath)), 'not while the update task is pending');
  t.equal((await waitTask(sim, updated.body.data.extId)).status, 'SUCCEEDED');
  t.notOk(leaks(saved(statePath)), 'not after the update');
  t.match(saved(statePath), /robot/, 'the state itself was saved (the username is not secret)');
});

t.test('a state file written with passwords is cleaned when loaded', async (t) => {
  const statePath = join(t.testdir(), 'old.json');
  const source = { $objectType: 'vmm.v4.content.UrlSource', url: 'https://a.example.com/x.iso', basicAuth: { username: 'robot', password: PASSWORD } };
  const spec = { name: 'old', type: 'ISO_IMAGE', source };
  const old = {
    version: 1,
    images: [{ ...spec, extId: '11111111-1111-4111-a111-111111111111', sizeBytes: 1, createTimeUs: 1, lastUpdateTimeUs: 1, generation: 1 }],
    tasks: [{ extId: 't1', kind: 'create', imageExtId: '11111111-1111-4111-a111-111111111111', imageName: 'old', createdUs: 1, startUs: 1, completeUs: 1, clusterExtIds: [], ownerName: 'admin', spec, result: { status: 'SUCCEEDED' } }],
    requestIds: {},
    pendingFailures: { count: 0 },
  };
  writeFileSync(statePath, JSON.stringify(old));
  const sim = await startNutanixSimulator({ statePath });
  t.equal(sim.listImages().length, 1);
  await sim.close();
  t.notOk(leaks(saved(statePath)), 'the next save has no password');
});
