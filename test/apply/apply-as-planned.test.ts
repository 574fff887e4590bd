// The applier executes the Plan it is given: what was reviewed is what is sent. It resolves only
// the values the plan marks as known after apply, and fills secrets in at send time.
import t from 'tap';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { Journal } from '../../src/apply/journal.js';
import { nullSink } from '../../src/apply/events.js';
import { nutanixSchema } from '../../src/drivers/nutanix/schema.js';
import { readSavedPlan, writeSavedPlan } from '../../src/plan-pipeline/saved-plan.js';
import { plan } from '../../src/planner/index.js';
import type { Plan } from '../../src/planner/types.js';
import { fingerprintSecret } from '../../src/state/secrets.js';
import type { StateFile } from '../../src/state/types.js';
import type { JsonObject } from '../../src/util/json.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';
import { FakeSession, MemoryStore } from '../support/fake-driver.js';

/** Apply `p`, the applier's one input besides secrets, sessions, schemas and the journal. */
async function apply(p: Plan, st: StateFile, session: FakeSession, secrets: Record<string, Record<string, string>> = {}) {
  const store = new MemoryStore(st);
  const result = await applyPlan(p, {
    secrets,
    sessions: { prod: session }, schemas: { nutanix: nutanixSchema }, journal: new Journal(store, st), parallelism: 2, events: nullSink,
  });
  return { result, store };
}

const change = (p: Plan, address: string) => {
  const c = p.changes.find((x) => x.address === address);
  if (!c) throw new Error(`no change for ${address}`);
  return c;
};

t.test("a plan's after is sent as it is, not what re-preparing desired would give", async (t) => {
  const st = state();
  const p = plan(input([image('a', iso)], st));
  // A plan whose after differs from desired: the reviewed values win.
  change(p, 'a').after = { ...iso, name: 'as-reviewed', description: 'shown in the plan' };
  const s = new FakeSession();
  const { result, store } = await apply(p, st, s);
  t.same(result.failed, []);
  t.same([...s.images.values()], [{ ...iso, name: 'as-reviewed', description: 'shown in the plan' }]);
  t.same(store.current.resources['a']?.inputs, { ...iso, name: 'as-reviewed', description: 'shown in the plan' });
});

t.test('a reference known at plan time is sent as planned, not looked up again', async (t) => {
  const st = state([resource('base', 'img-base-1', iso)]);
  const derived = image('derived', { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'base.id' } } }, { depends_on: ['base'] });
  const p = plan(input([image('base', iso), derived], st, { base: found('img-base-1', iso) }));
  t.same(change(p, 'derived').after?.['source'], { ext_id: 'img-base-1' });
  // The state moved on after the plan was made: the reviewed value is still the one sent.
  const moved = state([resource('base', 'img-base-2', iso)]);
  const s = new FakeSession();
  const { store } = await apply(p, moved, s);
  t.same([...s.images.values()].map((f) => f['source']), [{ ext_id: 'img-base-1' }]);
  t.same(store.current.resources['derived']?.inputs['source'], { ext_id: 'img-base-1' });
});

t.test('a value known only after apply is resolved, and normalised as the planner would', async (t) => {
  const st = state();
  const derived = image('derived', { name: 'd', type: 'DISK_IMAGE', source: { url: 'http://x.org/d.iso' }, category_ext_ids: ['zz', { ref: 'base.id' }] }, { depends_on: ['base'] });
  const p = plan(input([image('base', iso), derived], st));
  t.same(change(p, 'derived').after?.['category_ext_ids'], ['zz', { $unknown: 'base.id' }]);
  const s = new FakeSession();
  const { result, store } = await apply(p, st, s);
  t.same(result.failed, []);
  const baseId = store.current.resources['base']?.id as string;
  t.same(store.current.resources['derived']?.inputs['category_ext_ids'], [baseId, 'zz'].sort());
});

t.test('a saved plan applied later sends exactly its after, with its secrets filled in', async (t) => {
  const dir = t.testdir();
  const st = state();
  const secretFields = (password: JsonObject | string): JsonObject => ({ ...iso, source: { url: 'http://x.org/a.iso', basic_auth: { username: 'u', password } } });
  const fp = { $secret: fingerprintSecret('hunter2-secret', st.secret_salt) };
  const made = plan(input([image('a', secretFields(fp), { lifecycle: { prevent_destroy: true, ignore_changes: [] } })], st));
  const file = join(dir, 'p.json');
  await writeSavedPlan(file, made, st);
  const saved = await readSavedPlan(file, st);
  t.equal(change(saved, 'a').after?.['source'] && JSON.stringify(change(saved, 'a').after).includes('(sensitive)'), true, 'the file holds no fingerprint');
  const s = new FakeSession();
  const { result, store } = await apply(saved, st, s, { a: { '/source/basic_auth/password': 'hunter2-secret' } });
  t.same(result.failed, []);
  t.same([...s.images.values()], [secretFields('hunter2-secret')], 'exactly the saved after, the secret filled in');
  t.same(store.current.resources['a']?.inputs, secretFields(fp), 'the state keeps the fingerprint, not the value');
  t.equal(store.current.resources['a']?.protected, true, "the plan's prevent_destroy is recorded");
  for (const w of store.writes) t.notOk(JSON.stringify(w).includes('hunter2-secret'));
});

t.test('a plan from before changes carried prevent_destroy keeps protection, never lifts it', async (t) => {
  const st = state([resource('a', 'img-a', iso, { protected: true })]);
  const p = plan(input([image('a', { ...iso, description: 'new' })], st, { a: found('img-a', iso) }));
  const c = change(p, 'a');
  t.equal(c.action, 'update');
  t.equal(c.prevent_destroy, false, 'the configuration lifts it');
  delete c.prevent_destroy;
  const s = new FakeSession();
  s.images.set('img-a', iso);
  const { store } = await apply(p, st, s);
  t.equal(store.current.resources['a']?.inputs['description'], 'new');
  t.equal(store.current.resources['a']?.protected, true);
});
