// Issue 14 §2 and §6 in the applier: a delete the cloud refuses never makes the state forget an
// image, and the old half of a provider move is deleted where the old image is.
import t from 'tap';
import { applyPlan } from '../../src/apply/apply.js';
import { Journal } from '../../src/apply/journal.js';
import { nullSink } from '../../src/apply/events.js';
import { plan } from '../../src/planner/index.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import type { Observation, PlanImage } from '../../src/planner/input.js';
import type { StateFile } from '../../src/state/types.js';
import { deposedRef } from '../../src/planner/types.js';
import { image, input, iso, state } from '../support/builders.js';
import { FakeSession, MemoryStore } from '../support/fake-driver.js';

const IN_USE = 'HTTP 409: VMM-30409: image is in use by vm-42';

async function run(desired: PlanImage[], st: StateFile, sessions: Record<string, FakeSession>) {
  const store = new MemoryStore(st);
  const observed: Record<string, Observation> = {};
  for (const r of Object.values(st.resources)) {
    for (const [key, id, provider] of [[r.address, r.id, r.provider], ...(r.deposed ?? []).map((d) => [deposedRef(r.address, d.key), d.id, d.provider])] as [string, string, string][]) {
      const a = sessions[provider]?.images.get(id);
      observed[key] = a ? { status: 'found', image: { id, name: String(a['name']), attributes: a } } : { status: 'not_found' };
    }
  }
  const p = plan(input(desired, st, observed));
  const result = await applyPlan(p, {
    secrets: {}, sessions,
    schemas: { nutanix: nutanixSchema }, journal: new Journal(store, st), parallelism: 4, events: nullSink,
  });
  return { result, state: store.current, plan: p };
}

const v2 = { ...iso, source: { url: 'http://example.com/v2.iso' } };

t.test('a replacement whose old delete is refused keeps the old image deposed, and a later apply deletes it', async (t) => {
  const prod = new FakeSession();
  const first = await run([image('a', iso)], state(), { prod });
  const oldId = first.state.resources['a']?.id as string;
  prod.refuseDelete.set(oldId, IN_USE);

  const second = await run([image('a', v2)], first.state, { prod });
  t.same(second.result.failed.map((f) => f.address), ['a']);
  t.match(second.result.failed[0]?.message, new RegExp(`could not delete image ${oldId}: .*in use`));
  const a = second.state.resources['a'];
  t.not(a?.id, oldId, 'the new image is current');
  t.same(a?.deposed?.map((d) => [d.id, d.provider, d.last_error, d.attempts]), [[oldId, 'prod', IN_USE, 1]], 'the old one is deposed with the reason');
  t.same(second.state.pending, {}, 'no intent left: the deposed object is the record');

  const third = await run([image('a', v2)], second.state, { prod });
  t.same(third.plan.summary, { add: 0, change: 0, destroy: 1, unchanged: 1 }, 'the plan retries the delete');
  t.equal(third.result.failed.length, 1, 'still refused: still an error');
  t.equal(third.state.resources['a']?.deposed?.[0]?.attempts, 2);

  prod.refuseDelete.clear();
  const fourth = await run([image('a', v2)], third.state, { prod });
  t.same([fourth.result.destroyed, fourth.result.failed.length], [1, 0]);
  t.equal(fourth.state.resources['a']?.deposed, undefined, 'forgotten once the cloud confirms it gone');
  t.notOk(prod.images.has(oldId));
  const fifth = await run([image('a', v2)], fourth.state, { prod });
  t.same(fifth.plan.summary, { add: 0, change: 0, destroy: 0, unchanged: 1 });
});

t.test('an update in place keeps the deposed objects of its address', async (t) => {
  const prod = new FakeSession();
  const first = await run([image('a', iso)], state(), { prod });
  prod.refuseDelete.set(first.state.resources['a']?.id as string, IN_USE);
  const second = await run([image('a', v2)], first.state, { prod });
  const third = await run([image('a', { ...v2, description: 'new' })], second.state, { prod });
  t.equal(third.result.changed, 1);
  t.equal(third.state.resources['a']?.deposed?.length, 1);
});

t.test("removing an address deletes its deposed objects first; while one is refused the address keeps its image", async (t) => {
  const prod = new FakeSession();
  const first = await run([image('a', iso), image('keep', { ...iso, name: 'keep' })], state(), { prod });
  const oldId = first.state.resources['a']?.id as string;
  prod.refuseDelete.set(oldId, IN_USE);
  const second = await run([image('a', v2), image('keep', { ...iso, name: 'keep' })], first.state, { prod });
  const currentId = second.state.resources['a']?.id as string;

  const third = await run([image('keep', { ...iso, name: 'keep' })], second.state, { prod });
  t.same(third.result.skipped.map((s) => s.address), ['a'], 'the current image waits for its deposed one');
  t.ok(prod.images.has(currentId));
  t.equal(third.state.resources['a']?.id, currentId);
  t.same(third.state.resources['a']?.deposed?.map((d) => d.id), [oldId]);

  prod.refuseDelete.clear();
  const fourth = await run([image('keep', { ...iso, name: 'keep' })], third.state, { prod });
  t.same([fourth.result.destroyed, fourth.result.failed.length], [2, 0]);
  t.notOk(fourth.state.resources['a']);
});

t.test('a refused plain delete keeps the image with the reason', async (t) => {
  const prod = new FakeSession();
  const first = await run([image('a', iso), image('b', { ...iso, name: 'b' })], state(), { prod });
  const id = first.state.resources['a']?.id as string;
  prod.refuseDelete.set(id, IN_USE);
  const second = await run([image('b', { ...iso, name: 'b' })], first.state, { prod });
  t.match(second.result.failed[0]?.message, new RegExp(`could not delete image ${id}: .*in use`));
  t.equal(second.state.resources['a']?.id, id);
  t.equal(second.state.resources['a']?.delete_error, IN_USE);
  const third = plan(input([image('b', { ...iso, name: 'b' })], second.state, {}));
  t.match(third.changes.find((c) => c.address === 'a')?.reasons.map((r) => r.message).join('\n'), /in use/);
});

t.test('a provider move creates on the new provider and deletes on the old one', async (t) => {
  const prod = new FakeSession();
  const prod2 = new FakeSession();
  const first = await run([image('a', iso)], state(), { prod, prod2 });
  const oldId = first.state.resources['a']?.id as string;
  const moved = await run([image('a', iso, { provider: 'prod2' })], first.state, { prod, prod2 });
  t.same([moved.result.added, moved.result.destroyed, moved.result.failed.length], [1, 1, 0]);
  t.same(prod.calls.filter((c) => c.startsWith('delete')), [`delete a ${oldId}`], 'deleted where it was');
  t.equal(prod.images.size, 0);
  t.equal(prod2.images.size, 1);
  t.equal(moved.state.resources['a']?.provider, 'prod2');

  // A refused delete on the old provider leaves the old image deposed there, and retried there.
  const back = await run([image('a', iso)], moved.state, { prod, prod2 });
  const backId = back.state.resources['a']?.id as string;
  t.equal(back.state.resources['a']?.provider, 'prod');
  prod.refuseDelete.set(backId, IN_USE);
  const again = await run([image('a', iso, { provider: 'prod2' })], back.state, { prod, prod2 });
  t.same(again.state.resources['a']?.deposed?.map((d) => [d.id, d.provider]), [[backId, 'prod']], 'deposed where it lives');
  prod.refuseDelete.clear();
  const last = await run([image('a', iso, { provider: 'prod2' })], again.state, { prod, prod2 });
  t.equal(last.result.destroyed, 1);
  t.notOk(prod.images.has(backId), 'deleted on the provider it lives on');
  t.equal(last.state.resources['a']?.deposed, undefined);
});
