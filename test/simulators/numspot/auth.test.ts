import t from 'tap';
import { startNumspotSimulator } from '../../../src/simulators/numspot/index.js';
import { basic, call, rawToken, sleep, space, token } from './client.js';

t.test('token: the three request forms all work', async (t) => {
  const sim = await startNumspotSimulator({ clientId: '0e6c1d2a-1111-4222-8333-444455556666', clientSecret: 's3cr:et+/x' });
  t.teardown(() => sim.close());
  const auth = { authorization: basic(sim.clientId, sim.clientSecret) };
  const forms = {
    'Basic only (Packer)': [{ grant_type: 'client_credentials' }, auth],
    'Basic and body (Terraform)': [{ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret }, auth],
    'with scope (docs curl)': [{ grant_type: 'client_credentials', scope: 'openid offline_access' }, auth],
    'body only': [{ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret }, {}],
  } as const;
  for (const [label, [form, headers]] of Object.entries(forms)) {
    const r = await rawToken(sim, form, headers);
    t.equal(r.status, 200, label);
    t.match(r.body, { token_type: 'bearer', expires_in: 3600, access_token: /^[\w-]+\.[\w-]+\.[\w-]+$/ }, `${label}: a JWT-shaped bearer token`);
    t.equal(r.headers.get('cache-control'), 'no-store');
    const payload = JSON.parse(Buffer.from(r.body.access_token.split('.')[1], 'base64url').toString('utf8'));
    t.equal(payload.sub, sim.clientId);
    t.equal((await call(sim, 'GET', `${space(sim)}/images`, { token: r.body.access_token })).status, 200, `${label}: the token works`);
  }
});

t.test('token: bad requests and bad credentials', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const auth = { authorization: basic(sim.clientId, sim.clientSecret) };
  const wrong = await rawToken(sim, { grant_type: 'client_credentials' }, { authorization: basic(sim.clientId, 'nope') });
  t.equal(wrong.status, 401);
  t.match(wrong.body, { error: 'invalid_client', error_description: String });
  t.equal(wrong.headers.get('content-type'), 'application/json');
  t.equal((await rawToken(sim, { grant_type: 'client_credentials', client_id: 'someone-else', client_secret: sim.clientSecret })).status, 401, 'unknown client');
  t.equal((await rawToken(sim, { grant_type: 'client_credentials' })).status, 401, 'no credentials at all');
  const mismatch = await rawToken(sim, { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: 'other' }, auth);
  t.equal(mismatch.status, 401, 'header and body disagree');
  t.equal((await rawToken(sim, { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' })).status, 401, 'malformed Basic');
  const noGrant = await rawToken(sim, {}, auth);
  t.same([noGrant.status, noGrant.body.error], [400, 'invalid_request']);
  const grant = await rawToken(sim, { grant_type: 'password' }, auth);
  t.same([grant.status, grant.body.error], [400, 'unsupported_grant_type']);
  const json = await fetch(`${sim.url}/iam/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{"grant_type":"client_credentials"}' });
  t.equal(json.status, 400, 'the body must be form-encoded');
  const convert = await call(sim, 'PUT', '/iam/token/convert', { token: null, body: { token: 'x' } });
  t.equal(convert.status, 404, 'S3 key conversion is not simulated');
});

t.test('bearer: required, checked, and expiring', async (t) => {
  const sim = await startNumspotSimulator({ tokenLifetimeSeconds: 1 });
  t.teardown(() => sim.close());
  const path = `${space(sim)}/images`;
  const none = await call(sim, 'GET', path, { token: null });
  t.equal(none.status, 401);
  t.equal(none.headers.get('content-type'), 'application/problem+json');
  t.match(none.body, { type: /#unauthenticated_access$/, title: 'Unauthorized', instance: path });
  t.equal((await call(sim, 'GET', path, { token: 'forged.token.value' })).status, 401);
  t.equal((await call(sim, 'GET', path, { token: null, headers: { authorization: basic(sim.clientId, sim.clientSecret) } })).status, 401, 'Basic is not accepted on compute calls');

  const tok = await token(sim);
  t.equal((await call(sim, 'GET', path, { token: tok })).status, 200);
  await sleep(1100);
  const expired = await call(sim, 'GET', path, { token: tok });
  t.equal(expired.status, 401, 'expires_in is enforced');
  t.match(expired.body.detail, /expired/);
});

t.test('bearer: expireTokens() invalidates every issued token; a new one works', async (t) => {
  const sim = await startNumspotSimulator();
  t.teardown(() => sim.close());
  const path = `${space(sim)}/images`;
  const a = await token(sim);
  const b = await token(sim);
  t.not(a, b, 'each token is distinct');
  sim.expireTokens();
  t.equal((await call(sim, 'GET', path, { token: a })).status, 401);
  t.equal((await call(sim, 'GET', path, { token: b })).status, 401);
  t.equal((await call(sim, 'GET', path, { token: await token(sim) })).status, 200);
});

t.test('spaces: another space is 404 space_not_found, after authentication', async (t) => {
  const sim = await startNumspotSimulator({ spaceId: '11111111-2222-4333-8444-555555555555' });
  t.teardown(() => sim.close());
  const other = '/compute/spaces/bba8c1df-609f-4775-9638-952d488502e6/images';
  const r = await call(sim, 'GET', other);
  t.equal(r.status, 404);
  t.match(r.body, { type: /#space_not_found$/, instance: other });
  t.equal((await call(sim, 'GET', other, { token: null })).status, 401, 'no token: 401 first, nothing leaks');
  t.equal((await call(sim, 'GET', `${space(sim)}/images`)).status, 200);
  const unknown = await call(sim, 'GET', `${space(sim)}/nonsense`);
  t.equal(unknown.status, 404, 'unknown operations are 404');
  t.equal(unknown.headers.get('content-type'), 'application/problem+json');
});
