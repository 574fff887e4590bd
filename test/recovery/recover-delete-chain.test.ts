// The leftover intent of the chaos run (issue 14 §10): a Nutanix delete intent still journaled
// after the clean rerun. Prism answers a replayed NTNX-Request-Id with that request's first task,
// failed or not. A delete sent again was keyed only past the task the journal knew; when the
// journal's task was older than the last attempt (that attempt's answer was lost to a dropped
// connection or a kill before the journal write, or the applier re-sent the intent's first key
// and journaled the first task again), the derived key had been spent, the cloud replayed a
// failed task, and the intent stayed for another run. Now each replayed failure names the newer
// task and the next key is derived from it, and the applier follows a pending intent's task
// instead of re-sending its first key.
import t, { type Test } from 'tap';
import { nullSink } from '../../src/apply/events.js';
import { Journal } from '../../src/apply/journal.js';
import { deleteImage, type OpEnv } from '../../src/apply/operations.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import { recoverPending } from '../../src/recovery/recover.js';
import type { Intent } from '../../src/state/types.js';
import { harness, ISO, opContext } from '../drivers/nutanix/sim-session.js';
import { resource, state } from '../support/builders.js';
import { MemoryStore } from '../support/fake-driver.js';

/**
 * Image `a`, and two DELETEs of it that failed: with the intent's key (task T1), and with the
 * key derived from T1 (task T2), as a recovery in a faulty run sent it.
 */
async function twoFailedDeletes(t: Test) {
  const h = await harness(t);
  const img = await h.session.create({ fields: ISO }, opContext('a'));
  const key = '3e0c2a4b-7f1d-4c2e-9b8a-5d6e7f8a9b0c';
  const first = opContext('a', key);
  h.sim.failNextTasks(1);
  t.match(await h.session.delete(img.id, first).catch((e: unknown) => e), { kind: 'failed', definitive: true });
  const t1 = first.tasks[0] as string;
  const second = opContext('a', `${key}/after/${t1}`);
  h.sim.failNextTasks(1);
  t.match(await h.session.delete(img.id, second).catch((e: unknown) => e), { kind: 'failed', definitive: true });
  const t2 = second.tasks[0] as string;
  const intent = (taskId: string): Intent => ({
    op_id: 'op-1', address: 'a', provider: 'prod', driver: 'nutanix', action: 'delete', idempotency_key: key, cloud_id: img.id, task_id: taskId,
    started_at: '2026-11-22T00:00:00Z',
  });
  return { ...h, img, t1, t2, intent };
}

const deletes = (sim: { exchanges: { method: string }[] }): number => sim.exchanges.filter((e) => e.method === 'DELETE').length;

t.test('recovery: the journal knows only the first failed task; the key past it was spent: resolved in this run', async (t) => {
  const { sim, session, img, t1, t2, intent } = await twoFailedDeletes(t);
  const st = state([resource('a', img.id, ISO)]);
  st.pending['op-1'] = intent(t1);
  const journal = new Journal(new MemoryStore(st), st);
  const left = await recoverPending(journal, { prod: session }, {}, {}, nullSink, { nutanix: nutanixSchema });
  t.same(left, [], 'not left journaled for another run');
  t.same(journal.state.pending, {});
  t.notOk(journal.state.resources['a']);
  t.same(sim.listImages(), [], 'the image is gone');
  t.equal(deletes(sim), 2 + 2, `the two failed, the replay of ${t2}, one new attempt`);
});

t.test('applier: a pending delete intent with a task is followed, not re-sent with its first key', async (t) => {
  const { sim, session, img, t2, intent } = await twoFailedDeletes(t);
  const st = state([resource('a', img.id, ISO)]);
  st.pending['op-1'] = intent(t2);
  const journal = new Journal(new MemoryStore(st), st);
  const env: OpEnv = { journal, session, schema: nutanixSchema, events: nullSink, now: () => '2026-11-22T00:00:01Z' };
  const tasks: string[] = [];
  const setTask = journal.setTask.bind(journal);
  journal.setTask = (op, task) => (tasks.push(task), setTask(op, task));
  await deleteImage(env, { address: 'a', provider: 'prod', driver: 'nutanix' }, img.id, true);
  t.same(sim.listImages(), [], 'the image is gone');
  t.same(journal.state.pending, {});
  t.notOk(journal.state.resources['a']);
  t.equal(tasks.length, 1, `only the new attempt's task was journaled (${tasks.join(', ')}), never the first one again`);
  t.equal(deletes(sim), 2 + 1, 'one new DELETE keyed past the journaled task');
});
