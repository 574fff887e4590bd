import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { desiredTags, diffTags, ownerOf, ownershipTags, userTags } from '../../../src/drivers/numspot/tags.js';

const tag = (key: string, value: string) => ({ key, value });

t.test('a changed value is one upsert, not delete+create', async (t) => {
  t.same(diffTags([tag('name', 'old')], [tag('name', 'new')]), { upsert: [tag('name', 'new')], remove: [] });
});

t.test('removed keys are deleted with their CURRENT value (DeleteTags matches key and value)', async (t) => {
  t.same(diffTags([tag('a', '1'), tag('b', '2')], [tag('a', '1')]), { upsert: [], remove: [tag('b', '2')] });
});

t.test('added, changed, kept and removed at once', async (t) => {
  const live = [tag('keep', 'k'), tag('change', 'c1'), tag('drop', 'd')];
  const want = [tag('keep', 'k'), tag('change', 'c2'), tag('add', 'a')];
  t.same(diffTags(live, want), { upsert: [tag('change', 'c2'), tag('add', 'a')], remove: [tag('drop', 'd')] });
});

t.test('ownership tags are outside the diff on both sides', async (t) => {
  const live = [tag('imagectl:address', 'x'), tag('imagectl:lineage', 'L'), tag('a', '1')];
  t.same(diffTags(live, []), { upsert: [], remove: [tag('a', '1')] }, 'an empty declared set keeps the ownership tags');
  t.same(diffTags(live, [tag('a', '1')]), { upsert: [], remove: [] });
});

t.test('same set in another order: nothing to do', async (t) => {
  t.same(diffTags([tag('a', '1'), tag('b', '2')], [tag('b', '2'), tag('a', '1')]), { upsert: [], remove: [] });
});

t.test('keys are case-sensitive', async (t) => {
  t.same(diffTags([tag('Name', 'x')], [tag('name', 'x')]), { upsert: [tag('name', 'x')], remove: [tag('Name', 'x')] });
});

t.test('declared tags: shape checked, reserved prefix refused', async (t) => {
  t.same(desiredTags(undefined), []);
  t.same(desiredTags([{ key: 'a', value: '' }]), [tag('a', '')]);
  t.throws(() => desiredTags([{ key: 'imagectl:address', value: 'x' }]), DriverError);
  t.throws(() => desiredTags([{ key: 'a' }]), DriverError);
  t.throws(() => desiredTags({ a: 'b' }), DriverError);
});

t.test('owner from tags', async (t) => {
  t.same(ownerOf(ownershipTags('eu.base', 'L-1')), { address: 'eu.base', lineage: 'L-1' });
  t.same(ownerOf([tag('imagectl:address', 'eu.base')]), { address: 'eu.base' });
  t.equal(ownerOf([tag('a', '1')]), undefined);
  t.same(userTags([tag('b', '1'), tag('imagectl:lineage', 'L'), tag('a', '2')]), [tag('a', '2'), tag('b', '1')]);
});
