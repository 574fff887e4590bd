// src/planner/decide.ts through plan(): one row per way an image's action is chosen. Each row
// states the whole outcome (action, replacement order, every reason code in order, which fields
// changed and whether each forces replacement), so a change to any rule fails its row by name.
import t from 'tap';
import { plan } from '../../src/planner/index.js';
import type { Observation, PlanImage } from '../../src/planner/input.js';
import type { Action, ReasonCode, ReplaceOrder } from '../../src/planner/types.js';
import type { StateResource } from '../../src/state/types.js';
import type { JsonObject } from '../../src/util/json.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const ID = '11111111-1111-4111-8111-111111111111';
const BASE = '22222222-2222-4222-8222-222222222222';
const live = (fields: JsonObject = iso): Observation => found(ID, { ...fields, source: { ...(fields['source'] as JsonObject), should_allow_insecure_url: false } });
const other = { url: 'http://example.com/b.iso' };
const unique = { driver: 'unique' } as const;
const notChecked: Observation = { status: 'not_checked', kind: 'throttled', message: '429 after 5 tries' };

interface Row {
  name: string;
  desired?: PlanImage;
  state?: StateResource;
  observed?: Observation;
  /** Other images of the same plan (reference targets). */
  extra?: { desired?: PlanImage[]; state?: StateResource[]; observed?: Record<string, Observation> };
  action: Action;
  order?: ReplaceOrder;
  reasons: ReasonCode[];
  /** [path, forces_replacement] of each field change. */
  changes?: [string, boolean][];
}

const rows: Row[] = [
  { name: 'create: not in state', desired: image('a', iso), action: 'create', reasons: ['new'], changes: [['/name', false], ['/source', false], ['/type', false]] },
  {
    name: 'create: a reference to an image created in the same plan',
    desired: image('a', { ...iso, description: { ref: 'base.id' } }, { depends_on: ['base'] }),
    extra: { desired: [image('base', { ...iso, name: 'base' })] },
    action: 'create',
    reasons: ['new', 'ref_unknown'],
    changes: [['/description', false], ['/name', false], ['/source', false], ['/type', false]],
  },
  { name: 'create: deleted out of band', desired: image('a', iso), state: resource('a', ID, iso), observed: { status: 'not_found' }, action: 'create', reasons: ['deleted_out_of_band'], changes: [['/name', false], ['/source', false], ['/type', false]] },
  { name: 'no-op: live matches', desired: image('a', iso), state: resource('a', ID, iso), observed: live(), action: 'no-op', reasons: [], changes: [] },
  { name: 'no-op: not refreshed, planned from the state', desired: image('a', iso), state: resource('a', ID, iso), action: 'no-op', reasons: [], changes: [] },
  { name: 'no-op: live read failed, nothing else differs', desired: image('a', iso), state: resource('a', ID, iso), observed: notChecked, action: 'no-op', reasons: ['not_checked'], changes: [] },
  { name: 'update: live read failed and the name changes', desired: image('a', { ...iso, name: 'v2' }), state: resource('a', ID, iso), observed: notChecked, action: 'update', reasons: ['not_checked', 'update_in_place'], changes: [['/name', false]] },
  { name: 'update: rename', desired: image('a', { ...iso, name: 'v2' }), state: resource('a', ID, iso), observed: live(), action: 'update', reasons: ['update_in_place'], changes: [['/name', false]] },
  { name: 'update: description and categories', desired: image('a', { ...iso, description: 'd', category_ext_ids: ['c1'] }), state: resource('a', ID, iso), observed: live(), action: 'update', reasons: ['update_in_place'], changes: [['/category_ext_ids', false], ['/description', false]] },
  { name: 'update: type switches in place', desired: image('a', { ...iso, type: 'DISK_IMAGE' }), state: resource('a', ID, iso), observed: live(), action: 'update', reasons: ['update_in_place'], changes: [['/type', false]] },
  {
    name: 'update: a reference to an image updated in place is known',
    desired: image('a', { ...iso, description: { ref: 'base.id' } }, { depends_on: ['base'] }),
    state: resource('a', ID, { ...iso, description: 'old' }),
    observed: live({ ...iso, description: 'old' }),
    extra: { desired: [image('base', { ...iso, name: 'base-v2' })], state: [resource('base', BASE, { ...iso, name: 'base' })], observed: { base: found(BASE, { ...iso, name: 'base' }) } },
    action: 'update',
    reasons: ['update_in_place'],
    changes: [['/description', false]],
  },
  {
    name: 'update: a reference to a replaced image is unknown',
    desired: image('a', { ...iso, description: { ref: 'base.id' } }, { depends_on: ['base'] }),
    state: resource('a', ID, { ...iso, description: BASE }),
    observed: live({ ...iso, description: BASE }),
    extra: { desired: [image('base', { ...iso, name: 'base', source: other })], state: [resource('base', BASE, { ...iso, name: 'base' })], observed: { base: found(BASE, { ...iso, name: 'base' }) } },
    action: 'update',
    reasons: ['update_in_place', 'ref_unknown'],
    changes: [['/description', false]],
  },
  { name: 'replace: source, names need not be unique', desired: image('a', { ...iso, source: other }), state: resource('a', ID, iso), observed: live(), action: 'replace', order: 'create_before_destroy', reasons: ['forces_replacement', 'names_not_unique'], changes: [['/source', true]] },
  {
    name: 'replace: checksum and a rename, names need not be unique',
    desired: image('a', { ...iso, name: 'v2', checksum: { object_type: 'sha1', hex_digest: 'a'.repeat(40) } }),
    state: resource('a', ID, iso),
    observed: live(),
    action: 'replace',
    order: 'create_before_destroy',
    reasons: ['forces_replacement', 'name_changed'],
    changes: [['/checksum', true], ['/name', false]],
  },
  { name: 'replace: cluster placement', desired: image('a', { ...iso, cluster_location_ext_ids: ['c2'] }), state: resource('a', ID, { ...iso, cluster_location_ext_ids: ['c1'] }), observed: live({ ...iso, cluster_location_ext_ids: ['c1'] }), action: 'replace', order: 'create_before_destroy', reasons: ['forces_replacement', 'names_not_unique'], changes: [['/cluster_location_ext_ids', true]] },
  { name: 'replace: unique names and the name kept destroy first', desired: image('a', { ...iso, source: other }, unique), state: resource('a', ID, iso, unique), observed: live(), action: 'replace', order: 'destroy_before_create', reasons: ['forces_replacement', 'unique_name'], changes: [['/source', true]] },
  { name: 'replace: unique names and a new name create first', desired: image('a', { ...iso, name: 'v2', source: other }, unique), state: resource('a', ID, iso, unique), observed: live(), action: 'replace', order: 'create_before_destroy', reasons: ['forces_replacement', 'name_changed'], changes: [['/name', false], ['/source', true]] },
  {
    name: 'replace: a replace-only field whose reference is unknown',
    desired: image('a', { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'base.id' } } }, { depends_on: ['base'] }),
    state: resource('a', ID, { name: 'd', type: 'DISK_IMAGE', source: { ext_id: BASE } }),
    observed: found(ID, { name: 'd', type: 'DISK_IMAGE', source: { ext_id: BASE } }),
    extra: { desired: [image('base', { ...iso, name: 'base', source: other })], state: [resource('base', BASE, { ...iso, name: 'base' })], observed: { base: found(BASE, { ...iso, name: 'base' }) } },
    action: 'replace',
    order: 'create_before_destroy',
    reasons: ['forces_replacement', 'ref_unknown', 'names_not_unique'],
    changes: [['/source', true]],
  },
  { name: 'replace: provider changed, fields the same', desired: image('a', iso, { provider: 'prod2' }), state: resource('a', ID, iso), observed: live(), action: 'replace', order: 'create_before_destroy', reasons: ['provider_changed', 'names_not_unique'], changes: [] },
  { name: 'replace: provider changed, unique names, name kept', desired: image('a', iso, { provider: 'prod2', ...unique }), state: resource('a', ID, iso, unique), observed: live(), action: 'replace', order: 'destroy_before_create', reasons: ['provider_changed', 'unique_name'], changes: [] },
  { name: 'replace: provider changed with a rename', desired: image('a', { ...iso, name: 'v2' }, { provider: 'prod2', ...unique }), state: resource('a', ID, iso, unique), observed: live(), action: 'replace', order: 'create_before_destroy', reasons: ['provider_changed', 'name_changed'], changes: [['/name', false]] },
  { name: 'replace: driver changed under the same provider name', desired: image('a', iso, unique), state: resource('a', ID, iso), observed: live(), action: 'replace', order: 'destroy_before_create', reasons: ['provider_changed', 'unique_name'], changes: [] },
  { name: 'delete: removed from the configuration', state: resource('a', ID, iso), observed: live(), action: 'delete', reasons: ['removed_from_config'], changes: [] },
  { name: 'delete: removed and already gone', state: resource('a', ID, iso), observed: { status: 'not_found' }, action: 'delete', reasons: ['already_deleted'], changes: [] },
  { name: 'delete: removed, and the last delete failed', state: resource('a', ID, iso, { delete_error: 'HTTP 409: in use by vm-1' }), observed: live(), action: 'delete', reasons: ['removed_from_config', 'delete_failed'], changes: [] },
];

t.test('the action, order, reasons and field changes of each case', async (t) => {
  for (const row of rows) {
    const desired = [...(row.desired ? [row.desired] : []), ...(row.extra?.desired ?? [])];
    const resources = [...(row.state ? [row.state] : []), ...(row.extra?.state ?? [])];
    // Without any desired image the planner refuses to destroy everything; a keeper avoids that.
    if (desired.length === 0) desired.push(image('keep', { ...iso, name: 'keep' }));
    const observed = { ...(row.observed ? { a: row.observed } : {}), ...row.extra?.observed };
    const p = plan(input(desired, state(resources), observed));
    const c = p.changes.find((x) => x.address === 'a');
    t.same(
      { action: c?.action, order: c?.replace_order, reasons: c?.reasons.map((r) => r.code), changes: c?.changes.map((f) => [f.path, f.forces_replacement]) },
      { action: row.action, order: row.order, reasons: row.reasons, changes: row.changes ?? [] },
      row.name,
    );
  }
});

t.test('every reason names the field concerned where there is one, and the ids involved', async (t) => {
  const replaced = plan(input([image('a', { ...iso, source: other })], state([resource('a', ID, iso)]), { a: live() })).changes[0];
  t.same(replaced?.reasons.map((r) => [r.code, r.path, r.message]), [
    ['forces_replacement', '/source', 'source cannot be changed in place'],
    ['names_not_unique', undefined, 'names need not be unique, so the new image is created before the old one is destroyed'],
  ]);
  const gone = plan(input([image('a', iso)], state([resource('a', ID, iso)]), { a: { status: 'not_found' } })).changes[0];
  t.same(gone?.reasons.map((r) => r.message), [`image ${ID} was deleted outside imagectl`]);
  t.equal(gone?.id, ID, 'a re-create still names the id that vanished');
  const unread = plan(input([image('a', iso)], state([resource('a', ID, iso)]), { a: notChecked }));
  t.same(unread.changes[0]?.reasons.map((r) => r.message), ['live read failed (throttled): 429 after 5 tries']);
  t.same(unread.warnings, ['a: could not be read from the cloud; planned from the state file']);
  const moved = plan(input([image('a', iso, { provider: 'prod2' })], state([resource('a', ID, iso)]), { a: live() })).changes[0];
  t.same([moved?.prior_provider, moved?.prior_driver, moved?.reasons[0]?.path], ['prod', 'nutanix', '/provider']);
});

t.test('the summary counts each action once, a replacement as one add and one destroy', async (t) => {
  const cases: { name: string; desired: PlanImage[]; st: StateResource[]; summary: { add: number; change: number; destroy: number; unchanged: number } }[] = [
    { name: 'create', desired: [image('a', iso)], st: [], summary: { add: 1, change: 0, destroy: 0, unchanged: 0 } },
    { name: 'update', desired: [image('a', { ...iso, name: 'v2' })], st: [resource('a', ID, iso)], summary: { add: 0, change: 1, destroy: 0, unchanged: 0 } },
    { name: 'replace', desired: [image('a', { ...iso, source: other })], st: [resource('a', ID, iso)], summary: { add: 1, change: 0, destroy: 1, unchanged: 0 } },
    { name: 'delete', desired: [image('b', iso)], st: [resource('a', ID, iso), resource('b', BASE, iso)], summary: { add: 0, change: 0, destroy: 1, unchanged: 1 } },
    { name: 'no-op', desired: [image('a', iso)], st: [resource('a', ID, iso)], summary: { add: 0, change: 0, destroy: 0, unchanged: 1 } },
  ];
  for (const c of cases) t.same(plan(input(c.desired, state(c.st))).summary, c.summary, c.name);
});

t.test('protection: only a delete or a replacement of a protected image is an error', async (t) => {
  const locked = { lifecycle: { prevent_destroy: true, ignore_changes: [] } };
  const cases: { name: string; desired: PlanImage[]; protectedInState: boolean; error?: RegExp }[] = [
    { name: 'update of a protected image', desired: [image('a', { ...iso, name: 'v2' }, locked)], protectedInState: true },
    { name: 'replacement, protected in the configuration', desired: [image('a', { ...iso, source: other }, locked)], protectedInState: false, error: /^a: lifecycle.prevent_destroy is set but a change forces its replacement; change the configuration/ },
    { name: 'replacement, protected in the state only', desired: [image('a', { ...iso, source: other })], protectedInState: true, error: /^a: lifecycle.prevent_destroy is set but a change forces its replacement/ },
    { name: 'removal of an image protected in the state', desired: [image('b', iso)], protectedInState: true, error: /^a: lifecycle.prevent_destroy is set but it would be destroyed; add its block back/ },
  ];
  for (const c of cases) {
    const p = plan(input(c.desired, state([resource('a', ID, iso, { protected: c.protectedInState })]), { a: live() }));
    if (c.error) t.match(p.errors, [c.error], c.name);
    else t.same(p.errors, [], c.name);
    t.equal(p.changes.find((x) => x.address === 'a')?.protected, true, `${c.name}: the change says it is protected`);
  }
});
