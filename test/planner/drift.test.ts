// src/planner/drift.ts through plan(): each kind of drift the plan records for an image in the
// state, kept apart from its changes, and server-populated fields as information, not drift.
import t from 'tap';
import { plan } from '../../src/planner/index.js';
import type { Observation, PlanImage } from '../../src/planner/input.js';
import type { DriftEntry, InfoEntry } from '../../src/planner/types.js';
import type { StateResource } from '../../src/state/types.js';
import { found, image, input, iso, resource, state } from '../support/builders.js';

const ID = '11111111-1111-4111-8111-111111111111';
const live = { ...iso, source: { url: 'http://example.com/a.iso', should_allow_insecure_url: false } };
const stored = (extra: Partial<StateResource> = {}): StateResource => resource('a', ID, iso, { attributes: { ...live, size_bytes: 1 }, ...extra });

interface Row {
  name: string;
  desired?: PlanImage;
  /** The state entry; `null` for an image the state does not hold. */
  st?: StateResource | null;
  observed?: Observation;
  drift: Omit<DriftEntry, 'provider' | 'address' | 'id'>[];
  info?: Omit<InfoEntry, 'address'>[];
}

const rows: Row[] = [
  { name: 'in sync: the cloud holds what was recorded', desired: image('a', iso), observed: found(ID, { ...live, size_bytes: 1 }), drift: [{ kind: 'in_sync', fields: [] }] },
  { name: 'in sync: not refreshed', desired: image('a', iso), drift: [{ kind: 'in_sync', message: 'not refreshed', fields: [] }] },
  { name: 'deleted', desired: image('a', iso), observed: { status: 'not_found' }, drift: [{ kind: 'deleted', message: 'the image is gone from the cloud', fields: [] }] },
  { name: 'not checked', desired: image('a', iso), observed: { status: 'not_checked', kind: 'auth', message: '401' }, drift: [{ kind: 'not_checked', message: 'auth: 401', fields: [] }] },
  {
    name: 'modified: an applied field moved',
    desired: image('a', iso),
    observed: found(ID, { ...live, size_bytes: 1, name: 'by-hand' }),
    drift: [{ kind: 'modified', fields: [{ path: '/name', expected: 'ubuntu', actual: 'by-hand' }] }],
  },
  { name: 'in sync: a field never applied moved', desired: image('a', iso), observed: found(ID, { ...live, size_bytes: 1, description: 'by hand' }), drift: [{ kind: 'in_sync', fields: [] }] },
  {
    name: 'in sync with information: a computed field moved',
    desired: image('a', iso),
    observed: found(ID, { ...live, size_bytes: 2 }),
    drift: [{ kind: 'in_sync', fields: [] }],
    info: [{ path: '/size_bytes', before: 1, after: 2 }],
  },
  {
    name: 'ignore_changes hides an applied field from drift',
    desired: image('a', iso, { lifecycle: { prevent_destroy: false, ignore_changes: ['/name'] } }),
    observed: found(ID, { ...live, size_bytes: 1, name: 'by-hand' }),
    drift: [{ kind: 'in_sync', fields: [] }],
  },
  {
    name: 'pending: the configuration changed since the last apply',
    desired: image('a', { ...iso, name: 'v2' }),
    observed: found(ID, { ...live, size_bytes: 1 }),
    drift: [{ kind: 'in_sync', fields: [] }, { kind: 'pending', message: 'the configuration changed since the last apply', fields: [{ path: '/name', expected: 'v2', actual: 'ubuntu' }] }],
  },
  { name: 'removed from the configuration: live drift only', observed: found(ID, { ...live, size_bytes: 1, name: 'x' }), drift: [{ kind: 'modified', fields: [{ path: '/name', expected: 'ubuntu', actual: 'x' }] }] },
  { name: 'not in the state: no drift at all', desired: image('a', iso), st: null, drift: [] },
];

t.test('the drift and information each case records', async (t) => {
  for (const row of rows) {
    const st = row.st === undefined ? stored() : row.st;
    const desired = row.desired ? [row.desired] : [image('keep', { ...iso, name: 'keep' })];
    const p = plan(input(desired, state(st ? [st] : []), row.observed ? { a: row.observed } : {}));
    const expected = row.drift.map((d) => ({ address: 'a', provider: 'prod', id: ID, ...d }));
    t.same(p.drift.filter((d) => d.address === 'a'), expected, row.name);
    t.same(p.info, (row.info ?? []).map((i) => ({ address: 'a', ...i })), `${row.name}: info`);
  }
});
