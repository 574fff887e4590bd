// A saved plan that deletes a deposed object is checked per change, not per address: the deposed
// object and its address's current image are two changes under one address.
import t from 'tap';
import { checkNotStale, touched } from '../../src/plan-pipeline/stale-plan.js';
import { plan } from '../../src/planner/index.js';
import { deposedRef } from '../../src/planner/types.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const old = { key: '0a1b2c3d', id: 'old', provider: 'prod', driver: 'nutanix', inputs: iso, attributes: iso, since: '2026-11-20T00:00:00Z' };
const st = state([resource('a', 'cur', iso, { deposed: [old] })]);
const observed = { a: found('cur', iso), [deposedRef('a', old.key)]: found('old', iso) };

t.test('an unchanged plan with a deposed object is not stale', async (t) => {
  const saved = plan(input([image('a', { ...iso, description: 'new' })], st, observed));
  const fresh = plan(input([image('a', { ...iso, description: 'new' })], st, observed));
  t.same(touched(saved), ['a'], 'one address to re-read');
  t.doesNotThrow(() => checkNotStale(saved, fresh, 'digest', st, 'p.json'));
});

t.test('a deposed object that vanished meanwhile makes the plan stale', async (t) => {
  const saved = plan(input([image('a', iso)], st, observed));
  const fresh = plan(input([image('a', iso)], st, { ...observed, [deposedRef('a', old.key)]: { status: 'not_found' } }));
  t.throws(() => checkNotStale(saved, fresh, 'digest', st, 'p.json'), /a \(deposed 0a1b2c3d\) changed in the cloud/);
});
