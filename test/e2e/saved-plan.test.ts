// Saved plans through the built CLI: `apply PLAN_FILE` performs only the actions in the file.
// A dependency that moved in the cloud (changed or deleted by hand) makes the plan stale; it is
// never replaced or re-created behind the reviewer's back.
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cli, config, type Cli } from './support.js';

const SUM_A = 'a'.repeat(40);
const SUM_B = 'b'.repeat(40);

const images = (xDescription: string): string => `  base:
    provider: prod
    name: golden-base
    description: the base image
    type: DISK_IMAGE
    source: { url: http://images.example.com/base.qcow2 }
    checksum: { object_type: sha1, hex_digest: ${SUM_A} }
  app:
    provider: prod
    name: golden-app
    description: ${xDescription}
    type: DISK_IMAGE
    source: { url: http://images.example.com/app.qcow2 }
    depends_on: [base]
`;

const IMAGES = '/api/vmm/v4.0/content/images';

/** The simulator's own HTTP API, as an operator's script would call it. */
async function api(c: Cli, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const auth = Buffer.from(`admin:${c.env.NUTANIX_PASSWORD}`).toString('base64');
  return fetch(c.sim.url + path, {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json', 'ntnx-request-id': randomUUID(), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** Change an image's checksum by hand (GET, then PUT with its ETag) and wait until it shows. */
async function changeChecksum(t: Test, c: Cli, id: string, hex: string): Promise<void> {
  const got = await api(c, 'GET', `${IMAGES}/${id}`);
  const etag = got.headers.get('etag') ?? '';
  const image = ((await got.json()) as { data: Record<string, unknown> }).data;
  image['checksum'] = { $objectType: 'vmm.v4.content.ImageSha1Checksum', hexDigest: hex };
  const put = await api(c, 'PUT', `${IMAGES}/${id}`, { body: image, headers: { 'if-match': etag } });
  t.equal(put.status, 202, 'the out-of-band update is accepted: ' + (await put.text()));
  await until(t, async () => JSON.stringify(await (await api(c, 'GET', `${IMAGES}/${id}`)).json()).includes(hex), 'checksum changed');
}

async function until(t: Test, ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await sleep(50);
  }
  t.fail(`timed out waiting: ${what}`);
  throw new Error(`timed out waiting: ${what}`);
}

async function setUp(t: Test): Promise<{ c: Cli; ids: Record<string, string> }> {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(images('the app image')));
  const r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  const ids = Object.fromEntries(Object.entries(c.state().resources).map(([a, x]) => [a, x.id]));
  c.write(config(images('the app image v2')));
  const p = await c.run(['plan', '--out', 'p.json']);
  t.equal(p.code, 0, p.stderr);
  t.match(p.stdout, /0 to add, 1 to change, 0 to destroy/);
  return { c, ids };
}

t.test('a dependency changed in the cloud makes the saved plan stale; it is not replaced', async (t) => {
  const { c, ids } = await setUp(t);
  await changeChecksum(t, c, ids['base'] as string, SUM_B);
  const r = await c.run(['apply', 'p.json']);
  t.equal(r.code, 1, r.stdout + r.stderr);
  t.match(r.stderr, /stale: base \(which app depends on\) changed in the cloud since the plan was made/);
  t.notMatch(r.stdout, /added|destroyed/);
  const live = c.sim.listImages() as { extId: string; description?: string }[];
  t.same(live.map((i) => i.extId).sort(), Object.values(ids).sort(), 'no image was created or destroyed');
  t.notOk(live.some((i) => i.description === 'the app image v2'), 'the planned update did not run either');
});

t.test('a dependency deleted by hand makes the saved plan stale; it is not re-created', async (t) => {
  const { c, ids } = await setUp(t);
  const del = await api(c, 'DELETE', `${IMAGES}/${ids['base']}`);
  t.equal(del.status, 202);
  await until(t, async () => (await api(c, 'GET', `${IMAGES}/${ids['base']}`)).status === 404, 'base deleted');
  const r = await c.run(['apply', 'p.json']);
  t.equal(r.code, 1, r.stdout + r.stderr);
  t.match(r.stderr, /stale: base \(which app depends on\) was deleted in the cloud since the plan was made/);
  t.equal(c.sim.listImages().length, 1, 'base was not re-created');
});

t.test('an untouched dependency that did not move still lets the plan apply', async (t) => {
  const { c } = await setUp(t);
  const r = await c.run(['apply', 'p.json']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /0 added, 1 changed, 0 destroyed/);
});

t.test('a saved plan is refused while the state holds interrupted operations', async (t) => {
  const { c, ids } = await setUp(t);
  const path = join(c.dir, '.imagectl', 'state.json');
  const st = JSON.parse(readFileSync(path, 'utf8'));
  st.pending = {
    'op-1': {
      op_id: 'op-1', address: 'base', provider: 'prod', driver: 'nutanix', action: 'delete',
      idempotency_key: randomUUID(), cloud_id: ids['base'], started_at: '2026-11-01T00:00:00Z',
    },
  };
  writeFileSync(path, JSON.stringify(st, null, 2));
  const r = await c.run(['apply', 'p.json']);
  t.equal(r.code, 1, r.stdout + r.stderr);
  t.match(r.stderr, /the state holds interrupted operations, so the saved plan p\.json may be stale/);
  t.equal(c.sim.listImages().length, 2, 'nothing was deleted or changed');
  t.same(Object.keys(c.state().pending), ['op-1'], 'the intent is kept for a plain apply to resolve');
});
