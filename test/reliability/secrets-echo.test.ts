// No leaked secrets, even when an API misbehaves: a hostile proxy in front of both simulators
// answers with error bodies that echo everything it was sent (the Authorization header, raw and
// decoded, the token form, the JSON body holding a source's basic-auth password) in the fields
// the drivers quote in their messages. Every secret, and its Basic/base64 form, must be absent
// from all output (text and --json events) and from every file imagectl wrote.
import t from 'tap';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { allFiles, cli, config, SECRETS } from '../e2e/support.js';
import { readBody } from '../../src/simulators/messages.js';

type Mode = 'auth' | 'writes';

function echoOf(req: IncomingMessage, body: string): string {
  const auth = req.headers['authorization'] ?? '';
  const b64 = /^Basic\s+(\S+)/i.exec(auth)?.[1];
  const decoded = b64 ? Buffer.from(b64, 'base64').toString('utf8') : '';
  return `you sent ${req.method ?? ''} ${req.url ?? ''} with authorization=${auth} (${decoded}) and body=${body}`;
}

/** Nutanix and Numspot shaped error bodies, each quoting the echo where the drivers read messages. */
function errorFor(path: string, echo: string): { status: number; headers: Record<string, string>; body: unknown } {
  if (path.startsWith('/iam/token')) return { status: 401, headers: { 'content-type': 'application/json' }, body: { error: 'invalid_client', error_description: echo } };
  if (path.startsWith('/compute/')) {
    return { status: 400, headers: { 'content-type': 'application/problem+json' }, body: { type: 'urn:numspot:errors#invalid_parameter', title: 'InvalidParameter', detail: echo, status: 400 } };
  }
  return {
    status: path.includes('/images') ? 400 : 401,
    headers: { 'content-type': 'application/json' },
    body: { data: { error: [{ message: echo, code: 'VMM-99999', severity: 'ERROR', $objectType: 'vmm.v4.error.AppMessage' }], $objectType: 'vmm.v4.error.ErrorResponse' } },
  };
}

async function hostileProxy(nutanix: string, numspot: string, mode: () => Mode) {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '/';
      const m = mode();
      const echo = m === 'auth' || (req.method !== 'GET' && !path.startsWith('/iam/token'));
      if (echo) {
        const e = errorFor(path, echoOf(req, body));
        res.writeHead(e.status, e.headers).end(JSON.stringify(e.body));
        return;
      }
      const target = (path.startsWith('/api/') ? nutanix : numspot) + path;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const init: RequestInit = { method: req.method ?? 'GET', headers };
      if (body !== '') init.body = body;
      const up = await fetch(target, init);
      const text = await up.text();
      const out: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
      });
      res.writeHead(up.status, out).end(text);
    })().catch((e: unknown) => res.writeHead(502).end(String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Hostile values: a server quoting them in JSON escapes `"` and `\`, a form percent-encodes them.
const HOSTILE = {
  password: 'Pc-"Adm1n"\\Pa55 e2e+7781',
  sourcePassword: 'src-"basic"\\auth S3cr3t&4412',
  clientSecret: 'ns-"client"\\S3cret e2e%9931',
};

t.test('error bodies that echo the request never put a secret in output or files', async (t) => {
  const c = await cli(t.testdir(), { password: HOSTILE.password }, { clientSecret: HOSTILE.clientSecret });
  c.env.NUTANIX_PASSWORD = HOSTILE.password;
  c.env.NUMSPOT_CLIENT_SECRET = HOSTILE.clientSecret;
  c.env.SOURCE_PASSWORD = HOSTILE.sourcePassword;
  let mode: Mode = 'auth';
  const proxy = await hostileProxy(c.sim.url, c.numspot.url, () => mode);
  t.teardown(async () => {
    await proxy.close();
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT = proxy.url;
  c.env.NUMSPOT_HOST = proxy.url;
  c.write(config(`  private:
    provider: prod
    name: echo-private
    type: DISK_IMAGE
    source:
      url: https://artifacts.example.com/private.qcow2
      basic_auth: { username: robot, password: { env: SOURCE_PASSWORD } }
  copy:
    provider: eu
    name: echo-copy
    source_image_id: ami-dc3f861d
    source_region_name: cloudgouv-eu-west-1
`));
  const outputs: string[] = [];
  const keep = (r: { code: number; stdout: string; stderr: string }) => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  // An empty state reads nothing at plan time; listing for unmanaged images does.
  const authFailed = keep(await c.run(['drift', '--unmanaged']));
  t.not(authFailed.code, 0, 'authentication errors are not "in sync"');
  t.match(authFailed.stdout + authFailed.stderr, /you sent/, 'the echoing error bodies were quoted');
  keep(await c.run(['drift', '--unmanaged', '--format', 'json']));
  keep(await c.run(['plan', '--json']));

  mode = 'writes';
  const text = keep(await c.run(['apply', '--auto-approve']));
  t.equal(text.code, 1, 'the creates failed');
  t.match(text.stderr, /you sent POST/, 'the create errors quote the echo');
  t.match(text.stderr, /\*\*\*|redacted|\(sensitive\)/i, 'with the secrets scrubbed out');
  const json = keep(await c.run(['apply', '--auto-approve', '--json']));
  t.match(json.stdout, /"type":"step_failed"/, '--json events carry the errors too');

  const sent = JSON.stringify(c.sim.exchanges.map((e) => e.body)) + JSON.stringify(c.numspot.exchanges.map((e) => e.headers));
  t.notOk(sent.includes(HOSTILE.sourcePassword), 'writes went to the proxy, not to the simulator');
  const form = (v: string): string => new URLSearchParams({ v }).toString().slice(2);
  const forms = [
    ...Object.values(HOSTILE),
    ...Object.values(HOSTILE).map((v) => JSON.stringify(v).slice(1, -1)),
    ...Object.values(HOSTILE).map(form),
    Buffer.from(`admin:${HOSTILE.password}`).toString('base64'),
    Buffer.from(`${form(c.env.NUMSPOT_CLIENT_ID)}:${form(HOSTILE.clientSecret)}`).toString('base64'),
  ];
  const files = allFiles(join(c.dir, '.imagectl'));
  for (const secret of forms) {
    t.notOk(outputs.some((o) => o.includes(secret)), `no output holds ${secret.slice(0, 6)}…`);
    t.notOk(files.some((f) => f.text.includes(secret)), `no file holds ${secret.slice(0, 6)}…`);
  }
});

// A plugin that echoes a secret inside a non-secret attribute (raw, or base64 of user:token as
// in a Basic header) must not get it into state.json, `state show` or `plan --format json`: the
// value is refused with an error naming the plugin, the image and the attribute, never the value.
const ECHO_SCHEMA_PATCH = `
schema.image_schema.properties.password = { $ref: 'imagectl-defs#/$defs/secret' };
const cloudFile = 'cloud.json';
const cloud = () => { try { return JSON.parse(readFileSync(cloudFile, 'utf8')); } catch { return {}; } };
let token = '';
const echo = (name, password) => ({ id: 'fake-' + name, name, attributes: { name, note: 'made with pw=' + password, auth: Buffer.from('robot:' + token).toString('base64') } });
on.configure = (p) => { token = p.settings.token; return {}; };
on.create = (p) => { const c = cloud(); c[p.fields.name] = p.fields.password; writeFileSync(cloudFile, JSON.stringify(c)); return { image: echo(p.fields.name, p.fields.password) }; };
on.read = (p) => { const c = cloud(); const name = p.id.slice(5); return name in c ? { status: 'found', image: echo(name, c[name]) } : { status: 'not_found' }; };
on.list = () => ({ images: Object.entries(cloud()).map(([n, pw]) => echo(n, pw)) });
on.recover = (p) => { const c = cloud(); return p.intent.address in c ? { status: 'created', image: echo(p.intent.address, c[p.intent.address]) } : { status: 'not_created' }; };`;

t.test('a plugin echoing a secret in a plain attribute is refused, and nothing stores it', async (t) => {
  const { fakePlugin } = await import('../drivers/external/support.js');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  fakePlugin(c.dir, `import { readFileSync, writeFileSync } from 'node:fs';\n${ECHO_SCHEMA_PATCH}`);
  // The import must come first in an ES module: move it to the top of the generated file.
  const file = join(c.dir, 'fake.mjs');
  const src = readFileSync(file, 'utf8').replace("import { readFileSync, writeFileSync } from 'node:fs';\n", '');
  writeFileSync(file, `import { readFileSync, writeFileSync } from 'node:fs';\n${src}`);
  const TOKEN = 'lab-T0ken-"echo"-5521';
  const PASSWORD = 'img-Pa55-\\echo-3391';
  c.env.LAB_TOKEN = TOKEN;
  c.env.IMG_PASSWORD = PASSWORD;
  c.write(`version: 1
providers:
  lab:
    driver: { command: [node, ./fake.mjs] }
    token: { env: LAB_TOKEN }
images:
  a:
    provider: lab
    name: a
    password: { env: IMG_PASSWORD }
`);
  const outputs: string[] = [];
  const keep = (r: { code: number; stdout: string; stderr: string }) => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const applied = keep(await c.run(['apply', '--auto-approve']));
  t.equal(applied.code, 1, 'the echoed value is refused: ' + applied.stdout + applied.stderr);
  t.match(applied.stdout + applied.stderr, /plugin 'fake' \(node \.\/fake\.mjs\).*secret.*attribute \/(note|auth).*image "a"|plugin 'fake' \(node \.\/fake\.mjs\).*image "a".*secret.*attribute \/(note|auth)/, 'names the plugin, the image and the attribute');
  keep(await c.run(['apply', '--auto-approve']));
  keep(await c.run(['plan', '--format', 'json']));
  keep(await c.run(['plan']));
  keep(await c.run(['state', 'show', 'a']));
  keep(await c.run(['drift']));
  const forms = [TOKEN, PASSWORD, JSON.stringify(TOKEN).slice(1, -1), JSON.stringify(PASSWORD).slice(1, -1), Buffer.from(`robot:${TOKEN}`).toString('base64')];
  const files = allFiles(join(c.dir, '.imagectl'));
  t.ok(files.some((f) => f.path.endsWith('state.json')) || files.length > 0, 'imagectl wrote its files');
  for (const secret of forms) {
    t.notOk(outputs.some((o) => o.includes(secret)), `no output holds ${secret.slice(0, 8)}…`);
    t.notOk(files.some((f) => f.text.includes(secret)), `no file holds ${secret.slice(0, 8)}…`);
  }
});

// Through the CLI and both real drivers: an endpoint that answers every request with a 307 to
// another loopback origin. That origin must receive nothing (no token form with client_secret,
// no create body with the source password, no Authorization), and the user is told the Location.
t.test('a cross-origin 307 from either endpoint sends nothing to the other origin', async (t) => {
  const c = await cli(t.testdir());
  const received: string[] = [];
  const thief = createServer((req, res) => {
    void readBody(req).then((body) => {
      received.push(`${req.method ?? ''} ${req.url ?? ''} auth=${req.headers['authorization'] ?? ''} body=${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen","expires_in":3600}');
    });
  });
  await new Promise<void>((r) => thief.listen(0, '127.0.0.1', r));
  const thiefUrl = `http://127.0.0.1:${(thief.address() as AddressInfo).port}`;
  const redirector = createServer((req, res) => res.writeHead(307, { location: `${thiefUrl}${req.url ?? '/'}` }).end());
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  t.teardown(async () => {
    await new Promise<void>((r) => redirector.close(() => r()));
    await new Promise<void>((r) => thief.close(() => r()));
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT = c.env.NUMSPOT_HOST = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  c.write(config(`  private:
    provider: prod
    name: redirected-private
    type: DISK_IMAGE
    source:
      url: https://artifacts.example.com/private.qcow2
      basic_auth: { username: robot, password: { env: SOURCE_PASSWORD } }
  copy:
    provider: eu
    name: redirected-copy
    source_image_id: ami-dc3f861d
    source_region_name: cloudgouv-eu-west-1
`));
  const runs = [await c.run(['apply', '--auto-approve']), await c.run(['drift', '--unmanaged']), await c.run(['plan'])];
  t.same(received, [], 'the other origin received no request at all');
  t.not(runs[0]?.code, 0, 'apply fails');
  const text = runs.map((r) => r.stdout + r.stderr).join('\n');
  t.match(text, /HTTP 307 redirect to http:\/\/127\.0\.0\.1:\d+\/\S+ refused \(HTTP_REDIRECT_REFUSED\)/, 'the Location is named');
  t.match(text, /\/iam\/token/, 'the Numspot token request was among those refused');
  for (const secret of Object.values(SECRETS)) t.notOk(text.includes(secret), 'no output holds a secret');
});
