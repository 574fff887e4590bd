import t from 'tap';
import { Journal } from '../../src/apply/journal.js';
import type { Intent, StateFile } from '../../src/state/types.js';
import { state } from '../support/builders.js';
import { MemoryStore } from '../support/fake-driver.js';

const intent = (n: number): Omit<Intent, 'op_id' | 'started_at'> => ({
  address: `img-${n}`, provider: 'prod', driver: 'nutanix', action: 'create', idempotency_key: `key-${n}`,
});

/** A store whose writes take a while, so mutations pile up behind one in flight. */
class SlowStore extends MemoryStore {
  override async write(s: StateFile) {
    await new Promise((r) => setTimeout(r, 5));
    return super.write(s);
  }
}

t.test('group commit: concurrent mutations share writes, each resolves once its write is done', async (t) => {
  const store = new SlowStore(state());
  const journal = new Journal(store, state());
  const begun = await Promise.all(
    Array.from({ length: 50 }, async (_v, i) => {
      const it = await journal.begin(intent(i));
      // By the time begin() resolves, a write holding this intent is in the store.
      t.ok(store.writes.some((w) => it.op_id in w.pending), `intent ${i} was written before begin resolved`);
      return it;
    }),
  );
  t.ok(store.writes.length < 10, `50 intents took ${store.writes.length} writes, not 50`);
  await Promise.all(begun.map((it) => journal.finish(it.op_id)));
  t.same(store.current.pending, {}, 'every intent cleared on disk');
  t.same(journal.state.pending, {});
});

t.test('a mutation arriving during a write waits for the next write', async (t) => {
  const store = new SlowStore(state());
  const journal = new Journal(store, state());
  const first = journal.begin(intent(1));
  await new Promise((r) => setTimeout(r, 2)); // the first write is now in flight
  const second = await journal.begin(intent(2));
  t.ok(second.op_id in store.current.pending);
  await first;
  t.equal(Object.keys(store.current.pending).length, 2);
});

t.test('a failed write rejects its callers; idle() waits for fire-and-forget updates', async (t) => {
  const store = new SlowStore(state());
  let fail = true;
  const write = store.write.bind(store);
  store.write = async (s: StateFile) => {
    if (fail) throw new Error('disk full');
    return write(s);
  };
  const journal = new Journal(store, state());
  await t.rejects(journal.begin(intent(1)), /disk full/);
  fail = false;
  const it = await journal.begin(intent(2));
  void journal.setTask(it.op_id, 'task-9');
  await journal.idle();
  t.equal(store.current.pending[it.op_id]?.task_id, 'task-9');
});
