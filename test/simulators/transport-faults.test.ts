// The faults the chaos run uses for operators' accidents: a delete the cloud refuses (an image in
// use) and a redirect to another origin. Both simulators answer them in their API's own words,
// validated against the specs, and neither acts on the request.
import t from 'tap';
import { startNumspotSimulator } from '../../src/simulators/numspot/index.js';
import { startNutanixSimulator } from '../../src/simulators/nutanix/index.js';
import { loadNumspotSpec } from '../helpers/numspot-spec.js';
import { loadNutanixSpec } from '../helpers/openapi-validator.js';
import { RECORDED_BODIES, session } from './numspot/client.js';
import { IMAGES, call, create, image, waitTask } from './nutanix/fixtures/wire.js';

t.test('Nutanix: a refused delete is a 409 VmmError per the spec, and the image stays', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 0 });
  t.teardown(() => sim.close());
  const task = await waitTask(sim, (await create(sim, image('kept'), 'rid-kept')).body.data.extId);
  const id = task.entitiesAffected.find((e: { rel: string }) => e.rel === 'vmm:content:image').extId as string;
  sim.setFaults({ deleteRefusedRate: 1 });
  const refused = await call(sim, 'DELETE', `${IMAGES}/${id}`);
  t.equal(refused.status, 409);
  t.match(refused.body.data.error[0].message, /in use/);
  const ex = sim.exchanges[sim.exchanges.length - 1];
  if (!ex) throw new Error('nothing recorded');
  t.same(loadNutanixSpec().validateExchange(ex), [], 'valid per the spec');
  t.equal(sim.listImages().length, 1, 'nothing was deleted');
  t.equal((await call(sim, 'GET', IMAGES)).status, 200, 'other methods are not refused');
});

t.test('Numspot: a refused delete is a 403 problem per the spec, and the image stays', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const s = await session(sim);
  const made = await s.post('/images', RECORDED_BODIES.register);
  sim.setFaults({ deleteRefusedRate: 1 });
  const refused = await s.del(`/images/${String(made.body.id)}`);
  t.equal(refused.status, 403);
  const ex = sim.exchanges[sim.exchanges.length - 1];
  if (!ex) throw new Error('nothing recorded');
  t.same(loadNumspotSpec().validateExchange(ex), [], 'valid per the spec');
  t.equal(sim.listImages().length, 1, 'nothing was deleted');
});

t.test('a redirect fault answers 307 to another loopback origin without acting', async (t) => {
  const sim = await startNutanixSimulator({ taskDurationMs: 0, faults: { redirectRate: 1, redirectPort: 9 } });
  t.teardown(() => sim.close());
  const auth = 'Basic ' + Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
  const res = await fetch(`${sim.url}${IMAGES}?$page=1`, {
    method: 'POST', redirect: 'manual', headers: { authorization: auth, 'content-type': 'application/json', 'ntnx-request-id': 'rid-r' },
    body: JSON.stringify(image('moved')),
  });
  t.equal(res.status, 307);
  t.equal(res.headers.get('location'), `http://127.0.0.1:9${IMAGES}?%24page=1`);
  sim.setFaults(undefined);
  t.same(sim.listImages(), [], 'the redirected create did nothing');
});
