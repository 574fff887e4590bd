// Issue 14 §2 and §6 in the pure planner: deposed objects are pending destroys with their id and
// reason; a provider change is a replacement; protection holds through both.
import t from 'tap';
import { plan } from '../../src/planner/index.js';
import { changeKey } from '../../src/planner/types.js';
import { deposedRef } from '../../src/planner/types.js';
import type { DeposedObject } from '../../src/state/types.js';
import type { Observation } from '../../src/planner/input.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const id = '11111111-1111-4111-8111-111111111111';
const oldId = '22222222-2222-4222-8222-222222222222';
const live = { ...iso, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false } };
const old: DeposedObject = {
  key: '0a1b2c3d', id: oldId, provider: 'prod', driver: 'nutanix', inputs: iso, attributes: iso,
  since: '2026-11-20T00:00:00Z', last_error: 'HTTP 409: image is in use by vm-42', attempts: 1,
};

t.test('a deposed object is a pending destroy with its id and the reason it is still there', async (t) => {
  const st = state([resource('a', id, iso, { deposed: [old] })]);
  const p = plan(input([image('a', iso)], st, { a: found(id, live), [deposedRef('a', old.key)]: found(oldId, iso) }));
  t.same(p.changes.map((c) => [changeKey(c), c.action, c.id]), [['a', 'no-op', id], ['a (deposed 0a1b2c3d)', 'delete', oldId]]);
  const d = p.changes[1];
  t.equal(d?.deposed, '0a1b2c3d');
  t.equal(d?.provider, 'prod');
  t.same(d?.reasons.map((r) => r.code), ['deposed', 'delete_failed']);
  t.match(d?.reasons[1]?.message, /in use by vm-42/);
  t.equal(d?.protected, false);
  t.ok(d?.observed, 'a saved plan can tell whether it moved');
  t.same(p.summary, { add: 0, change: 0, destroy: 1, unchanged: 1 });
  t.same(p.errors, []);
});

t.test('a deposed object already gone is still planned, so the state forgets it', async (t) => {
  const st = state([resource('a', id, iso, { deposed: [old] })]);
  const p = plan(input([image('a', iso)], st, { a: found(id, live), [deposedRef('a', old.key)]: { status: 'not_found' } }));
  const d = p.changes.find((c) => c.deposed !== undefined);
  t.equal(d?.action, 'delete');
  t.ok(d?.reasons.some((r) => r.code === 'already_deleted'));
});

t.test('a deposed object survives the address leaving the configuration, and is never guarded by prevent_destroy', async (t) => {
  const st = state([resource('a', id, iso, { deposed: [old], protected: false }), resource('b', '3', iso)]);
  const p = plan(input([image('b', iso)], st, {}));
  t.same(p.changes.filter((c) => c.address === 'a').map((c) => [c.action, c.id, c.deposed]), [['delete', id, undefined], ['delete', oldId, '0a1b2c3d']]);
  t.same(p.changes.find((c) => c.deposed === undefined && c.address === 'a')?.depends_on, [], 'deposed objects add no ordering edges');
});

t.test('targets plan only their own deposed objects', async (t) => {
  const st = state([resource('a', id, iso, { deposed: [old] }), resource('b', '3', iso, { deposed: [{ ...old, key: 'ffffffff', id: '4' }] })]);
  const p = plan(input([image('a', iso), image('b', iso)], st, {}, { targets: ['b'] }));
  t.same(p.changes.map(changeKey), ['b', 'b (deposed ffffffff)']);
});

t.test('the last delete error of a removed image is shown', async (t) => {
  const st = state([resource('a', id, iso, { delete_error: 'HTTP 409: image is in use' }), resource('b', '3', iso)]);
  const p = plan(input([image('b', iso)], st, { a: found(id, live) }));
  const a = p.changes.find((c) => c.address === 'a');
  t.same(a?.reasons.map((r) => r.code), ['removed_from_config', 'delete_failed']);
  t.match(a?.reasons[1]?.message, new RegExp(`${id}.*in use`));
});

t.test('a provider change is a replacement with a reason, the old image deleted where it is', async (t) => {
  const st = state([resource('a', id, iso)]);
  const p = plan(input([image('a', iso, { provider: 'prod2' })], st, { a: found(id, live) }));
  const c = p.changes[0];
  t.equal(c?.action, 'replace');
  t.equal(c?.provider, 'prod2');
  t.equal(c?.prior_provider, 'prod');
  t.equal(c?.replace_order, 'create_before_destroy', 'names need not be unique across Nutanix images');
  t.ok(c?.reasons.some((r) => r.code === 'provider_changed' && /prod to prod2/.test(r.message)));
  t.same(p.summary, { add: 1, change: 0, destroy: 1, unchanged: 0 });
});

t.test('a provider change keeps the lifecycle order: unique names and the name kept mean destroy first', async (t) => {
  const st = state([resource('a', id, iso, { driver: 'unique' })]);
  const p = plan(input([image('a', iso, { provider: 'prod2', driver: 'unique' })], st, { a: found(id, live) }));
  t.equal(p.changes[0]?.replace_order, 'destroy_before_create');
});

t.test('prevent_destroy refuses a provider change, whether in the configuration or only in the state', async (t) => {
  const inConfig = plan(input([image('a', iso, { provider: 'prod2', lifecycle: { prevent_destroy: true, ignore_changes: [] } })], state([resource('a', id, iso, { protected: true })]), { a: found(id, live) }));
  t.match(inConfig.errors.join('\n'), /a: lifecycle.prevent_destroy is set but a change forces its replacement/);
  // The block no longer says prevent_destroy but the state does: the protection is lifted only by
  // applying its removal first, never in the same plan that would destroy the image.
  const inState = plan(input([image('a', iso, { provider: 'prod2' })], state([resource('a', id, iso, { protected: true })]), { a: found(id, live) }));
  t.equal(inState.errors.length, 1);
});

t.test('a plan that would lift protection says so, even when nothing else changes', async (t) => {
  const st = state([resource('a', id, iso, { protected: true })]);
  const p = plan(input([image('a', iso)], st, { a: found(id, live) }));
  t.equal(p.changes[0]?.action, 'no-op');
  t.match(p.warnings.join('\n'), /a: lifecycle.prevent_destroy was removed from the configuration; this apply lifts its protection/);
  const kept = plan(input([image('a', iso, { lifecycle: { prevent_destroy: true, ignore_changes: [] } })], st, { a: found(id, live) }));
  t.same(kept.warnings, []);
});

t.test('the reasons of a deposed object, by what its last delete and the live read said', async (t) => {
  const rows: { name: string; obj: DeposedObject; observed?: Observation; messages: string[] }[] = [
    { name: 'never tried', obj: { key: old.key, id: oldId, provider: 'prod', driver: 'nutanix', inputs: iso, attributes: iso, since: old.since }, messages: [`image ${oldId} was replaced on 2026-11-20T00:00:00Z and is not deleted yet`] },
    { name: 'one failed delete', obj: old, messages: [`image ${oldId} was replaced on 2026-11-20T00:00:00Z and is not deleted yet`, 'the last delete failed: HTTP 409: image is in use by vm-42'] },
    { name: 'several failed deletes', obj: { ...old, attempts: 3 }, messages: [`image ${oldId} was replaced on 2026-11-20T00:00:00Z and is not deleted yet`, '3 deletes failed, the last: HTTP 409: image is in use by vm-42'] },
    { name: 'gone from the cloud', obj: old, observed: { status: 'not_found' }, messages: [`image ${oldId} was replaced on 2026-11-20T00:00:00Z and is not deleted yet`, 'the last delete failed: HTTP 409: image is in use by vm-42', 'already gone from the cloud; only the state is updated'] },
    { name: 'live read failed', obj: old, observed: { status: 'not_checked', kind: 'auth', message: '401' }, messages: [`image ${oldId} was replaced on 2026-11-20T00:00:00Z and is not deleted yet`, 'the last delete failed: HTTP 409: image is in use by vm-42', 'live read failed (auth): 401'] },
  ];
  for (const r of rows) {
    const observed = r.observed ? { [deposedRef('a', r.obj.key)]: r.observed } : {};
    const p = plan(input([image('a', iso)], state([resource('a', id, iso, { deposed: [r.obj] })]), { a: found(id, live), ...observed }));
    t.same(p.changes.find((c) => c.deposed !== undefined)?.reasons.map((x) => x.message), r.messages, r.name);
  }
});
