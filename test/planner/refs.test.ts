// src/planner/refs.ts through plan(): what a `{ref: ADDRESS.ATTRIBUTE}` becomes, by what the
// plan does to its target. Known when the target stays (ids survive updates); "(known after
// apply)" when it is created or replaced, unless the attribute is declared literally.
import t from 'tap';
import { plan } from '../../src/planner/index.js';
import type { Observation, PlanImage } from '../../src/planner/input.js';
import type { StateResource } from '../../src/state/types.js';
import type { JsonValue } from '../../src/util/json.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const BASE = '22222222-2222-4222-8222-222222222222';
const base = { ...iso, name: 'base' };
const stored = (extra: Partial<StateResource> = {}): StateResource => resource('base', BASE, base, { attributes: { ...base, size_bytes: 42 }, ...extra });
const liveBase: Observation = found(BASE, { ...base, size_bytes: 42 });

interface Row {
  name: string;
  ref: string;
  /** The target's declaration, or none (a reference to an image only in the state). */
  target?: PlanImage;
  st?: StateResource;
  resolved: JsonValue;
}

const rows: Row[] = [
  { name: 'id of a target created in this plan', ref: 'base.id', target: image('base', base), resolved: { $unknown: 'base.id' } },
  { name: 'a declared attribute of a target created in this plan', ref: 'base.name', target: image('base', base), resolved: 'base' },
  { name: 'a computed attribute of a target created in this plan', ref: 'base.size_bytes', target: image('base', base), resolved: { $unknown: 'base.size_bytes' } },
  { name: 'id of an unchanged target', ref: 'base.id', target: image('base', base), st: stored(), resolved: BASE },
  { name: 'a computed attribute of an unchanged target, from the state', ref: 'base.size_bytes', target: image('base', base), st: stored(), resolved: 42 },
  { name: 'an input of an unchanged target kept only in the state', ref: 'base.secret_hint', target: image('base', base), st: stored({ inputs: { ...base, secret_hint: 'h' } }), resolved: 'h' },
  { name: 'an attribute nobody knows', ref: 'base.nothing', target: image('base', base), st: stored(), resolved: { $unknown: 'base.nothing' } },
  { name: 'id of a target updated in place (ids survive updates)', ref: 'base.id', target: image('base', { ...base, description: 'new' }), st: stored(), resolved: BASE },
  { name: 'id of a replaced target', ref: 'base.id', target: image('base', { ...base, source: { url: 'http://example.com/b.iso' } }), st: stored(), resolved: { $unknown: 'base.id' } },
  { name: 'a declared attribute of a replaced target', ref: 'base.name', target: image('base', { ...base, source: { url: 'http://example.com/b.iso' } }), st: stored(), resolved: 'base' },
  { name: 'id of a target being deleted', ref: 'base.id', st: stored(), resolved: BASE },
  { name: 'id of a target in neither config nor state', ref: 'base.id', resolved: { $unknown: 'base.id' } },
];

t.test('a reference resolves by what the plan does to its target', async (t) => {
  for (const row of rows) {
    const user = image('user', { ...iso, name: 'user', description: { ref: row.ref } }, { depends_on: ['base'] });
    const desired = [user, ...(row.target ? [row.target] : [])];
    const p = plan(input(desired, state(row.st ? [row.st] : []), row.st ? { base: liveBase } : {}));
    const c = p.changes.find((x) => x.address === 'user');
    t.same(c?.after?.['description'], row.resolved, row.name);
    const unknown = typeof row.resolved === 'object';
    t.equal(c?.reasons.some((r) => r.code === 'ref_unknown' && r.path === '/description'), unknown, `${row.name}: ref_unknown reason`);
  }
});

t.test('references resolve inside nested objects and lists, and leave the rest as declared', async (t) => {
  const user = image('user', { name: 'd', type: 'DISK_IMAGE', source: { ext_id: { ref: 'base.id' } }, category_ext_ids: ['c1', { ref: 'base.id' }] }, { depends_on: ['base'] });
  const known = plan(input([image('base', base), user], state([stored()]), { base: liveBase })).changes.find((c) => c.address === 'user');
  t.same(known?.after, { name: 'd', type: 'DISK_IMAGE', source: { ext_id: BASE }, category_ext_ids: [BASE, 'c1'] }, 'a set field is normalised after resolving');
  const unknown = plan(input([image('base', base), user], state())).changes.find((c) => c.address === 'user');
  t.same(unknown?.after?.['source'], { ext_id: { $unknown: 'base.id' } });
  t.same(unknown?.changes.filter((f) => f.unknown).map((f) => f.path), ['/category_ext_ids', '/source']);
});

t.test('a chain of references resolves in dependency order, unknown as soon as one link is', async (t) => {
  const mid = image('mid', { ...iso, name: 'mid', description: { ref: 'base.id' } }, { depends_on: ['base'] });
  const last = image('last', { ...iso, name: 'last', description: { ref: 'mid.description' } }, { depends_on: ['mid'] });
  const p = plan(input([last, mid, image('base', base)], state([stored()]), { base: liveBase }));
  t.same(p.changes.find((c) => c.address === 'mid')?.after?.['description'], BASE, 'mid resolves first');
  t.same(p.changes.find((c) => c.address === 'last')?.after?.['description'], BASE, 'a declared attribute of a created target, itself resolved');
  const fresh = plan(input([last, mid, image('base', base)], state()));
  t.same(fresh.changes.find((c) => c.address === 'last')?.after?.['description'], { $unknown: 'mid.description' });
});
