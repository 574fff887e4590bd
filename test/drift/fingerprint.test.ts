import t from 'tap';
import { buildReport } from '../../src/drift/build.js';
import type { DriftEntry } from '../../src/planner/types.js';
import { entry, modified, NOW, plan } from './fixtures/plans.js';

function fingerprint(d: DriftEntry): string {
  const f = buildReport({ plan: plan({ drift: [d] }), now: NOW }).findings[0];
  if (f === undefined) throw new Error('no finding');
  return f.fingerprint;
}

const base = modified('web', [
  { path: '/description', expected: 'golden', actual: 'edited by hand' },
  { path: '/name', expected: 'web', actual: 'web-2' },
]);

t.test('the same drift gives the same fingerprint across runs', async (t) => {
  const a = fingerprint(base);
  t.match(a, /^[0-9a-f]{16}$/);
  t.equal(fingerprint(structuredClone(base)), a);
  t.equal(buildReport({ plan: plan({ drift: [base] }), now: '2030-01-01T00:00:00Z' }).findings[0]?.fingerprint, a, 'time does not enter it');
});

t.test('independent of field order, expected values and messages', async (t) => {
  const a = fingerprint(base);
  t.equal(fingerprint({ ...base, fields: [...base.fields].reverse() }), a);
  t.equal(fingerprint({ ...base, fields: base.fields.map((f) => ({ ...f, expected: 'something else' })) }), a);
  t.equal(fingerprint({ ...base, message: 'reworded' }), a);
});

t.test('changes when the live value changes again, or the drift is elsewhere', async (t) => {
  const a = fingerprint(base);
  const again = { ...base, fields: base.fields.map((f) => (f.path === '/name' ? { ...f, actual: 'web-3' } : f)) };
  t.not(fingerprint(again), a, 'a new actual value is new drift');
  t.not(fingerprint({ ...base, address: 'db' }), a);
  t.not(fingerprint({ ...base, id: 'other' }), a);
  t.not(fingerprint({ ...base, provider: 'edge' }), a);
  t.not(fingerprint({ ...base, kind: 'pending' }), a);
  t.not(fingerprint(entry('web', 'deleted')), fingerprint(entry('web', 'not_checked')));
});
