import t from 'tap';
import { compareSnapshots, snapshotOf } from '../../src/state/snapshot.js';
import { emptyState } from '../../src/state/format.js';
import { setResource, removeResource, addIntent } from '../../src/state/intents.js';
import { makeIntent, makeResource } from './fixtures/builders.js';

const base = setResource(setResource(emptyState(), makeResource('a')), makeResource('b'));

t.test('no change: same content, serial ignored', async (t) => {
  const d = compareSnapshots(snapshotOf(base), snapshotOf({ ...base, serial: 12 }));
  t.same(d, { changed: false, resources: [], pending: [] });
});

t.test('key order alone is not a change', async (t) => {
  const a = base.resources.a!;
  const { updated_at, attributes, ...rest } = a;
  const reordered = { updated_at, attributes, ...rest };
  reordered.inputs = Object.fromEntries(Object.entries(a.inputs).reverse());
  const next = setResource(base, reordered);
  t.not(JSON.stringify(next.resources.a), JSON.stringify(a), 'the texts differ');
  t.same(compareSnapshots(snapshotOf(base), snapshotOf(next)), { changed: false, resources: [], pending: [] });
});

t.test('changed, added and removed entries', async (t) => {
  const before = snapshotOf(base);
  const changed = setResource(base, makeResource('a', { etag: 'W/"2"' }));
  t.same(compareSnapshots(before, snapshotOf(changed)), { changed: true, resources: ['a'], pending: [] });
  const added = addIntent(setResource(base, makeResource('c')), makeIntent('op'));
  t.same(compareSnapshots(before, snapshotOf(added)), { changed: true, resources: ['c'], pending: ['op'] });
  const removed = removeResource(base, 'b');
  t.same(compareSnapshots(before, snapshotOf(removed)), { changed: true, resources: [], pending: [] });
  const swapped = setResource(removeResource(base, 'b'), makeResource('z'));
  t.same(compareSnapshots(before, snapshotOf(swapped)), { changed: true, resources: ['z'], pending: [] });
  t.same(compareSnapshots(before, snapshotOf({ ...base, secret_salt: 'another-salt-0123' })).changed, true, 'envelope');
});

t.test('no baseline: everything is new', async (t) => {
  t.same(compareSnapshots(undefined, snapshotOf(base)), { changed: true, resources: ['a', 'b'], pending: [] });
});
