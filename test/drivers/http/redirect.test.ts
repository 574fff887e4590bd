// A redirect from the endpoint must never carry a request body or credentials anywhere: a 307
// re-sends the body (the Numspot token form with client_secret, a Nutanix create body with a
// source's basic-auth password) to the Location. The client follows no redirect at all and
// reports it as an error naming the Location. Proven on the wire: the endpoint 307s to another
// loopback origin (a different port) that records whatever reaches it; it must receive nothing.
import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { HttpClient } from '../../../src/drivers/http/index.js';
import { TokenSource } from '../../../src/drivers/numspot/auth.js';
import { scriptServer, type ScriptServer } from './script-server.js';

const PASSWORD = 'src-"basic"-S3cr3t\\9';
const CLIENT_SECRET = 'ns-client-S3cret-redirect';

async function servers(t: { teardown(fn: () => unknown): void }, status: number, where: 'other-origin' | 'same-origin') {
  const thief = await scriptServer([], { status: 200, body: { access_token: 'stolen', expires_in: 3600 } });
  t.teardown(thief.close);
  const steps = Array.from({ length: 8 }, () => ({ status, headers: { location: `${thief.url}/collect?from=endpoint` } }));
  const endpoint = await scriptServer(steps, { status: 200, body: { ok: true } });
  t.teardown(endpoint.close);
  if (where === 'same-origin') for (const s of steps) s.headers.location = '/elsewhere';
  return { thief, endpoint };
}

function client(endpoint: ScriptServer): HttpClient {
  return new HttpClient({
    baseUrl: endpoint.url,
    headers: { Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
    backoff: { baseMs: 1, capMs: 5 },
    maxRetries: 2,
    timeoutMs: 3000,
    secrets: [PASSWORD],
  });
}

async function refusal(p: Promise<unknown>): Promise<DriverError & { code?: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DriverError) return e;
    throw e;
  }
  throw new Error('expected the redirect to be refused');
}

for (const status of [307, 308, 301, 302, 303]) {
  t.test(`a ${status} to another origin: nothing reaches it, the error names the Location`, async (t) => {
    const { thief, endpoint } = await servers(t, status, 'other-origin');
    const http = client(endpoint);
    const body = { name: 'img', source: { url: 'https://artifacts.example.com/a.qcow2', basicAuth: { username: 'robot', password: PASSWORD } } };
    const err = await refusal(http.request({ method: 'POST', path: '/api/vmm/v4.0/content/images', body, retrySafe: true }));
    t.equal(thief.seen.length, 0, `the other origin received nothing: ${JSON.stringify(thief.seen.map((s) => [s.method, s.headers['authorization'], s.body]))}`);
    t.equal(endpoint.seen.length, 1, 'not retried: the answer will not change');
    t.equal(err.code, 'HTTP_REDIRECT_REFUSED');
    t.equal(err.kind, 'invalid');
    t.equal(err.definitive, true, 'a redirect is not acted on by the server that sent it');
    t.match(err.message, `${thief.url}/collect?from=endpoint`, 'names the Location');
    t.match(err.message, new RegExp(`HTTP ${status}`));
    t.notOk(err.message.includes(PASSWORD));
  });
}

t.test('the Numspot token request is not re-sent with its client_secret', async (t) => {
  const { thief, endpoint } = await servers(t, 307, 'other-origin');
  const http = new HttpClient({ baseUrl: endpoint.url, backoff: { baseMs: 1, capMs: 5 }, maxRetries: 2, timeoutMs: 3000, secrets: [CLIENT_SECRET] });
  const tokens = new TokenSource({ http, clientId: 'client-1', clientSecret: CLIENT_SECRET, provider: 'eu' });
  const err = await refusal(tokens.token());
  t.equal(thief.seen.length, 0, 'neither the form nor the Basic header went to the other origin');
  t.equal(err.code, 'HTTP_REDIRECT_REFUSED');
  t.match(err.message, /POST \/iam\/token/);
  t.match(err.message, thief.url);
  t.notOk(err.message.includes(CLIENT_SECRET));
});

t.test('same-origin redirects are refused too, even for a GET', async (t) => {
  const { endpoint } = await servers(t, 307, 'same-origin');
  const http = client(endpoint);
  const err = await refusal(http.request({ method: 'GET', path: '/api/vmm/v4.0/content/images' }));
  t.equal(endpoint.seen.length, 1, 'the Location was not requested');
  t.equal(err.code, 'HTTP_REDIRECT_REFUSED');
  t.match(err.message, `${endpoint.url}/elsewhere`, 'a relative Location is named in full');
});

t.test('a Location that carries a secret is named with the secret masked', async (t) => {
  const endpoint = await scriptServer([{ status: 307, headers: { location: `http://127.0.0.1:9/x?pw=${encodeURIComponent(PASSWORD)}` } }]);
  t.teardown(endpoint.close);
  const err = await refusal(client(endpoint).request({ method: 'GET', path: '/x' }));
  t.notOk(err.message.includes(encodeURIComponent(PASSWORD)));
  t.match(err.message, /\?pw=\*\*\*/);
});
