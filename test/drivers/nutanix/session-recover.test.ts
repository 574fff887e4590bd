import t from 'tap';
import { harness, ISO, opContext } from './sim-session.js';

t.test('create with a journaled task id: created, with the image', async (t) => {
  const { session } = await harness(t);
  const ctx = opContext();
  const img = await session.create({ fields: ISO }, ctx);
  const r = await session.recover({ action: 'create', address: ctx.address, idempotency_key: ctx.idempotency_key, task_id: ctx.tasks[0] as string });
  t.match(r, { status: 'created', image: { id: img.id, name: img.name } });
});

t.test('create interrupted mid-task: the journaled task is followed to its end, never sent again', async (t) => {
  const { sim, session } = await harness(t, { sim: { taskDurationMs: 400 } });
  const ac = new AbortController();
  const ctx = opContext('a', undefined, ac.signal);
  ctx.on_task = (id) => {
    ctx.tasks.push(id);
    ac.abort(); // the run dies right after journaling the task
  };
  await session.create({ fields: ISO }, ctx).catch(() => undefined);
  const intent = { action: 'create' as const, address: 'a', idempotency_key: ctx.idempotency_key, task_id: ctx.tasks[0] as string };
  t.match(await session.recover(intent), { status: 'created' });
  t.equal(sim.listImages().length, 1);
  t.equal(sim.exchanges.filter((e) => e.method === 'POST').length, 1, 'one POST: recovery only read the task');
});

t.test('create without a task id: unknown; re-issuing create with the same key yields the same single image', async (t) => {
  const { sim, session } = await harness(t);
  const first = opContext();
  const img = await session.create({ fields: ISO }, first);
  const r = await session.recover({ action: 'create', address: 'a', idempotency_key: first.idempotency_key });
  t.match(r, { status: 'unknown', message: /same idempotency key/ });
  const again = await session.create({ fields: ISO }, opContext('a', first.idempotency_key));
  t.equal(again.id, img.id);
  t.equal(sim.listImages().length, 1);
});

t.test('failed create task: not_created; unknown task id: unknown', async (t) => {
  const { session } = await harness(t);
  const ctx = opContext();
  await session.create({ fields: { ...ISO, source: { url: 'http://x.invalid/a.iso' } } }, ctx).catch(() => undefined);
  t.same(await session.recover({ action: 'create', address: 'a', idempotency_key: ctx.idempotency_key, task_id: ctx.tasks[0] as string }), {
    status: 'not_created',
  });
  t.match(await session.recover({ action: 'create', address: 'a', idempotency_key: 'k', task_id: 'ZXJnb24=:447c5e9e-b7ad-408e-ae4f-82de667ef72e' }), {
    status: 'unknown',
    message: /no longer known/,
  });
});

t.test('created, then deleted out of band: not_created', async (t) => {
  const { session } = await harness(t);
  const ctx = opContext();
  const img = await session.create({ fields: ISO }, ctx);
  await session.delete(img.id, opContext());
  t.same(await session.recover({ action: 'create', address: 'a', idempotency_key: ctx.idempotency_key, task_id: ctx.tasks[0] as string }), { status: 'not_created' });
});

t.test('update and delete', async (t) => {
  const { session } = await harness(t);
  const img = await session.create({ fields: ISO }, opContext());
  const u = opContext();
  await session.update({ id: img.id, fields: { ...ISO, name: 'u' }, changed: ['name'] }, u);
  t.same(await session.recover({ action: 'update', address: 'a', idempotency_key: u.idempotency_key, task_id: u.tasks[0] as string, cloud_id: img.id }), {
    status: 'done',
  });
  t.match(await session.recover({ action: 'update', address: 'a', idempotency_key: u.idempotency_key, cloud_id: img.id }), { status: 'unknown' });

  t.match(await session.recover({ action: 'delete', address: 'a', idempotency_key: 'k', cloud_id: img.id }), {
    status: 'unknown',
    message: /still exists/,
  });
  const d = opContext();
  await session.delete(img.id, d);
  t.same(await session.recover({ action: 'delete', address: 'a', idempotency_key: d.idempotency_key, cloud_id: img.id, task_id: d.tasks[0] as string }), {
    status: 'done',
  });
  t.match(await session.recover({ action: 'delete', address: 'a', idempotency_key: 'k' }), { status: 'unknown' });
});

t.test('delete interrupted mid-task: recover waits for the task instead of sending DELETE again', async (t) => {
  const { sim, session } = await harness(t, { sim: { taskDurationMs: 300 } });
  const img = await session.create({ fields: ISO }, opContext());
  const ac = new AbortController();
  const d = opContext('a', undefined, ac.signal);
  d.on_task = (id) => {
    d.tasks.push(id);
    ac.abort();
  };
  await session.delete(img.id, d).catch(() => undefined);
  t.same(await session.recover({ action: 'delete', address: 'a', idempotency_key: d.idempotency_key, cloud_id: img.id, task_id: d.tasks[0] as string }), {
    status: 'done',
  });
  t.equal(sim.exchanges.filter((e) => e.method === 'DELETE').length, 1, 'one DELETE: the running task was polled to its end');
});

t.test('delete whose task failed: unknown, so the image is deleted again', async (t) => {
  const { sim, session } = await harness(t);
  const img = await session.create({ fields: ISO }, opContext());
  sim.failNextTasks(1);
  const d = opContext('a');
  t.match(await session.delete(img.id, d).catch((e: unknown) => e), { kind: 'failed', definitive: true });
  t.match(await session.recover({ action: 'delete', address: 'a', idempotency_key: d.idempotency_key, cloud_id: img.id, task_id: d.tasks[0] as string }), {
    status: 'unknown',
    message: /still exists: the delete task FAILED: .*deleting again is safe/,
  });
});

t.test('recover cannot ask the API: it throws instead of guessing', async (t) => {
  const { session } = await harness(t, { password: 'nope-nope' });
  t.match(await session.recover({ action: 'delete', address: 'a', idempotency_key: 'k', cloud_id: 'c13300a6-d246-4d1f-9d0c-64b5dd31c393' }).catch((e: unknown) => e), {
    kind: 'auth',
  });
});
