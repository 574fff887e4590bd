import t from 'tap';
import {
  addIntent, clearIntent, removeResource, resolveIntent, setIntentTask, setResource, updateIntent,
} from '../../src/state/intents.js';
import { emptyState } from '../../src/state/format.js';
import type { StateFile } from '../../src/state/types.js';
import { makeIntent, makeResource } from './fixtures/builders.js';

/** Deep-freezes so any mutation by the helpers throws (tests run as ESM, hence strict mode). */
function frozen<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) frozen(child);
    Object.freeze(v);
  }
  return v;
}

const start = (): StateFile => frozen(setResource(setResource(emptyState(), makeResource('a')), makeResource('b')));

t.test('the journal of one create, step by step, never mutating its input', async (t) => {
  const s0 = start();
  const snapshot = JSON.stringify(s0);
  const s1 = addIntent(s0, makeIntent('op1', { address: 'c' }));
  t.same(Object.keys(s1.pending), ['op1']);
  const s2 = setIntentTask(frozen(s1), 'op1', 'task-9');
  t.equal(s2.pending.op1?.task_id, 'task-9');
  const s3 = updateIntent(frozen(s2), 'op1', { cloud_id: 'img-1', name: 'c-image' });
  t.match(s3.pending.op1, { task_id: 'task-9', cloud_id: 'img-1', name: 'c-image' });
  const s4 = resolveIntent(frozen(s3), 'op1', { resource: makeResource('c', { id: 'img-1' }) });
  t.same(s4.pending, {});
  t.same(Object.keys(s4.resources).sort(), ['a', 'b', 'c']);
  t.equal(JSON.stringify(s0), snapshot, 'the first state is untouched');
  t.equal(s1.pending.op1?.task_id, undefined, 'earlier states keep their values');
  t.equal(s4.resources.a, s0.resources.a, 'unchanged resources are shared, not copied');
});

t.test('a delete resolves by removing the resource', async (t) => {
  const s = addIntent(start(), makeIntent('op2', { address: 'a', action: 'delete' }));
  const done = resolveIntent(frozen(s), 'op2', { removed: 'a' });
  t.same(Object.keys(done.resources), ['b']);
  t.same(done.pending, {});
  const nothing = resolveIntent(frozen(s), 'op2', { nothing: true });
  t.same(Object.keys(nothing.resources), ['a', 'b']);
  t.same(nothing.pending, {});
});

t.test('updateIntent keeps undefined out of the state', async (t) => {
  const s = addIntent(start(), makeIntent('op'));
  const u = updateIntent(s, 'op', { task_id: 't' });
  t.notOk('cloud_id' in (u.pending.op ?? {}));
});

t.test('misuse is an internal error; clearing or removing what is absent is a no-op', async (t) => {
  const s = addIntent(start(), makeIntent('op'));
  t.throws(() => addIntent(s, makeIntent('op')), { code: 'STATE_INTENT_EXISTS' });
  t.throws(() => setIntentTask(s, 'nope', 'x'), { code: 'STATE_INTENT_UNKNOWN', origin: 'internal' });
  t.equal(clearIntent(s, 'nope'), s);
  t.equal(removeResource(s, 'nope'), s);
  t.same(Object.keys(clearIntent(s, 'op').pending), []);
});

t.test('setResource replaces by address', async (t) => {
  const s = setResource(start(), makeResource('a', { protected: true }));
  t.equal(s.resources.a?.protected, true);
  t.equal(Object.keys(s.resources).length, 2);
});
