// The planner's copy-on-write helpers: at 10,000 images they return what they were given wherever
// nothing changes, and copy only along the way to a change, never touching their input.
import t from 'tap';
import type { DriverSchema } from '../../src/fields/schema.js';
import { diffFields } from '../../src/planner/diff.js';
import { normalizeFields } from '../../src/fields/normalize.js';
import { resolveRefs, type RefTarget } from '../../src/planner/refs.js';
import type { StateResource } from '../../src/state/types.js';
import type { JsonObject } from '../../src/util/json.js';

const schema: DriverSchema = {
  driver: 'test',
  provider_schema: {},
  provider_secrets: [],
  image_schema: {},
  fields: {
    '/name': { mode: 'replace' },
    '/codes': { mode: 'replace', normalize: 'set', ignore_values: ['0001'] },
    '/source': { mode: 'replace' },
    '/source/kind': { mode: 'replace', normalize: 'lowercase' },
    '/tags': { mode: 'update' },
    '/description': { mode: 'update', default: '' },
  },
  unique_names: true,
  idempotent_create: false,
  lookups: {},
};

const frozen = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    Object.freeze(v);
    for (const x of Object.values(v)) frozen(x);
  }
  return v;
};

t.test('normalisation keeps what it leaves alone and copies only what it changes', async (t) => {
  const done = frozen({ name: 'a', codes: ['b', 'c'], source: { kind: 'url', url: 'X' }, tags: [{ k: 'v' }], description: '' });
  t.equal(normalizeFields(schema, done), done, 'already normal: the very same object');

  const raw = frozen({ name: 'a', codes: ['c', '0001', 'b', 'c'], source: { kind: 'URL', url: 'X' }, tags: [{ k: 'v' }] });
  const n = normalizeFields(schema, raw);
  t.same(n, { name: 'a', codes: ['b', 'c'], source: { kind: 'url', url: 'X' }, tags: [{ k: 'v' }], description: '' });
  t.equal(n['tags'], raw.tags, 'a field without a normaliser is shared, not copied');
  t.not(n['source'], raw.source, 'the object holding a changed value is a copy');
});

t.test('set-like lists: sorted, deduplicated and without ignored values; a sorted set is kept as is', async (t) => {
  const sorted = frozen({ codes: ['a', 'b'] });
  t.equal(normalizeFields(schema, sorted)['codes'], sorted.codes);
  for (const codes of [['b', 'a'], ['a', 'a', 'b'], ['a', 'b', '0001'], ['0001']]) {
    const n = normalizeFields(schema, frozen({ codes }))['codes'];
    t.same(n, codes.length === 1 ? [] : ['a', 'b'], JSON.stringify(codes));
  }
});

t.test('references resolve copy-on-write', async (t) => {
  const state: StateResource = {
    address: 'base', provider: 'p', driver: 'test', id: 'id-1', inputs: {}, attributes: { name: 'base' },
    protected: false, depends_on: [], updated_at: '2026-01-01T00:00:00.000Z',
  };
  const targets = (a: string): RefTarget | undefined => (a === 'base' ? { action: 'no-op', state, fields: { name: 'base' } } : undefined);
  const plain = frozen({ name: 'x', source: { url: 'u' }, tags: [{ k: 'v' }] });
  t.equal(resolveRefs(plain, targets), plain, 'no reference: the very same object');

  const withRefs = frozen({ name: 'x', source: { id: { ref: 'base.id' } }, tags: [{ k: 'v' }, { ref: 'new.id' }] }) as unknown as JsonObject;
  const r = resolveRefs(withRefs, targets);
  t.same(r, { name: 'x', source: { id: 'id-1' }, tags: [{ k: 'v' }, { $unknown: 'new.id' }] });
  t.equal((r['tags'] as unknown[])[0], (withRefs['tags'] as unknown[])[0], 'list items without a reference are shared');
  t.same((withRefs['source'] as JsonObject)['id'], { ref: 'base.id' }, 'the input is untouched');
});

t.test('field changes come in path order whatever the order of the keys', async (t) => {
  const before = { tags: [], name: 'a', description: 'old' };
  const after = { tags: [{ k: 'v' }], name: 'b', description: 'new' };
  t.same(diffFields(schema, before, after).map((c) => c.path), ['/description', '/name', '/tags']);
  t.same(diffFields(schema, before, { ...before }), []);
});

t.test('a field named __proto__ is a field like any other, never a prototype', async (t) => {
  const withProto = (json: string): JsonObject => JSON.parse(json) as JsonObject;
  const targets = (): RefTarget | undefined => undefined;
  // A reference under it: the copy keeps it as an own key (an assignment would set the prototype).
  const r = resolveRefs(withProto('{"name":"x","__proto__":{"id":{"ref":"new.id"}}}'), targets);
  t.same(Object.keys(r), ['name', '__proto__']);
  t.equal(Object.getPrototypeOf(r), Object.prototype);
  t.same(Object.getOwnPropertyDescriptor(r, '__proto__')?.value, { id: { $unknown: 'new.id' } });
  // Compared as a field: changed when the other side lacks it, and only own keys count.
  const changes = diffFields(schema, withProto('{"name":"x"}'), withProto('{"name":"x","__proto__":{"k":1}}'));
  t.same(changes.map((c) => c.path), ['/__proto__']);
  const inherited = Object.create({ name: 'inherited' }) as JsonObject;
  t.same(diffFields(schema, { name: 'x' }, inherited), [], 'an inherited key is not a field');
});
