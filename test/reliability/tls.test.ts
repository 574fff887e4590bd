// Transport safety on a real TLS wire: a private CA and a server certificate for 127.0.0.1 are
// made with openssl for the test, and an HTTPS server on loopback fronts the simulators.
// Verification is on by default (an unknown CA fails, and never as "not found"); `ca_file`
// trusts the private CA; `insecure: true` works only by opt-in and is warned about on every
// run; plain http to anything but loopback is refused unless the provider says `allow_http`.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import type { DriverSession } from '../../src/drivers/contract.js';
import { connectNumspot } from '../../src/drivers/numspot/session.js';
import { connectNutanix } from '../../src/drivers/nutanix/session.js';
import { readBody } from '../../src/simulators/messages.js';
import { startNumspotSimulator } from '../../src/simulators/numspot/index.js';
import { startNutanixSimulator } from '../../src/simulators/nutanix/index.js';
import { fakeIo } from '../support/fake-io.js';

function makeCerts(dir: string): { ca: string; key: string; cert: string } {
  const p = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=imagectl test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(p('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', p('san.cnf'));
  return { ca: p('ca.pem'), key: p('server.key'), cert: p('server.pem') };
}

/** HTTPS on loopback, forwarding to the simulators (Nutanix under /api, Numspot elsewhere). */
async function tlsFront(certs: { key: string; cert: string }, nutanix: string, numspot: string) {
  const server = createServer({ key: readFileSync(certs.key), cert: readFileSync(certs.cert) }, (req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const init: RequestInit = { method: req.method ?? 'GET', headers };
      if (body !== '') init.body = body;
      const up = await fetch((path.startsWith('/api/') ? nutanix : numspot) + path, init);
      const out: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
      });
      res.writeHead(up.status, out).end(await up.text());
    })().catch((e: unknown) => res.writeHead(502).end(String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}


t.test('TLS: verified by default, ca_file for a private CA, insecure only by opt-in and warned', async (t) => {
  const dir = t.testdir({});
  const certs = makeCerts(dir);
  const nx = await startNutanixSimulator({ username: 'admin', password: 'tls-pw' });
  const ns = await startNumspotSimulator({ clientSecret: 'tls-secret' });
  const front = await tlsFront(certs, nx.url, ns.url);
  t.teardown(async () => {
    await front.close();
    await Promise.all([nx.close(), ns.close()]);
  });
  const warnings: string[] = [];
  const env = { warn: (m: string) => void warnings.push(m), parallelism: 2 };
  const nutanix = (extra: Record<string, string | boolean>) =>
    connectNutanix({ name: 'pc', driver: 'nutanix', settings: { endpoint: front.url, username: 'admin', password: 'tls-pw', timeout_seconds: 5, ...extra } }, env);
  const numspot = (extra: Record<string, string | boolean>) =>
    connectNumspot({ name: 'ns', driver: 'numspot', settings: { host: front.url, space_id: ns.spaceId, client_id: ns.clientId, client_secret: 'tls-secret', timeout_seconds: 5, ...extra } }, env);
  const listed = async (s: DriverSession) => (await s.list()).images.length >= 0;

  for (const [name, connect] of [['nutanix', nutanix], ['numspot', numspot]] as const) {
    const untrusted = await (await connect({})).list().catch((e: unknown) => e);
    t.match(untrusted, { kind: 'invalid', definitive: true }, `${name}: an unknown CA fails the call at once, not retried`);
    t.match(String((untrusted as Error).message), /TLS certificate not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*ca_file/, `${name}: and says why`);
    const read = await (await connect({})).read('00000000-0000-4000-8000-000000000000');
    t.equal(read.status, 'error', `${name}: a TLS failure is never "not found"`);

    warnings.length = 0;
    t.ok(await listed(await connect({ ca_file: certs.ca })), `${name}: ca_file trusts the private CA`);
    t.same(warnings, [], `${name}: no warning for a verified connection`);

    t.ok(await listed(await connect({ insecure: true })), `${name}: insecure: true skips verification`);
    t.match(warnings.join('\n'), /TLS certificates are NOT verified/, `${name}: and says so`);

    const badCa = join(dir, 'not-a-ca.pem');
    writeFileSync(badCa, 'hello');
    await t.rejects(connect({ ca_file: badCa }), /holds no PEM certificate/, `${name}: a ca_file that is no certificate is refused`);
    await t.rejects(connect({ ca_file: join(dir, 'missing.pem') }), /cannot be read/, `${name}: a missing ca_file is refused`);
  }

  // Through the CLI: the insecure warning is printed on every run, before anything else happens.
  writeFileSync(join(dir, 'imagectl.yaml'), `version: 1
providers:
  pc:
    driver: nutanix
    endpoint: ${front.url}
    username: admin
    password: { env: TLS_TEST_PASSWORD }
    insecure: true
images:
  iso:
    provider: pc
    name: tls-iso
    type: ISO_IMAGE
    source: { url: https://images.example.com/tls.iso }
`);
  process.env['TLS_TEST_PASSWORD'] = 'tls-pw';
  t.teardown(() => void delete process.env['TLS_TEST_PASSWORD']);
  for (let run = 0; run < 2; run++) {
    const io = fakeIo();
    t.equal(await main(['plan', '-c', join(dir, 'imagectl.yaml')], io), 0, io.stderr);
    t.match(io.stderr, /Warning: provider pc: insecure: true, TLS certificates are NOT verified/, `run ${run + 1} warns`);
  }
});

t.test('plain http: loopback allowed, anything else refused unless allow_http (warned)', async (t) => {
  const env = { warn: () => undefined, parallelism: 1 };
  await t.rejects(
    connectNutanix({ name: 'pc', driver: 'nutanix', settings: { endpoint: 'http://pc.example.com:9440', username: 'a', password: 'b' } }, env),
    /plain http.*allow_http: true/,
  );
  await t.rejects(
    connectNumspot({ name: 'ns', driver: 'numspot', settings: { host: 'http://api.example.com', space_id: 's', client_id: 'c', client_secret: 'x' } }, env),
    /plain http.*allow_http: true/,
  );
  const warned: string[] = [];
  await connectNutanix({ name: 'pc', driver: 'nutanix', settings: { endpoint: 'http://pc.example.com:9440', allow_http: true, username: 'a', password: 'b' } }, { warn: (m) => void warned.push(m), parallelism: 1 });
  t.match(warned.join('\n'), /plain http \(allow_http: true\); credentials are sent in clear/);
  for (const host of ['http://127.0.0.1:1', 'http://localhost:1', 'http://[::1]:1', 'http://127.3.2.1:1']) {
    await t.resolves(connectNutanix({ name: 'pc', driver: 'nutanix', settings: { endpoint: host, username: 'a', password: 'b' } }, env), `${host} is loopback`);
  }
  await t.rejects(connectNutanix({ name: 'pc', driver: 'nutanix', settings: { endpoint: 'http://127.0.0.1.example.com', username: 'a', password: 'b' } }, env), /plain http/, 'a name that only starts like loopback is not');
});
