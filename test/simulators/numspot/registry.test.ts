import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasSimulator, startSimulator } from '../../../src/simulators/registry.js';
import { basic, rawToken } from './client.js';

t.test('simulator: true starts a persisted Numspot simulator with the configured credentials', async (t) => {
  const dir = t.testdir();
  t.ok(hasSimulator('numspot'));
  const settings = { client_id: '0e6c1d2a-1111-4222-8333-444455556666', client_secret: 'from-config', space_id: '11111111-2222-4333-8444-555555555555' };
  const sim = await startSimulator('numspot', 'eu', dir, settings);
  t.teardown(() => sim.close());
  t.match(sim.settings, { ...settings, host: /^http:\/\/127\.0\.0\.1:\d+$/ });
  const host = String(sim.settings['host']);
  const r = await fetch(`${host}/iam/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(settings.client_id, settings.client_secret) },
    body: 'grant_type=client_credentials',
  });
  t.equal(r.status, 200);
  const tok = ((await r.json()) as { access_token: string }).access_token;
  const list = await fetch(`${host}/compute/spaces/${settings.space_id}/images`, { headers: { authorization: `Bearer ${tok}` } });
  t.equal(list.status, 200);
  t.ok(existsSync(join(dir, '.imagectl', 'simulators', 'eu.numspot.json')));
});

t.test('without credentials in the config, the defaults are handed back', async (t) => {
  const sim = await startSimulator('numspot', 'x', t.testdir(), {});
  t.teardown(() => sim.close());
  t.match(sim.settings, { client_id: '6f5a1c2e-8b3d-4f7a-9c1e-2d4b6a8c0e13', client_secret: 'numspot-sim-secret', space_id: 'bba8c1d7-4a6e-4f35-9c2b-7d1e0f3a5b68' });
  const fake = { url: String(sim.settings['host']), clientId: String(sim.settings['client_id']), clientSecret: String(sim.settings['client_secret']) };
  const r = await rawToken(fake as never, { grant_type: 'client_credentials' }, { authorization: basic(fake.clientId, fake.clientSecret) });
  t.equal(r.status, 200);
});
