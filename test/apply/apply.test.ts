import t from 'tap';
import { applyPlan } from '../../src/apply/apply.js';
import { Journal } from '../../src/apply/journal.js';
import { nullSink } from '../../src/apply/events.js';
import { plan } from '../../src/planner/index.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import type { PlanImage } from '../../src/planner/input.js';
import type { Observation } from '../../src/planner/input.js';
import { image, input, iso, state } from '../support/builders.js';
import { FakeSession, MemoryStore } from '../support/fake-driver.js';
import type { StateFile } from '../../src/state/types.js';
import { ImagectlError } from '../../src/util/errors.js';

async function run(desired: PlanImage[], st: StateFile, session: FakeSession, opts: { secrets?: Record<string, Record<string, string>>; observed?: Record<string, Observation>; stop?: AbortSignal } = {}) {
  const store = new MemoryStore(st);
  const p = plan(input(desired, st, opts.observed ?? {}));
  const journal = new Journal(store, st);
  const result = await applyPlan(p, {
    secrets: opts.secrets ?? {},
    sessions: { prod: session },
    schemas: { nutanix: nutanixSchema },
    journal,
    parallelism: 4,
    events: nullSink,
    ...(opts.stop ? { stop: opts.stop } : {}),
  });
  return { result, store, plan: p };
}

t.test('creates in dependency order, resolves references, saves after every step', async (t) => {
  const s = new FakeSession();
  const desired = [
    image('base', iso),
    image('derived', { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'base.id' } } }, { depends_on: ['base'] }),
  ];
  const { result, store } = await run(desired, state(), s);
  t.same(result, { added: 2, changed: 0, destroyed: 0, failed: [], skipped: [], interrupted: false });
  t.equal(s.calls[0], 'create base ubuntu');
  const baseId = store.current.resources['base']?.id;
  t.same(store.current.resources['derived']?.inputs['source'], { ext_id: baseId });
  t.same(store.current.pending, {});
  t.ok(store.writes.length >= 4, 'intent + result written for each create');
  t.ok(store.writes.some((w) => Object.keys(w.pending).length > 0), 'an intent was journaled before the call');
});

t.test('a failure skips its dependents only', async (t) => {
  const s = new FakeSession();
  s.failCreate.add('bad');
  const desired = [
    image('a', { ...iso, name: 'bad' }),
    image('b', { name: 'b', type: 'DISK_IMAGE', source: { ext_id: { ref: 'a.id' } } }, { depends_on: ['a'] }),
    image('c', { ...iso, name: 'c' }),
  ];
  const { result, store } = await run(desired, state(), s);
  t.equal(result.added, 1);
  t.same(result.failed.map((f) => f.address), ['a']);
  t.same(result.skipped.map((f) => f.address), ['b']);
  t.ok(store.current.resources['c']);
  t.same(store.current.pending, {}, 'a definitive failure clears its intent');
});

t.test('an ambiguous failure keeps the intent for recovery', async (t) => {
  const s = new FakeSession();
  s.dropCreate.add('flaky');
  const { result, store } = await run([image('a', { ...iso, name: 'flaky' })], state(), s);
  t.equal(result.failed.length, 1);
  const pending = Object.values(store.current.pending);
  t.equal(pending.length, 1);
  t.equal(pending[0]?.action, 'create');
  t.equal(pending[0]?.task_id, 'task-img-1', 'the task id was journaled');
});

t.test('secrets reach the driver but never the state', async (t) => {
  const s = new FakeSession();
  const fields = { ...iso, source: { url: 'http://x.org/a.iso', basic_auth: { username: 'u', password: { $secret: 'scrypt$fp' } } } };
  const { store } = await run([image('a', fields)], state(), s, { secrets: { a: { '/source/basic_auth/password': 'hunter2-secret' } } });
  const sent = [...s.images.values()][0];
  t.same((sent?.['source'] as { basic_auth: { password: string } }).basic_auth.password, 'hunter2-secret');
  for (const w of store.writes) t.notOk(JSON.stringify(w).includes('hunter2-secret'));
  t.same(store.current.resources['a']?.inputs['source'], fields.source);
});

t.test('replacement: create before destroy journals the old delete with the create', async (t) => {
  const s = new FakeSession();
  const first = await run([image('a', iso)], state(), s);
  const st1 = first.store.current;
  const oldId = st1.resources['a']?.id as string;
  const changed = image('a', { ...iso, source: { url: 'http://example.com/new.iso' } });
  const live = { a: { status: 'found' as const, image: { id: oldId, name: 'ubuntu', attributes: st1.resources['a']?.attributes ?? {} } } };
  const { result, store } = await run([changed], st1, s, { observed: live });
  t.same([result.added, result.destroyed], [1, 1]);
  t.notOk(s.images.has(oldId));
  t.equal(s.images.size, 1);
  const mid = store.writes.find((w) => Object.values(w.pending).some((i) => i.action === 'delete' && i.cloud_id === oldId));
  t.ok(mid, 'the old image delete was journaled');
  t.equal(mid?.resources['a']?.id !== oldId, true, 'in the same write the resource points at the new image');
  t.same(store.current.pending, {});
});

t.test('stop: no new step starts once interrupted', async (t) => {
  const s = new FakeSession();
  const ac = new AbortController();
  ac.abort();
  const { result } = await run([image('a', iso), image('b', { ...iso, name: 'b' })], state(), s, { stop: ac.signal });
  t.equal(result.interrupted, true);
  t.equal(s.calls.length, 0);
  t.equal(result.skipped.length, 2);
});

t.test('delete removes from state; prevent_destroy change is persisted on a no-op', async (t) => {
  const s = new FakeSession();
  const first = await run([image('a', iso), image('b', { ...iso, name: 'b' })], state(), s);
  const st1 = first.store.current;
  const obs = Object.fromEntries(Object.values(st1.resources).map((r) => [r.address, { status: 'found' as const, image: { id: r.id, name: '', attributes: r.attributes } }]));
  const { result, store } = await run([image('a', iso, { lifecycle: { prevent_destroy: true, ignore_changes: [] } })], st1, s, { observed: obs });
  t.equal(result.destroyed, 1);
  t.notOk(store.current.resources['b']);
  t.equal(store.current.resources['a']?.protected, true);
});

t.test('a lost state lock stops the run: no step starts after the first finds out', async (t) => {
  // A store whose lock another run broke: every write is refused, as the local and PostgreSQL
  // stores refuse them once the lock is no longer this run's.
  class LostLockStore extends MemoryStore {
    override async write(): Promise<StateFile> {
      throw new ImagectlError('STATE_LOCK_LOST', 'the state lock was broken by another run', { origin: 'user' });
    }
  }
  const s = new FakeSession();
  const st = state();
  const desired = [image('a', { ...iso, name: 'a' }), image('b', { ...iso, name: 'b' }), image('c', { ...iso, name: 'c' })];
  const result = await applyPlan(plan(input(desired, st)), {
    secrets: {},
    sessions: { prod: s }, schemas: { nutanix: nutanixSchema }, journal: new Journal(new LostLockStore(st), st),
    parallelism: 1, events: nullSink,
  });
  t.same(result.failed.map((f) => f.address), ['a'], 'only the step that found out failed');
  t.same(result.skipped.map((f) => [f.address, f.because]), [['b', 'the state lock was lost'], ['c', 'the state lock was lost']]);
  t.same(s.calls, [], 'no cloud call was made');
});
