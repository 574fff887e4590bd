import t from 'tap';
import { buildReport } from '../../src/drift/build.js';
import { globMatches, isExpired, pathCovers } from '../../src/drift/ignore.js';
import type { IgnoreRule } from '../../src/drift/types.js';
import type { DriftEntry } from '../../src/planner/types.js';
import { entry, modified, NOW, plan } from './fixtures/plans.js';

function run(drift: DriftEntry[], rules: IgnoreRule[], now = NOW) {
  return buildReport({ plan: plan({ drift }), rules, now });
}

const edited = modified('web-eu', [
  { path: '/description', expected: 'golden', actual: 'edited' },
  { path: '/tags/owner', expected: 'ops', actual: 'dev' },
  { path: '/tags/cost', expected: 'a', actual: 'b' },
]);

t.test('address globs: * any run, ? exactly one, the rest literal', async (t) => {
  t.ok(globMatches('web-*', 'web-eu'));
  t.ok(globMatches('*', 'anything.at/all'));
  t.ok(globMatches('web-??', 'web-eu'));
  t.notOk(globMatches('web-?', 'web-eu'));
  t.notOk(globMatches('web', 'web-eu'), 'anchored at both ends');
  t.notOk(globMatches('web.eu', 'web-eu'), 'a dot is literal');
  t.ok(globMatches('a+(b)', 'a+(b)'));
});

t.test('rule paths cover the field itself and what lies below', async (t) => {
  t.ok(pathCovers('/tags', '/tags/owner'));
  t.ok(pathCovers('/tags/owner', '/tags/owner'));
  t.notOk(pathCovers('/tags', '/tagsx'), 'a prefix of the name is not a parent');
  t.notOk(pathCovers('/tags/owner', '/tags'));
});

t.test('a rule without a path suppresses the whole finding by glob', async (t) => {
  const r = run([edited, entry('db', 'deleted')], [{ address: 'web-*', reason: 'hand-tuned in the console' }]);
  const web = r.findings.find((f) => f.address === 'web-eu');
  t.same(web?.suppressed, { reason: 'hand-tuned in the console', rule: 'web-*' });
  t.equal(web?.fields.length, 3, 'fields are kept for display');
  t.equal(r.findings.find((f) => f.address === 'db')?.suppressed, undefined, 'other addresses untouched');
  t.equal(r.summary.modified, 0);
  t.equal(r.summary.deleted, 1);
  t.equal(r.summary.suppressed, 1);
});

t.test('a path rule removes the fields it covers from a modified finding', async (t) => {
  const r = run([edited], [{ address: 'web-eu', path: '/tags', reason: 'tags are managed by FinOps' }]);
  const f = r.findings[0];
  t.equal(f?.suppressed, undefined, 'still counts: /description drifted');
  t.same(f?.fields.map((x) => x.path), ['/description']);
  t.same(f?.ignored_fields?.map((x) => [x.path, x.rule, x.reason]), [
    ['/tags/owner', 'web-eu /tags', 'tags are managed by FinOps'],
    ['/tags/cost', 'web-eu /tags', 'tags are managed by FinOps'],
  ]);
  t.equal(r.exit_code, 3);
  const unruled = run([edited], []).findings[0];
  const onlyDescription = run([{ ...edited, fields: edited.fields.slice(0, 1) }], []).findings[0];
  t.not(f?.fingerprint, unruled?.fingerprint, 'fingerprinted over the counted fields');
  t.equal(f?.fingerprint, onlyDescription?.fingerprint, 'so an ignored field moving again is not new drift');
});

t.test('when path rules cover every field, the finding is suppressed', async (t) => {
  const r = run([edited], [
    { address: 'web-eu', path: '/tags', reason: 'FinOps' },
    { address: 'web-*', path: '/description', reason: 'free text' },
  ]);
  t.same(r.findings[0]?.suppressed, { reason: 'free text; FinOps', rule: 'web-* /description, web-eu /tags' });
  t.equal(r.exit_code, 0);
});

t.test('path rules do not touch findings that are not made of fields', async (t) => {
  const r = run([entry('web-eu', 'deleted')], [{ address: 'web-eu', path: '/tags', reason: 'r' }]);
  t.equal(r.findings[0]?.suppressed, undefined);
  t.equal(r.exit_code, 3);
});

t.test('an expired rule warns and does not suppress', async (t) => {
  const r = run([edited], [{ address: 'web-*', reason: 'until the migration', expires: '2026-11-19' }]);
  t.equal(r.findings[0]?.suppressed, undefined);
  t.equal(r.exit_code, 3);
  t.same(r.warnings, ['ignore rule for web-* expired on 2026-11-19 (reason: until the migration)']);
  const withPath = run([edited], [{ address: 'web-eu', path: '/tags', reason: 'r', expires: '2026-01-01T00:00:00Z' }]);
  t.equal(withPath.findings[0]?.ignored_fields, undefined);
  t.match(withPath.warnings[0], /^ignore rule for web-eu \/tags expired on 2026-01-01T00:00:00Z/);
});

t.test('expiry: a bare date holds through its whole day; a timestamp is exact; garbage counts as expired', async (t) => {
  const rule = (expires: string): IgnoreRule => ({ address: '*', reason: 'r', expires });
  t.notOk(isExpired(rule('2026-11-20'), '2026-11-20T23:59:59Z'));
  t.ok(isExpired(rule('2026-11-20'), '2026-11-21T00:00:00Z'));
  t.notOk(isExpired(rule('2026-11-20T08:00:00Z'), '2026-11-20T08:00:00Z'));
  t.ok(isExpired(rule('2026-11-20T07:59:59Z'), '2026-11-20T08:00:00Z'));
  t.notOk(isExpired({ address: '*', reason: 'r' }, NOW), 'no expiry, never expires');
  const r = run([edited], [rule('next tuesday')]);
  t.equal(r.findings[0]?.suppressed, undefined);
  t.match(r.warnings[0], /unreadable expiry date "next tuesday"/);
  t.equal(run([edited], [rule('2026-11-20')]).findings[0]?.suppressed?.rule, '*', 'still valid on its last day');
});

t.test('rules never suppress not_checked', async (t) => {
  const r = run([entry('web-eu', 'not_checked', { message: 'throttle: 429' })], [{ address: '*', reason: 'everything is fine' }]);
  t.equal(r.findings[0]?.suppressed, undefined);
  t.equal(r.summary.suppressed, 0);
  t.equal(r.exit_code, 4);
});

t.test('in_sync findings are not marked suppressed', async (t) => {
  const r = run([entry('web-eu', 'in_sync')], [{ address: '*', reason: 'r' }]);
  t.equal(r.findings[0]?.suppressed, undefined);
  t.equal(r.summary.suppressed, 0);
  t.equal(r.summary.in_sync, 1);
});

t.test('leaked and pending findings can be suppressed by address', async (t) => {
  const r = buildReport({
    plan: plan({ drift: [entry('p', 'pending')] }),
    unmanaged: [{ provider: 'prod', id: 'i-1', name: 'old', kind: 'leaked' }],
    rules: [{ address: '(leaked)', reason: 'cleanup ticket OPS-12' }, { address: 'p', reason: 'rollout next week' }],
    now: NOW,
  });
  t.equal(r.summary.suppressed, 2);
  t.equal(r.exit_code, 0);
});
