// What goes wrong: expired tokens, a wrong secret, failed images, images stuck in pending, and
// how recover() settles an interrupted create or delete afterwards.
import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { harness, opContext, raw, simTags } from './sim-session.js';

t.test('tokens expired mid-run are refreshed transparently', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'refresh', source_image_id: 'ami-dc3f861d' } }, opContext());
  sim.expireTokens();
  t.equal((await session.read(img.id)).status, 'found');
  sim.expireTokens();
  t.ok((await session.list()).images.some((i) => i.id === img.id));
  t.equal(sim.exchanges.filter((e) => e.path === '/iam/token').length, 3, 'one token, then one per expiry');
});

t.test('short token lifetimes (2 s) are refreshed before they expire', async (t) => {
  const { sim, session } = await harness(t, { sim: { tokenLifetimeSeconds: 2 } });
  await session.list();
  await new Promise((r) => setTimeout(r, 1100));
  await session.list();
  t.equal(sim.exchanges.filter((e) => e.status === 401).length, 0, 'never sent an expired token');
  t.equal(sim.exchanges.filter((e) => e.path === '/iam/token').length, 2);
});

t.test('a wrong secret: auth errors everywhere, never not_found, secret not printed', async (t) => {
  const { session } = await harness(t, { secret: 'wrong-secret-value' });
  const r = await session.read('ami-dc3f861d');
  t.same(r.status === 'error' && r.kind, 'auth');
  t.notMatch(r.status === 'error' ? r.message : '', /wrong-secret-value/);
  const e = await session.list().catch((err: unknown) => err);
  t.match(e, { kind: 'auth', definitive: true });
  const c = await session.create({ fields: { name: 'x', source_image_id: 'ami-dc3f861d' } }, opContext()).catch((err: unknown) => err);
  t.match(c, { kind: 'auth', definitive: true });
});

t.test('a failed image: definitive `failed` with the state comment, and no image left', async (t) => {
  const { sim, session } = await harness(t);
  sim.failNextImages(1, 'snapshot copy failed: quota exceeded');
  const ctx = opContext('eu.failing');
  const e = await session.create({ fields: { name: 'failing', vm_id: 'i-f2f6a5b3' } }, ctx).catch((err: unknown) => err);
  t.ok(e instanceof DriverError);
  t.match(e, { kind: 'failed', definitive: true });
  t.match((e as Error).message, /failed: Server\.InternalError: snapshot copy failed: quota exceeded/);
  t.match((e as Error).message, /was deleted, so nothing is left behind/);
  t.same(sim.listImages(), [], 'the failed image was deleted');
  t.equal(ctx.tasks.length, 1, 'its id had been journaled');
});

t.test('stuck pending: non-definitive timeout, then recover() after unstick adopts it', async (t) => {
  const { sim, session } = await harness(t, { settings: { pendingTimeoutMs: 150 } });
  sim.stickPending(1);
  const ctx = opContext('eu.slow');
  const e = await session.create({ fields: { name: 'slow', vm_id: 'i-f2f6a5b3', tags: [{ key: 'k', value: 'v' }] } }, ctx).catch((err: unknown) => err);
  t.match(e, { kind: 'timeout', definitive: false });
  t.match((e as Error).message, /still pending/);
  const [id] = ctx.tasks;
  t.ok(id, 'the id was journaled before waiting');
  t.same(simTags(sim, id!).map((x) => x.key), ['imagectl:address', 'imagectl:lineage', 'k'], 'tagged before the wait');
  sim.unstick();
  const byId = await session.recover({ action: 'create', address: 'eu.slow', idempotency_key: ctx.idempotency_key, task_id: id!, name: 'slow' });
  t.equal(byId.status, 'created');
  t.equal(byId.status === 'created' && byId.image.attributes['state'], 'available');
  const byTag = await session.recover({ action: 'create', address: 'eu.slow', idempotency_key: ctx.idempotency_key, name: 'slow', lineage: ctx.lineage });
  t.equal(byTag.status === 'created' && byTag.image.id, id, 'without the id: found by name + ownership tag');
});

t.test('recover() of a create still pending after the pending timeout keeps the intent (throws, non-definitive)', async (t) => {
  const { sim, session } = await harness(t, { settings: { pendingTimeoutMs: 100 } });
  sim.stickPending(1);
  const ctx = opContext('eu.stuck');
  await session.create({ fields: { name: 'stuck', vm_id: 'i-f2f6a5b3' } }, ctx).catch(() => undefined);
  const e = await session.recover({ action: 'create', address: 'eu.stuck', idempotency_key: 'k', task_id: ctx.tasks[0]! }).catch((err: unknown) => err);
  t.match(e, { kind: 'timeout', definitive: false });
});

t.test('recover() of a create: not created, and ambiguous', async (t) => {
  const { sim, session } = await harness(t);
  t.same(await session.recover({ action: 'create', address: 'eu.none', idempotency_key: 'k', task_id: 'ami-0000abcd' }), { status: 'not_created' });
  t.same(await session.recover({ action: 'create', address: 'eu.none', idempotency_key: 'k', name: 'never-made' }), { status: 'not_created' });
  // An untagged image with the intended name is not ours to adopt by guess...
  await raw(sim, 'POST', '/images', { name: 'same-name', sourceImageId: 'ami-dc3f861d' });
  t.same(await session.recover({ action: 'create', address: 'eu.none', idempotency_key: 'k', name: 'same-name' }), { status: 'not_created' });
  const old = new Date(Date.now() + 10 * 60_000).toISOString();
  t.same(await session.recover({ action: 'create', address: 'eu.none', idempotency_key: 'k', name: 'same-name', started_at: old }), { status: 'not_created' }, 'nor when it predates the intent');
  // ...but one made after the intent was journaled is the lost answer of our own POST.
  const since = new Date(Date.now() - 1000).toISOString();
  const lost = await session.recover({ action: 'create', address: 'eu.none', idempotency_key: 'k', name: 'same-name', started_at: since });
  t.equal(lost.status, 'created', 'adopted: created after the intent, untagged, with the intended name');
  t.equal((await session.recover({ action: 'create', address: 'eu.none', idempotency_key: 'k' })).status, 'unknown');
});

t.test('recover() of a failed image: created_failed with the reason, adopts nothing', async (t) => {
  const { sim, session } = await harness(t);
  sim.failNextImages(1, 'boom');
  const made = await raw(sim, 'POST', '/images', { name: 'doomed', vmId: 'i-f2f6a5b3' });
  const r = await session.recover({ action: 'create', address: 'eu.d', idempotency_key: 'k', task_id: made.body.id });
  t.match(r, { status: 'created_failed', id: made.body.id });
  t.match(r.status === 'created_failed' ? r.message : '', /boom/);
});

t.test('delete: 204, then 404 counts as done; recover() of a delete', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: { name: 'del', source_image_id: 'ami-dc3f861d' } }, opContext());
  t.equal((await session.recover({ action: 'delete', address: 'eu.del', idempotency_key: 'k', cloud_id: img.id })).status, 'unknown');
  await session.delete(img.id, opContext());
  t.equal((await session.read(img.id)).status, 'not_found');
  await session.delete(img.id, opContext());
  t.pass('deleting again succeeds');
  t.same(await session.recover({ action: 'delete', address: 'eu.del', idempotency_key: 'k', cloud_id: img.id }), { status: 'done' });
  t.same(await session.recover({ action: 'update', address: 'eu.del', idempotency_key: 'k', cloud_id: img.id }), { status: 'done' });
});

t.test('delete: a 403 (an official image) is an auth error, never success', async (t) => {
  const { session } = await harness(t);
  const e = await session.delete('ami-dc3f861d', opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'auth', definitive: true, status: 403 });
});

t.test('5xx and 429 are retried for reads; a POST is not re-sent after a 5xx', async (t) => {
  const { sim, session } = await harness(t);
  sim.setFaults({ errorRate: 0.3 });
  for (let i = 0; i < 5; i++) t.equal((await session.read('ami-dc3f861d')).status, 'found');
  sim.setFaults({ throttleRate: 0.5, retryAfterSeconds: 0 });
  t.ok((await session.list()).images);
  sim.setFaults({ errorRate: 1 });
  const before = sim.exchanges.filter((e) => e.method === 'POST' && e.path.endsWith('/images')).length;
  const e = await session.create({ fields: { name: 'five-hundred', source_image_id: 'ami-dc3f861d' } }, opContext()).catch((err: unknown) => err);
  t.match(e, { kind: 'transient', definitive: false });
  t.equal(sim.exchanges.filter((x) => x.method === 'POST' && x.path.endsWith('/images')).length - before, 1, 'exactly one POST');
  sim.setFaults(undefined);
});

t.test('a POST acted on but its answer lost: the image is found by name and finished', async (t) => {
  const { sim, session } = await harness(t);
  // Drop only the POST's answer: faults apply per request, so arm them just for that one call.
  sim.setFaults({ dropAfterRate: 1 });
  const origFetch = globalThis.fetch;
  let armed = true;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const isPost = init?.method === 'POST' && String(input).endsWith('/images');
    if (!isPost && armed) sim.setFaults(undefined);
    if (isPost && armed) sim.setFaults({ dropAfterRate: 1 });
    const res = origFetch(input, init);
    if (isPost) {
      armed = false;
      res.finally(() => sim.setFaults(undefined)).catch(() => undefined);
    }
    return res;
  }) as typeof fetch;
  t.teardown(() => void (globalThis.fetch = origFetch));
  const ctx = opContext('eu.lost');
  const img = await session.create({ fields: { name: 'lost-answer', source_image_id: 'ami-dc3f861d' } }, ctx);
  t.same(ctx.tasks, [img.id]);
  t.same(img.owner?.address, 'eu.lost', 'tagged after being found');
  t.equal(sim.listImages().length, 1, 'exactly one image');
  const posts = sim.exchanges.filter((e) => e.method === 'POST' && e.path.endsWith('/images'));
  t.same(posts.map((e) => e.status), [0], 'one POST, whose answer was dropped, and no second POST');
});
