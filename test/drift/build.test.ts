import t from 'tap';
import { buildReport } from '../../src/drift/build.js';
import type { PlanDriftKind } from '../../src/planner/types.js';
import { change, entry, modified, named, NOW, plan } from './fixtures/plans.js';

t.test('exit code: the highest that applies wins', async (t) => {
  const cases: { kinds: PlanDriftKind[]; code: 0 | 2 | 3 | 4 }[] = [
    { kinds: [], code: 0 },
    { kinds: ['in_sync'], code: 0 },
    { kinds: ['in_sync', 'pending'], code: 2 },
    { kinds: ['modified'], code: 3 },
    { kinds: ['deleted'], code: 3 },
    { kinds: ['pending', 'deleted'], code: 3 },
    { kinds: ['not_checked'], code: 4 },
    { kinds: ['in_sync', 'pending', 'modified', 'not_checked'], code: 4 },
    { kinds: ['not_checked', 'pending'], code: 4 },
  ];
  for (const c of cases) {
    const drift = c.kinds.map((k, i) => (k === 'modified' ? modified(`a${i}`, [{ path: '/x', expected: 1, actual: 2 }]) : entry(`a${i}`, k)));
    t.equal(buildReport({ plan: plan({ drift }), now: NOW }).exit_code, c.code, `[${c.kinds.join(', ')}] -> ${c.code}`);
  }
  for (const kind of ['leaked', 'unmanaged'] as const) {
    const r = buildReport({ plan: plan({ drift: [entry('p', 'pending')] }), unmanaged: [{ provider: 'prod', id: 'x', name: 'x', kind }], now: NOW });
    t.equal(r.exit_code, 3, `${kind} is live drift and beats pending`);
  }
});

t.test('suppressed findings do not count toward the exit code or the kind counts', async (t) => {
  const r = buildReport({
    plan: plan({ drift: [entry('legacy', 'deleted'), entry('web', 'pending')] }),
    rules: [{ address: 'legacy', reason: 'retired by hand' }],
    now: NOW,
  });
  t.equal(r.exit_code, 2);
  t.equal(r.summary.deleted, 0);
  t.equal(r.summary.suppressed, 1);
  t.equal(r.findings.length, 2, 'the suppressed finding stays listed');
});

t.test('pending findings from creates and deletes, without duplicating the planner', async (t) => {
  const r = buildReport({
    plan: plan({
      drift: [entry('edited', 'pending', { message: 'the configuration changed since the last apply', fields: [{ path: '/description', expected: 'new', actual: 'old' }] })],
      changes: [
        change('fresh', 'create', ['new'], { after: named('fresh-img') }),
        change('dropped', 'delete', ['removed_from_config'], { id: 'id-dropped', before: named('dropped-img') }),
        change('gone', 'delete', ['already_deleted'], { id: 'id-gone' }),
        change('vanished', 'create', ['deleted_out_of_band'], { after: named('v') }),
        change('edited', 'update', ['update_in_place'], { id: 'id-edited' }),
        change('edited2', 'create', ['new']),
      ],
    }),
    now: NOW,
  });
  const pending = r.findings.filter((f) => f.kind === 'pending');
  t.same(
    pending.map((f) => [f.address, f.message, f.name]),
    [
      ['dropped', 'removed from the configuration but still exists', 'dropped-img'],
      ['edited', 'the configuration changed since the last apply', undefined],
      ['edited2', 'declared but not yet created', undefined],
      ['fresh', 'declared but not yet created', 'fresh-img'],
    ],
  );
  t.equal(r.findings.find((f) => f.address === 'dropped')?.id, 'id-dropped');
  t.equal(r.findings.find((f) => f.address === 'fresh')?.id, undefined, 'a create has no id yet');
  t.equal(r.summary.pending, 4);
  t.equal(r.exit_code, 2);
});

t.test('a planner pending entry blocks a second pending from changes for the same address', async (t) => {
  const r = buildReport({
    plan: plan({ drift: [entry('a', 'pending')], changes: [change('a', 'delete', ['removed_from_config'])] }),
    now: NOW,
  });
  t.equal(r.findings.filter((f) => f.address === 'a').length, 1);
});

t.test('leaked and unmanaged images', async (t) => {
  const r = buildReport({
    plan: plan(),
    unmanaged: [
      { provider: 'prod', id: 'i-1', name: 'web-old', kind: 'leaked', owner_address: 'web' },
      { provider: 'prod', id: 'i-2', name: 'orphan', kind: 'leaked' },
      { provider: 'edge', id: 'i-3', name: 'someone-elses', kind: 'unmanaged', owner_address: 'ignored-for-unmanaged' },
    ],
    now: NOW,
  });
  t.same(
    r.findings.map((f) => [f.address, f.kind, f.id, f.name, f.provider]),
    [
      ['(leaked)', 'leaked', 'i-2', 'orphan', 'prod'],
      ['(unmanaged)', 'unmanaged', 'i-3', 'someone-elses', 'edge'],
      ['web', 'leaked', 'i-1', 'web-old', 'prod'],
    ],
  );
  t.equal(r.summary.leaked, 2);
  t.equal(r.summary.unmanaged, 1);
  t.equal(r.exit_code, 3);
});

t.test('every drift entry becomes one finding, in_sync included, sorted and named', async (t) => {
  const r = buildReport({
    plan: plan({
      drift: [entry('b', 'in_sync'), modified('a', [{ path: '/description', expected: 'x', actual: 'y' }]), entry('c', 'not_checked', { message: 'auth: 403' })],
      changes: [change('a', 'no-op', [], { before: named('live-a'), after: named('desired-a') }), change('b', 'no-op', [], { after: named('b-img') })],
    }),
    now: NOW,
  });
  t.same(r.findings.map((f) => [f.address, f.kind, f.name]), [['a', 'modified', 'live-a'], ['b', 'in_sync', 'b-img'], ['c', 'not_checked', undefined]]);
  t.equal(r.summary.in_sync, 1);
  t.equal(r.summary.modified, 1);
  t.equal(r.summary.not_checked, 1);
  t.equal(r.findings[2]?.message, 'auth: 403');
  t.match(r, { format: 'imagectl-drift', version: 1, created_at: NOW, config_digest: 'c0ffee0000000001', state: { serial: 7 }, resolved: [], warnings: [] });
});

t.test('the plan is not mutated', async (t) => {
  const p = plan({ drift: [modified('a', [{ path: '/x', expected: 1, actual: 2 }])] });
  const copy = structuredClone(p);
  buildReport({ plan: p, rules: [{ address: 'a', path: '/x', reason: 'r' }], now: NOW });
  t.same(p, copy);
});

t.test('a provider that could not be listed makes the report itself say exit 4, with a warning', async (t) => {
  const r = buildReport({ plan: plan({ drift: [entry('p', 'pending')] }), unlisted: { eu: 'HTTP 500' }, now: NOW });
  t.equal(r.exit_code, 4, 'the report the renderers print agrees with the process exit code');
  t.match(r.warnings, [/provider eu could not be listed, so its leaked and unmanaged images are unknown: HTTP 500/]);
});
