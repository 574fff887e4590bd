import t from 'tap';
import { plan } from '../../src/planner/index.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const id = '11111111-1111-4111-8111-111111111111';
const live = { ...iso, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false }, size_bytes: 10 };

t.test('actions', async (t) => {
  const cases = [
    { name: 'create when not in state', desired: [image('a', iso)], st: state(), obs: {}, action: 'create', reason: 'new' },
    { name: 'no-op when live matches (server default is not drift)', desired: [image('a', iso)], st: state([resource('a', id, iso)]), obs: { a: found(id, live) }, action: 'no-op' },
    { name: 'update in place on rename', desired: [image('a', { ...iso, name: 'renamed' })], st: state([resource('a', id, iso)]), obs: { a: found(id, live) }, action: 'update', reason: 'update_in_place' },
    { name: 'replace when source changes', desired: [image('a', { ...iso, source: { url: 'http://example.com/b.iso' } })], st: state([resource('a', id, iso)]), obs: { a: found(id, live) }, action: 'replace', reason: 'forces_replacement' },
    { name: 'create again when deleted out of band', desired: [image('a', iso)], st: state([resource('a', id, iso)]), obs: { a: { status: 'not_found' as const } }, action: 'create', reason: 'deleted_out_of_band' },
    { name: 'delete when removed from config', desired: [image('b', iso)], st: state([resource('a', id, iso)]), obs: { a: found(id, live) }, action: 'delete', reason: 'removed_from_config' },
    { name: 'delete of an image already gone', desired: [image('b', iso)], st: state([resource('a', id, iso)]), obs: { a: { status: 'not_found' as const } }, action: 'delete', reason: 'already_deleted' },
    { name: 'sets compare as sets', desired: [image('a', { ...iso, category_ext_ids: ['b', 'a', 'a'] })], st: state([resource('a', id, { ...iso, category_ext_ids: ['a', 'b'] })]), obs: { a: found(id, { ...live, category_ext_ids: ['b', 'a'] }) }, action: 'no-op' },
    { name: 'checksum case is normalised', desired: [image('a', { ...iso, checksum: { object_type: 'sha1', hex_digest: 'A'.repeat(40) } })], st: state([resource('a', id, iso)]), obs: { a: found(id, { ...live, checksum: { object_type: 'sha1', hex_digest: 'a'.repeat(40) } }) }, action: 'no-op' },
    { name: 'ignore_changes hides a field', desired: [image('a', { ...iso, description: 'new' }, { lifecycle: { prevent_destroy: false, ignore_changes: ['/description'] } })], st: state([resource('a', id, iso)]), obs: { a: found(id, { ...live, description: 'old' }) }, action: 'no-op' },
    { name: 'undeclared server fields are not compared', desired: [image('a', iso)], st: state([resource('a', id, iso)]), obs: { a: found(id, { ...live, description: 'set by someone', category_ext_ids: ['x'] }) }, action: 'no-op' },
  ];
  for (const c of cases) {
    const p = plan(input(c.desired, c.st, c.obs));
    const change = p.changes.find((x) => x.address === (c.action === 'delete' ? 'a' : c.desired[0]?.address));
    t.equal(change?.action, c.action, c.name);
    if (c.reason) t.ok(change?.reasons.some((r) => r.code === c.reason), `${c.name}: reason ${c.reason}`);
  }
});

t.test('replacement order follows name uniqueness', async (t) => {
  const st = state([resource('a', id, iso, { driver: 'unique' })]);
  const obs = { a: found(id, live) };
  const keep = plan(input([image('a', { ...iso, source: { url: 'http://x.org/c.iso' } }, { driver: 'unique' })], st, obs));
  t.equal(keep.changes[0]?.replace_order, 'destroy_before_create');
  t.ok(keep.changes[0]?.reasons.some((r) => r.code === 'unique_name'));
  const rename = plan(input([image('a', { ...iso, name: 'new', source: { url: 'http://x.org/c.iso' } }, { driver: 'unique' })], st, obs));
  t.equal(rename.changes[0]?.replace_order, 'create_before_destroy');
  t.ok(rename.changes[0]?.reasons.some((r) => r.code === 'name_changed'));
  const nonUnique = plan(input([image('a', { ...iso, source: { url: 'http://x.org/c.iso' } })], state([resource('a', id, iso)]), obs));
  t.equal(nonUnique.changes[0]?.replace_order, 'create_before_destroy');
  t.same(nonUnique.changes[0]?.changes.map((c) => [c.path, c.forces_replacement]), [['/source', true]]);
});

t.test('references: unknown after apply when the target is new, known when it exists', async (t) => {
  const disk = { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'base.id' } } };
  const p1 = plan(input([image('base', iso), image('derived', disk, { depends_on: ['base'] })], state()));
  const derived = p1.changes.find((c) => c.address === 'derived');
  t.same(derived?.after?.['source'], { ext_id: { $unknown: 'base.id' } });
  t.ok(derived?.changes.find((c) => c.path === '/source')?.unknown);
  t.ok(derived?.reasons.some((r) => r.code === 'ref_unknown'));
  t.same(derived?.depends_on, ['base']);
  const st = state([resource('base', id, iso)]);
  const p2 = plan(input([image('base', iso), image('derived', disk, { depends_on: ['base'] })], st, { base: found(id, live) }));
  t.same(p2.changes.find((c) => c.address === 'derived')?.after?.['source'], { ext_id: id });
});

t.test('guards', async (t) => {
  const st = state([resource('a', id, iso, { protected: true })]);
  const removed = plan(input([image('b', iso)], st, { a: found(id, live) }));
  t.match(removed.errors[0], /a: lifecycle.prevent_destroy is set but it would be destroyed/);
  const empty = plan(input([], state([resource('a', id, iso)])));
  t.match(empty.errors[0], /refusing to destroy everything/);
  t.same(plan(input([], state([resource('a', id, iso)]), {}, { allow_empty: true })).errors, []);
  const protectedReplace = plan(input([image('a', { ...iso, source: { url: 'http://x.org/z.iso' } }, { lifecycle: { prevent_destroy: true, ignore_changes: [] } })], state([resource('a', id, iso)]), { a: found(id, live) }));
  t.match(protectedReplace.errors[0], /forces its replacement/);
});

t.test('drift is reported apart from changes', async (t) => {
  const st = state([resource('a', id, iso), resource('b', '22222222-2222-4222-8222-222222222222', iso), resource('c', '33333333-3333-4333-8333-333333333333', iso)]);
  const p = plan(
    input([image('a', iso), image('b', iso), image('c', { ...iso, description: 'new' })], st, {
      a: found(id, { ...live, name: 'renamed-by-hand', size_bytes: 99 }),
      b: { status: 'not_checked', kind: 'auth', message: '401' },
      c: found('33333333-3333-4333-8333-333333333333', live),
    }),
  );
  const kinds = p.drift.map((d) => `${d.address}:${d.kind}`).sort();
  t.same(kinds, ['a:modified', 'b:not_checked', 'c:in_sync', 'c:pending']);
  t.same(p.drift.find((d) => d.kind === 'modified')?.fields, [{ path: '/name', expected: 'ubuntu', actual: 'renamed-by-hand' }]);
  t.same(p.info.filter((i) => i.address === 'a'), [{ address: 'a', path: '/size_bytes', after: 99 }]);
  t.ok(p.warnings.some((w) => w.startsWith('b:')));
  t.equal(p.changes.find((c) => c.address === 'a')?.action, 'update');
});

t.test('secrets compare by fingerprint and write-only fields come from state', async (t) => {
  const withAuth = (fp: string) => ({ ...iso, source: { url: 'http://example.com/a.iso', basic_auth: { username: 'u', password: { $secret: fp } } } });
  const st = state([resource('a', id, withAuth('fp1'), { attributes: { ...live, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false, basic_auth: { username: 'u' } } } })]);
  const liveAuth = found(id, { ...live, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false, basic_auth: { username: 'u' } } });
  t.equal(plan(input([image('a', withAuth('fp1'))], st, { a: liveAuth })).changes[0]?.action, 'no-op');
  const changed = plan(input([image('a', withAuth('fp2'))], st, { a: liveAuth })).changes[0];
  t.equal(changed?.action, 'replace');
  t.equal(changed?.changes[0]?.sensitive, true);
  t.notOk(JSON.stringify(changed).includes('secret-value'));
});

t.test('targets limit the plan to the targets and their dependencies', async (t) => {
  const disk = { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'base.id' } } };
  const p = plan(input([image('base', iso), image('derived', disk, { depends_on: ['base'] }), image('other', iso)], state(), {}, { targets: ['derived'] }));
  t.same(p.changes.map((c) => c.address), ['base', 'derived']);
});

t.test('deletes run in reverse dependency order', async (t) => {
  const st = state([resource('base', id, iso), resource('derived', '22222222-2222-4222-8222-222222222222', iso, { depends_on: ['base'] })]);
  const p = plan(input([image('keep', iso)], st));
  t.same(p.changes.find((c) => c.address === 'base')?.depends_on, ['derived']);
  t.same(p.changes.find((c) => c.address === 'derived')?.depends_on, []);
  t.same(p.summary, { add: 1, change: 0, destroy: 2, unchanged: 0 });
});

t.test('write-only fields never applied (an imported image) do not force replacement', async (t) => {
  const withAuth = { ...iso, source: { url: 'http://example.com/a.iso', basic_auth: { username: 'u', password: { $secret: 'fp' } } } };
  const imported = resource('a', id, { ...iso, source: { url: 'http://example.com/a.iso', basic_auth: { username: 'u' } } });
  const liveAuth = found(id, { ...live, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false, basic_auth: { username: 'u' } } });
  t.equal(plan(input([image('a', withAuth)], state([imported]), { a: liveAuth })).changes[0]?.action, 'no-op');
});
