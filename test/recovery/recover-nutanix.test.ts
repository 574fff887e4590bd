// Recovery against the Nutanix simulator, for the intents the chaos run left behind: the API
// answers a replayed NTNX-Request-Id with the ORIGINAL task, so an intent whose task had failed
// was answered with the same failure on every run and never resolved; and a delete whose task was
// still running must be waited for, not sent again.
import t, { type Test } from 'tap';
import { nullSink } from '../../src/apply/events.js';
import { Journal } from '../../src/apply/journal.js';
import type { DriverSession } from '../../src/drivers/contract.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import { recoverPending } from '../../src/recovery/recover.js';
import type { Intent, StateFile } from '../../src/state/types.js';
import { harness, ISO, opContext } from '../drivers/nutanix/sim-session.js';
import { image, resource, state } from '../support/builders.js';
import { MemoryStore } from '../support/fake-driver.js';

const STARTED = '2026-11-22T00:00:00Z';

function intent(fields: Omit<Intent, 'op_id' | 'address' | 'provider' | 'driver' | 'started_at'>): Intent {
  return { op_id: 'op-1', address: 'a', provider: 'prod', driver: 'nutanix', started_at: STARTED, ...fields };
}

/** One recovery pass, as `apply` runs it first; `declared` says whether the config still has `a`. */
async function recover(st: StateFile, session: DriverSession, declared = true): Promise<{ left: Intent[]; journal: Journal }> {
  const journal = new Journal(new MemoryStore(st), st);
  const left = await recoverPending(journal, { prod: session }, declared ? { a: image('a', ISO) } : {}, {}, nullSink, { nutanix: nutanixSchema });
  return { left, journal };
}

const deletes = (sim: { exchanges: { method: string }[] }): number => sim.exchanges.filter((e) => e.method === 'DELETE').length;

t.test('a create whose task failed, journaled without its task id: settled as not created', async (t) => {
  const { sim, session } = await harness(t);
  const ctx = opContext('a');
  sim.failNextTasks(1);
  t.match(await session.create({ fields: ISO }, ctx).catch((e: unknown) => e), { kind: 'failed', definitive: true });
  const st = state();
  st.pending['op-1'] = intent({ action: 'create', idempotency_key: ctx.idempotency_key, inputs: ISO, name: 'ubuntu-mini' });
  const { left, journal } = await recover(st, session);
  t.same(left, [], 'resolved: the replayed key answers with the failed task, so nothing was created');
  t.same(journal.state.pending, {});
  t.notOk(journal.state.resources['a'], 'nothing adopted');
  t.same(sim.listImages(), [], 'no image made');
});

/** An image whose delete task FAILED, and the delete intent as the run that sent it journaled it. */
async function failedDelete(t: Test, withTaskId: boolean) {
  const h = await harness(t);
  const img = await h.session.create({ fields: ISO }, opContext('a'));
  h.sim.failNextTasks(1);
  const ctx = opContext('a');
  t.match(await h.session.delete(img.id, ctx).catch((e: unknown) => e), { kind: 'failed', definitive: true });
  const st = state([resource('a', img.id, ISO)]);
  const task = withTaskId ? { task_id: ctx.tasks[0] as string } : {};
  st.pending['op-1'] = intent({ action: 'delete', idempotency_key: ctx.idempotency_key, cloud_id: img.id, ...task });
  return { ...h, st };
}

for (const withTaskId of [true, false]) {
  const how = withTaskId ? 'journaled' : 'never journaled (the first DELETE is replayed, then a new attempt)';
  t.test(`a delete whose task failed, its task ${how}: deleted again with a new key, in this run`, async (t) => {
    const { sim, session, st } = await failedDelete(t, withTaskId);
    const { left, journal } = await recover(st, session, false);
    t.same(left, []);
    t.same(journal.state.pending, {});
    t.notOk(journal.state.resources['a'], 'the resource left the state');
    t.same(sim.listImages(), [], 'the image is gone');
    t.equal(deletes(sim), withTaskId ? 2 : 3, 'the DELETE that failed, its replay if any, one new attempt');
  });
}

t.test('a delete whose task is still running: waited for, never sent again', async (t) => {
  const { sim, session } = await harness(t, { sim: { taskDurationMs: 300 } });
  const img = await session.create({ fields: ISO }, opContext('a'));
  const ac = new AbortController();
  const ctx = opContext('a', undefined, ac.signal);
  ctx.on_task = (id) => {
    ctx.tasks.push(id);
    ac.abort(); // the run dies right after journaling the task
  };
  await session.delete(img.id, ctx).catch(() => undefined);
  const st = state([resource('a', img.id, ISO)]);
  st.pending['op-1'] = intent({ action: 'delete', idempotency_key: ctx.idempotency_key, cloud_id: img.id, task_id: ctx.tasks[0] as string });
  const { left, journal } = await recover(st, session, false);
  t.same(left, []);
  t.notOk(journal.state.resources['a']);
  t.same(sim.listImages(), []);
  t.equal(deletes(sim), 1, 'one DELETE: the running task was polled to its end');
});

t.test('a resumed create refused before reaching the API (a redirect) says nothing of the first request: kept journaled', async (t) => {
  // The first request with this key made the image; the run died before journaling its task.
  const { sim, session } = await harness(t);
  const ctx = opContext('a');
  const made = await session.create({ fields: ISO }, ctx);
  const st = state();
  st.pending['op-1'] = intent({ action: 'create', idempotency_key: ctx.idempotency_key, inputs: ISO, name: 'ubuntu-mini' });
  // The resumed create meets a redirect (a definitive refusal of that request only).
  sim.setFaults({ redirectRate: 1, redirectPort: 9 });
  const first = await recover(st, session);
  t.equal(first.left.length, 1, 'not settled as "nothing created": the image exists');
  sim.setFaults(undefined);
  const second = await recover(first.journal.state, session);
  t.same(second.left, [], 'resolved by the next run');
  t.equal(second.journal.state.resources['a']?.id, made.id, 'the image the first request made is adopted');
  t.equal(sim.listImages().length, 1, 'no second image');
});
