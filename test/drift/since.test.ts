import t from 'tap';
import { buildReport } from '../../src/drift/build.js';
import type { DriftEntry } from '../../src/planner/types.js';
import { entry, modified, NOW, plan } from './fixtures/plans.js';

const LATER = '2026-11-21T08:00:00Z';

function report(drift: DriftEntry[], extra: Partial<Parameters<typeof buildReport>[0]> = {}) {
  return buildReport({ plan: plan({ drift }), now: NOW, ...extra });
}

t.test('without --since no finding has a status', async (t) => {
  const r = report([entry('a', 'deleted')]);
  t.equal(r.findings[0]?.status, undefined);
  t.same(r.resolved, []);
});

t.test('new, unchanged and resolved', async (t) => {
  const previous = report([
    modified('web', [{ path: '/description', expected: 'a', actual: 'b' }]),
    entry('db', 'deleted'),
    entry('cache', 'not_checked'),
    entry('ok', 'in_sync'),
  ]);
  const current = buildReport({
    plan: plan({
      drift: [
        modified('web', [{ path: '/description', expected: 'a', actual: 'c' }]), // edited again: new
        entry('db', 'deleted'), // same: unchanged
        entry('ok', 'in_sync'),
        entry('fresh', 'deleted'),
      ],
    }),
    now: LATER,
    previous,
  });
  t.same(
    current.findings.map((f) => [f.address, f.status]),
    [['db', 'unchanged'], ['fresh', 'new'], ['ok', undefined], ['web', 'new']],
  );
  t.same(current.resolved.map((f) => [f.address, f.kind, f.status]), [['cache', 'not_checked', 'resolved'], ['web', 'modified', 'resolved']]);
  t.equal(current.summary.resolved, 2);
  t.equal(current.exit_code, 3, 'resolved findings do not count');
});

t.test('drift of an image that could not be checked now is not resolved', async (t) => {
  const previous = report([entry('web', 'deleted')]);
  const current = report([entry('web', 'not_checked', { message: 'throttle: 429' })], { previous });
  t.same(current.resolved, []);
  t.equal(current.findings[0]?.status, 'new');
});

t.test('previously suppressed findings are not "resolved" when they go away', async (t) => {
  const previous = report([entry('legacy', 'deleted'), entry('old', 'in_sync')], { rules: [{ address: 'legacy', reason: 'accepted' }] });
  const current = report([], { previous });
  t.same(current.resolved, []);
});

t.test('a finding suppressed now keeps its identity for --since', async (t) => {
  const previous = report([entry('legacy', 'deleted')]);
  const current = report([entry('legacy', 'deleted')], { previous, rules: [{ address: 'legacy', reason: 'accepted' }] });
  t.equal(current.findings[0]?.status, 'unchanged');
  t.same(current.resolved, [], 'still present, so not resolved');
});

t.test('a previous report of another state is compared, with a warning', async (t) => {
  const previous = { ...report([entry('a', 'deleted')]), state: { lineage: 'other', serial: 1 } };
  const current = report([entry('a', 'deleted')], { previous });
  t.equal(current.findings[0]?.status, 'unchanged');
  t.match(current.warnings[0], /previous report is for state lineage other/);
});
