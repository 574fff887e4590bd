import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { nutanixDriver } from '../../../src/drivers/nutanix/index.js';
import { createNutanixSession } from '../../../src/drivers/nutanix/session.js';
import { scriptServer } from '../http/script-server.js';
import { FAST, harness, ISO, opContext } from './sim-session.js';

const CAT = '11111111-2222-4333-8444-555555555555';

t.test('create: one POST keyed by the idempotency key, task journaled, progress reported, image read back', async (t) => {
  const { sim, session } = await harness(t);
  const ctx = opContext('nutanix.iso');
  const img = await session.create({ fields: { ...ISO, description: 'mini', category_ext_ids: [CAT] } }, ctx);
  t.equal(img.name, 'ubuntu-mini');
  t.ok(img.etag, 'read back with its ETag');
  t.match(img.attributes, {
    name: 'ubuntu-mini',
    type: 'ISO_IMAGE',
    description: 'mini',
    category_ext_ids: [CAT],
    source: { url: ISO.source.url, should_allow_insecure_url: false },
    size_bytes: Number,
    create_time: String,
    last_update_time: String,
    owner_ext_id: String,
    placement_policy_status: [],
  });
  t.equal(ctx.tasks.length, 1);
  t.match(ctx.tasks[0], /^ZXJnb24=:/);
  t.ok(ctx.progress.length >= 1);
  t.match(ctx.progress[ctx.progress.length - 1], { address: 'nutanix.iso', message: /SUCCEEDED/, percent: 100 });
  const posts = sim.exchanges.filter((e) => e.method === 'POST');
  t.equal(posts.length, 1);
  t.equal(posts[0]?.headers['ntnx-request-id'], ctx.idempotency_key);
  t.equal(posts[0]?.headers['authorization']?.startsWith('Basic '), true);
  const polls = sim.exchanges.filter((e) => e.path.startsWith('/api/prism/'));
  t.ok(polls.every((e) => e.headers['cache-control'] === 'no-cache'), 'polling bypasses caches');

  const read = await session.read(img.id);
  t.equal(read.status, 'found');
  if (read.status === 'found') t.same(read.image, img);
  const list = await session.list();
  t.same(list.images.map((i) => i.id), [img.id]);
  t.equal(list.images[0]?.etag, undefined, 'list results carry no ETag');
  t.equal(list.requests, 1);
});

t.test('update in place: full PUT with If-Match, then read back', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { ...ISO, category_ext_ids: [CAT] } }, opContext());
  const ctx = opContext();
  const fields = { ...ISO, name: 'renamed', description: 'now described', type: 'DISK_IMAGE', category_ext_ids: [] };
  const updated = await session.update({ id: img.id, fields, changed: ['name', 'description', 'type', 'category_ext_ids'] }, ctx);
  t.match(updated.attributes, { name: 'renamed', description: 'now described', type: 'DISK_IMAGE', category_ext_ids: [] });
  t.not(updated.etag, img.etag, 'a new ETag');
  t.equal(ctx.tasks.length, 1);
  const put = sim.exchanges.find((e) => e.method === 'PUT');
  t.equal(put?.headers['if-match'], img.etag);
  t.match(put?.body, { extId: img.id, name: 'renamed', source: { $objectType: 'vmm.v4.content.UrlSource' } }, 'the whole object goes back');
  t.not(put?.headers['ntnx-request-id'], ctx.idempotency_key, 'a derived id: the key names the logical operation');

  const again = await session.update({ id: img.id, fields, changed: ['name'] }, opContext());
  t.equal(again.id, img.id);
  t.equal(sim.exchanges.filter((e) => e.method === 'PUT').length, 1, 'already as desired: no second PUT');

  const gone = await session.update({ id: '00000000-0000-4000-8000-000000000000', fields, changed: ['name'] }, opContext()).catch((e: unknown) => e);
  t.match(gone, { kind: 'conflict', definitive: true });
});

t.test('delete: task awaited; deleting again and reading report the image gone', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: ISO }, opContext());
  const ctx = opContext();
  await session.delete(img.id, ctx);
  t.equal(ctx.tasks.length, 1);
  t.same(await session.read(img.id), { status: 'not_found' });
  await session.delete(img.id, opContext());
  t.same(sim.listImages(), []);
  t.same((await session.list()).images, []);
});

t.test('wrong password: read says auth (never not_found), list throws auth', async (t) => {
  const { sim, session } = await harness(t, { password: 'wrong-password' });
  const token = Buffer.from(`${sim.username}:wrong-password`).toString('base64');
  const read = await session.read('c13300a6-d246-4d1f-9d0c-64b5dd31c393');
  t.match(read, { status: 'error', kind: 'auth' });
  if (read.status === 'error') {
    t.notMatch(read.message, /wrong-password/);
    t.notOk(read.message.includes(token), 'no Authorization value');
  }
  const err = await session.list().catch((e: unknown) => e);
  t.ok(err instanceof DriverError);
  t.match(err, { kind: 'auth', definitive: true, status: 401 });
  const created = await session.create({ fields: ISO }, opContext()).catch((e: unknown) => e);
  t.match(created, { kind: 'auth', definitive: true }, 'refused: nothing was created');
});

t.test('a failed task carries every error message and is definitive', async (t) => {
  const { sim, session } = await harness(t);
  const err = await session.create({ fields: { ...ISO, source: { url: 'http://mirror.example.invalid/x.iso' } } }, opContext()).catch((e: unknown) => e);
  t.ok(err instanceof DriverError);
  t.match(err, { kind: 'failed', definitive: true, message: /FAILED: VMM-30100: Failed to download/ });
  t.same(sim.listImages(), []);

  const img = await session.create({ fields: ISO }, opContext());
  sim.failNextTasks(1, 'disk full on the image store');
  const upd = await session.update({ id: img.id, fields: { ...ISO, name: 'n2' }, changed: ['name'] }, opContext()).catch((e: unknown) => e);
  t.match(upd, { kind: 'failed', definitive: true, message: /VMM-30199: disk full on the image store/ });
});

t.test('invalid bodies fail synchronously with the API message, definitive', async (t) => {
  const { session } = await harness(t);
  const err = await session.create({ fields: { ...ISO, name: 'x'.repeat(300) } }, opContext()).catch((e: unknown) => e);
  t.match(err, { kind: 'invalid', definitive: true, status: 400, message: /^POST \/api\/vmm\/v4\.0\/content\/images: HTTP 400: .*name/ });
});

t.test('basic-auth passwords of image sources never leak into errors or reads', async (t) => {
  const { session } = await harness(t);
  const source = { url: 'https://user:pw@example.com/fail.img', basic_auth: { username: 'dl', password: 's3cret-pass' } };
  const err = await session.create({ fields: { ...ISO, source } }, opContext()).catch((e: unknown) => e);
  t.notMatch(String((err as Error).message), /s3cret-pass/);
  const ok = await session.create({ fields: { ...ISO, source: { ...source, url: 'https://example.com/ok.img' } } }, opContext());
  t.notMatch(JSON.stringify(ok), /s3cret-pass/);
});

t.test('lookup cluster by name', async (t) => {
  const { session } = await harness(t);
  t.same(await session.lookup('cluster', { name: 'PHX-POC01' }), [{ id: '0006411c-0286-bc71-9f02-191e334d457b', name: 'PHX-POC01' }]);
  t.same(await session.lookup('cluster', { name: "nobody's" }), []);
  t.match(await session.lookup('vpc', { name: 'x' }).catch((e: unknown) => e), { kind: 'invalid' });
  t.match(await session.lookup('cluster', {}).catch((e: unknown) => e), { kind: 'invalid' });
});

t.test('connect through the registered driver; TLS settings warned about', async (t) => {
  const { sim } = await harness(t);
  const warnings: string[] = [];
  const session = await nutanixDriver.connect(
    { name: 'prod', driver: 'nutanix', settings: { endpoint: sim.url, username: sim.username, password: sim.password, insecure: true } },
    { warn: (m) => warnings.push(m), parallelism: 2 },
  );
  t.same((await session.list()).images, []);
  t.match(warnings, [/insecure/]);
  t.same(await session.read('c13300a6-d246-4d1f-9d0c-64b5dd31c393'), { status: 'not_found' });
  t.match(await session.read('not-a-uuid'), { status: 'error', kind: 'invalid' });
  await session.close();
});

t.test('a 404 that is not "entity not found" (wrong API version, proxy) is an error, never a deletion', async (t) => {
  const text = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
  const srv = await scriptServer([], { status: 404, body: text });
  t.teardown(srv.close);
  const session = createNutanixSession(
    { endpoint: srv.url, username: 'a', password: 'b', timeoutMs: 1000, taskTimeoutMs: 1000, insecure: false },
    { warn: () => undefined, parallelism: 1 },
    FAST,
  );
  t.match(await session.read('c13300a6-d246-4d1f-9d0c-64b5dd31c393'), { status: 'error', kind: 'invalid', message: /HTTP 404: The requested URL.*not an image-not-found answer/ });
  t.match(await session.delete('c13300a6-d246-4d1f-9d0c-64b5dd31c393', opContext()).catch((e: unknown) => e), { kind: 'invalid', status: 404 });
});
