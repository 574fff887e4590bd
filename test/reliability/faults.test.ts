// The clouds' own faults, set per run: failed and slow Nutanix tasks, failed and stuck Numspot
// images, expiring tokens; and the checked ways to set them (simulate flags, the environment).
import t from 'tap';
import { faultsFromEnv, faultsFromFlags, parseFaults } from '../../src/simulators/faults.js';
import { startNumspotSimulator } from '../../src/simulators/numspot/index.js';
import { startNutanixSimulator } from '../../src/simulators/nutanix/index.js';

const json = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
};

t.test('Nutanix: every task fails at rate 1; slow tasks take longer; off again at once', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 50, faults: { taskFailureRate: 1 }, seed: 1 });
  t.teardown(() => sim.close());
  const auth = { Authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`, 'Content-Type': 'application/json' };
  const create = (name: string, rid: string) => json(`${sim.url}/api/vmm/v4.0/content/images`, {
    method: 'POST', headers: { ...auth, 'NTNX-Request-Id': rid },
    body: JSON.stringify({ name, type: 'ISO_IMAGE', source: { $objectType: 'vmm.v4.content.UrlSource', url: 'https://x.example.com/a.iso' } }),
  });
  const taskOf = (r: { body: Record<string, unknown> }) => ((r.body['data'] as Record<string, unknown>)['extId'] as string);
  const wait = async (task: string) => {
    for (;;) {
      const r = await json(`${sim.url}/api/prism/v4.0/config/tasks/${task}`, { headers: auth });
      const status = (r.body['data'] as Record<string, unknown>)['status'];
      if (status === 'SUCCEEDED' || status === 'FAILED') return status;
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  t.equal(await wait(taskOf(await create('doomed', '8f6b1c52-6a3e-4d2b-9c1a-000000000001'))), 'FAILED');
  t.same(sim.listImages(), [], 'a failed create made nothing');
  sim.setFaults({ slowTaskRate: 1, slowTaskFactor: 8 });
  const started = Date.now();
  t.equal(await wait(taskOf(await create('slow', '8f6b1c52-6a3e-4d2b-9c1a-000000000002'))), 'SUCCEEDED');
  t.ok(Date.now() - started >= 300, 'the slow task took about 8 × 50 ms');
  sim.setFaults(undefined);
  t.equal(await wait(taskOf(await create('fine', '8f6b1c52-6a3e-4d2b-9c1a-000000000003'))), 'SUCCEEDED');
});

t.test('Numspot: failed and stuck images, expiring tokens', async (t) => {
  const sim = await startNumspotSimulator({ pendingMs: 50, faults: { imageFailureRate: 1 }, prngSeed: 1 });
  t.teardown(() => sim.close());
  const token = async () => {
    const r = await json(`${sim.url}/iam/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret }).toString(),
    });
    return r.body['access_token'] as string;
  };
  const bearer = { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' };
  const images = `${sim.url}/compute/spaces/${sim.spaceId}/images`;
  const create = (name: string) => json(images, { method: 'POST', headers: bearer, body: JSON.stringify({ name, sourceImageId: 'ami-dc3f861d', sourceRegionName: 'cloudgouv-eu-west-1' }) });
  const doomed = await create('doomed');
  await new Promise((r) => setTimeout(r, 120));
  t.equal((await json(`${images}/${doomed.body['id'] as string}`, { headers: bearer })).body['state'], 'failed');
  sim.setFaults({ stuckRate: 1, stuckMs: 400 });
  const stuck = await create('stuck');
  await new Promise((r) => setTimeout(r, 150));
  t.equal((await json(`${images}/${stuck.body['id'] as string}`, { headers: bearer })).body['state'], 'pending', 'still pending');
  await new Promise((r) => setTimeout(r, 400));
  t.equal((await json(`${images}/${stuck.body['id'] as string}`, { headers: bearer })).body['state'], 'available', 'then available');
  sim.setFaults({ tokenExpiryRate: 1 });
  t.equal((await json(images, { headers: bearer })).status, 401, 'the token expired early');
  sim.setFaults(undefined);
  t.equal((await json(images, { headers: { Authorization: `Bearer ${await token()}` } })).status, 200, 'a new token works once faults are off');
});

t.test('fault settings are checked: unknown keys and out-of-range rates are errors', async (t) => {
  t.same(parseFaults({ errorRate: 0.1, stuckMs: 500 }, 'x'), { errorRate: 0.1, stuckMs: 500 });
  t.throws(() => parseFaults({ errorRat: 0.1 }, 'x'), /unknown fault 'errorRat'/);
  t.throws(() => parseFaults({ errorRate: 2 }, 'x'), /must be <= 1/);
  t.throws(() => parseFaults([], 'x'), /JSON object/);
  t.same(faultsFromEnv({ IMAGECTL_SIMULATOR_FAULTS: '{"dropAfterRate":0.05}', IMAGECTL_SIMULATOR_SEED: '7' }), { faults: { dropAfterRate: 0.05 }, seed: 7 });
  t.same(faultsFromEnv({}), {});
  t.throws(() => faultsFromEnv({ IMAGECTL_SIMULATOR_FAULTS: '{' }), /not valid JSON/);
  t.same(faultsFromFlags({ 'error-rate': '0.2', 'stuck-ms': '100' }), { errorRate: 0.2, stuckMs: 100 });
  t.equal(faultsFromFlags({}), undefined);
  t.throws(() => faultsFromFlags({ 'error-rate': 'lots' }), /--error-rate: errorRate must be a number/);
});

t.test('imagectl simulate takes the fault flags', async (t) => {
  const { simulateCommand } = await import('../../src/commands/simulate.js');
  let out = '';
  const io = { out: (s: string) => void (out += s), err: () => undefined, colour: false, interactive: false, ask: async () => '' };
  t.equal(await simulateCommand(['--error-rate', '0.5', '--drop-after-rate', '0.1', '--seed', '3'], io, Promise.resolve()), 0);
  t.match(out, /Faults: errorRate=0\.5, dropAfterRate=0\.1 \(seed 3\)/);
  await t.rejects(simulateCommand(['--error-rate', '5'], io, Promise.resolve()), /must be <= 1/);
});
