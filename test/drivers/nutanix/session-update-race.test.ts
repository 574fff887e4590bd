import t from 'tap';
import { randomUUID } from 'node:crypto';
import { harness, ISO, opContext, raw, settleTask } from './sim-session.js';

const PATH = '/api/vmm/v4.0/content/images';

t.test('412: someone else updates between our GET and PUT; we re-read and re-apply on top', async (t) => {
  let sim: Awaited<ReturnType<typeof harness>>['sim'] | undefined;
  let raced = false;
  // Runs the out-of-band update just before the driver's first PUT leaves, so its ETag is stale.
  const racing: typeof fetch = async (input, init) => {
    if (!raced && init?.method === 'PUT' && sim) {
      raced = true;
      const id = String(input).split('/').pop() as string;
      const cur = await raw(sim, 'GET', `${PATH}/${id}`);
      const body = { ...cur.body.data, description: 'set by someone else' };
      const put = await raw(sim, 'PUT', `${PATH}/${id}`, body, { 'If-Match': cur.etag ?? '', 'NTNX-Request-Id': randomUUID() });
      await settleTask(sim, put.body.data.extId as string);
    }
    return fetch(input, init);
  };
  const h = await harness(t, { tuning: { http: { fetch: racing } } });
  sim = h.sim;
  const img = await h.session.create({ fields: ISO }, opContext());
  const ctx = opContext();
  const updated = await h.session.update({ id: img.id, fields: { ...ISO, name: 'ours' }, changed: ['name'] }, ctx);
  t.ok(raced);
  t.match(updated.attributes, { name: 'ours', description: 'set by someone else' }, 'our change on top of theirs, not over it');
  const ours = h.sim.exchanges.filter((e) => e.method === 'PUT' && e.body && (e.body as { name?: string }).name === 'ours');
  t.same(ours.map((e) => e.status), [412, 202], 'stale once, then accepted');
  t.not(ours[0]?.headers['if-match'], ours[1]?.headers['if-match'], 'the second PUT carries the fresh ETag');
  t.not(ours[0]?.headers['ntnx-request-id'], ours[1]?.headers['ntnx-request-id'], 'a new body gets a new request id');
  t.equal(ctx.tasks.length, 1);
});

t.test('412 on every attempt: a definitive conflict after the bounded attempts', async (t) => {
  let sim: Awaited<ReturnType<typeof harness>>['sim'] | undefined;
  let n = 0;
  const alwaysRacing: typeof fetch = async (input, init) => {
    if (init?.method === 'PUT' && sim) {
      const id = String(input).split('/').pop() as string;
      const cur = await raw(sim, 'GET', `${PATH}/${id}`);
      const put = await raw(sim, 'PUT', `${PATH}/${id}`, { ...cur.body.data, description: `other ${n++}` }, { 'If-Match': cur.etag ?? '', 'NTNX-Request-Id': randomUUID() });
      await settleTask(sim, put.body.data.extId as string);
    }
    return fetch(input, init);
  };
  const h = await harness(t, { tuning: { updateAttempts: 3, http: { fetch: alwaysRacing } } });
  sim = h.sim;
  const img = await h.session.create({ fields: ISO }, opContext());
  const err = await h.session.update({ id: img.id, fields: { ...ISO, name: 'never' }, changed: ['name'] }, opContext()).catch((e: unknown) => e);
  t.match(err, { kind: 'conflict', definitive: true, message: /kept changing/ });
  t.equal(n, 3);
});
