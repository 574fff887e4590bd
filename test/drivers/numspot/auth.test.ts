// Token handling against a scripted loopback server: what is sent to /iam/token, caching,
// refresh before expiry (short lifetimes included), one refresh on a 401, and no secret or
// token in any message.
import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { HttpClient } from '../../../src/drivers/http/index.js';
import { refreshAfterMs, TokenSource } from '../../../src/drivers/numspot/auth.js';
import { NumspotClient } from '../../../src/drivers/numspot/client.js';
import { scriptServer, type Step } from '../http/script-server.js';

const SECRET = 'p@ss:w+rd%20';
const CLIENT = '6f5a1c2e-8b3d-4f7a-9c1e-2d4b6a8c0e13';
const SPACE = 'bba8c1df-609f-4775-9638-952d488502e6';
const token = (n: number, expires_in = 3600): Step => ({ status: 200, body: { access_token: `tok-${n}-xxxxxxxx`, token_type: 'bearer', expires_in } });

async function setup(t: { teardown(fn: () => unknown): void }, steps: Step[], clock = { now: 1_000_000 }) {
  const server = await scriptServer(steps, { status: 500, body: { title: 'unscripted' } });
  t.teardown(() => server.close());
  const http = new HttpClient({ baseUrl: server.url, backoff: { baseMs: 1, capMs: 2 }, maxRetries: 2, secrets: [SECRET] });
  const tokens = new TokenSource({ http, clientId: CLIENT, clientSecret: SECRET, provider: 'eu', now: () => clock.now });
  return { server, tokens, client: new NumspotClient(http, tokens, SPACE), clock };
}

t.test('refresh point: max(expires_in − 300 s, expires_in / 2)', async (t) => {
  t.equal(refreshAfterMs(3600), 3_300_000);
  t.equal(refreshAfterMs(86_400), 86_100_000);
  t.equal(refreshAfterMs(600), 300_000);
  t.equal(refreshAfterMs(300), 150_000, 'the Terraform provider fails here; we refresh halfway');
  t.equal(refreshAfterMs(60), 30_000);
  t.equal(refreshAfterMs(1), 500);
});

t.test('the token request: form body, Basic auth (RFC 6749 encoding) and the pair in the body', async (t) => {
  const { server, tokens } = await setup(t, [token(1)]);
  t.equal(await tokens.token(), 'tok-1-xxxxxxxx');
  const req = server.seen[0]!;
  t.equal(req.method, 'POST');
  t.equal(req.url, '/iam/token');
  t.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  const form = new URLSearchParams(req.body);
  t.equal(form.get('grant_type'), 'client_credentials');
  t.equal(form.get('client_id'), CLIENT);
  t.equal(form.get('client_secret'), SECRET);
  const basic = Buffer.from(String(req.headers['authorization']).replace(/^Basic /, ''), 'base64').toString();
  const [id, secret] = basic.split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
  t.same([id, secret], [CLIENT, SECRET]);
});

t.test('cached until the refresh point, then fetched again; concurrent callers share one fetch', async (t) => {
  const { server, tokens, clock } = await setup(t, [token(1, 60), token(2, 60)]);
  const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
  t.same(all, ['tok-1-xxxxxxxx', 'tok-1-xxxxxxxx', 'tok-1-xxxxxxxx']);
  clock.now += 29_000;
  t.equal(await tokens.token(), 'tok-1-xxxxxxxx', 'before half of a 60 s lifetime: cached');
  clock.now += 2_000;
  t.equal(await tokens.token(), 'tok-2-xxxxxxxx', 'after half: refreshed');
  t.equal(server.seen.length, 2);
  t.equal(tokens.fetchCount, 2);
});

t.test('a 1 s lifetime works (refreshed after 0.5 s)', async (t) => {
  const { tokens, clock } = await setup(t, [token(1, 1), token(2, 1)]);
  t.equal(await tokens.token(), 'tok-1-xxxxxxxx');
  clock.now += 600;
  t.equal(await tokens.token(), 'tok-2-xxxxxxxx');
});

t.test('refused credentials: auth, definitive, no secret in the message', async (t) => {
  const { tokens } = await setup(t, [{ status: 401, body: { error: 'invalid_client', error_description: `bad secret ${SECRET}` } }]);
  const e = await tokens.token().catch((err: unknown) => err);
  t.ok(e instanceof DriverError);
  const d = e as DriverError;
  t.equal(d.kind, 'auth');
  t.equal(d.definitive, true);
  t.match(d.message, /invalid_client/);
  t.match(d.message, /check client_id and client_secret/);
  t.notMatch(d.message, SECRET);
});

t.test('a 401 on a compute call: one fresh token, one more attempt', async (t) => {
  const image = { id: 'ami-1a2b3c4d', name: 'x', state: 'available', tags: [] };
  const { server, client } = await setup(t, [token(1), { status: 401, body: { type: 'urn:numspot:errors#unauthenticated_access', title: 'Unauthorized' } }, token(2), { status: 200, body: image }]);
  const got = await client.getImage('ami-1a2b3c4d');
  t.ok(got.found);
  t.same(server.seen.map((s) => `${s.method} ${s.url}`), [
    'POST /iam/token',
    `GET /compute/spaces/${SPACE}/images/ami-1a2b3c4d`,
    'POST /iam/token',
    `GET /compute/spaces/${SPACE}/images/ami-1a2b3c4d`,
  ]);
  t.equal(server.seen[1]!.headers['authorization'], 'Bearer tok-1-xxxxxxxx');
  t.equal(server.seen[3]!.headers['authorization'], 'Bearer tok-2-xxxxxxxx');
  t.equal(server.seen[3]!.headers['cache-control'], 'no-cache', 'GET carries Cache-Control: no-cache');
});

t.test('a second 401 is an auth error, and never "not found"', async (t) => {
  const unauth: Step = { status: 401, body: { type: 'urn:numspot:errors#unauthenticated_access', title: 'Unauthorized', detail: 'The access token is not valid.' } };
  const { server, client } = await setup(t, [token(1), unauth, token(2), unauth]);
  const e = await client.getImage('ami-1a2b3c4d').catch((err: unknown) => err);
  t.ok(e instanceof DriverError && e.kind === 'auth' && e.definitive, String(e));
  t.notMatch((e as Error).message, /tok-/, 'no token in the message');
  t.equal(server.seen.length, 4, 'exactly one refresh');
});

t.test('a 404 about the space is a configuration error, not a missing image', async (t) => {
  const { client } = await setup(t, [token(1), { status: 404, body: { type: 'urn:numspot:errors#space_not_found', title: 'SpaceNotFound', detail: 'no such space' } }]);
  const e = await client.getImage('ami-1a2b3c4d').catch((err: unknown) => err);
  t.ok(e instanceof DriverError && e.kind === 'invalid', String(e));
  t.match((e as Error).message, /check space_id/);
});

t.test('array query parameters repeat the key', async (t) => {
  const { server, client } = await setup(t, [token(1), { status: 200, body: { items: [] } }]);
  await client.listImages({ ids: ['ami-1', 'ami-2'], imageIds: ['ami-1', 'ami-2'], imageType: 'private' });
  t.equal(server.seen[1]!.url, `/compute/spaces/${SPACE}/images?ids=ami-1&ids=ami-2&imageIds=ami-1&imageIds=ami-2&imageType=private`);
});
