import t from 'tap';
import { buildReport } from '../../src/drift/build.js';
import { renderDriftText } from '../../src/render/drift-text.js';
import { change, entry, modified, named, NOW, plan } from '../drift/fixtures/plans.js';
import { sampleReport } from '../drift/fixtures/sample.js';

const text = (r = sampleReport()): string => renderDriftText(r, { colour: false });

t.test('summary line first, exit code explained last', async (t) => {
  const lines = text().trimEnd().split('\n');
  t.equal(lines[0], 'Drift: 1 modified, 1 deleted, 1 leaked, 1 unmanaged, 2 pending, 1 not checked (2 in sync, 1 suppressed, 1 resolved).');
  t.equal(lines.at(-1), 'Exit code 4: some images could not be checked, so drift cannot be ruled out.');
});

t.test('the brief example summary line', async (t) => {
  const r = buildReport({
    plan: plan({
      drift: [
        modified('a', [{ path: '/x', expected: 1, actual: 2 }]),
        entry('b', 'deleted'),
        entry('c', 'pending'),
        entry('d', 'not_checked'),
        ...['e', 'f', 'g'].map((a) => entry(a, 'in_sync')),
      ],
      changes: [change('h', 'create', ['new'])],
    }),
    now: NOW,
  });
  t.match(text(r), /^Drift: 1 modified, 1 deleted, 2 pending, 1 not checked \(3 in sync\)\.\n/);
});

t.test('in sync', async (t) => {
  const five = buildReport({ plan: plan({ drift: ['a', 'b', 'c', 'd', 'e'].map((a) => entry(a, 'in_sync')) }), now: NOW });
  t.equal(text(five), 'In sync: 5 images match the state and the configuration.\n\nIn sync: a, b, c, d, e.\n\nExit code 0: the cloud matches the state and the configuration.\n');
  const one = buildReport({ plan: plan({ drift: [entry('a', 'in_sync')] }), now: NOW });
  t.match(text(one), /^In sync: 1 image matches the state/);
  t.match(text(buildReport({ plan: plan(), now: NOW })), /^In sync: no images to check\.\n/);
});

t.test('each finding: address, kind, id and name, then its fields expected -> actual', async (t) => {
  const out = text();
  t.match(out, '  ~ web modified (id id-web, name "web-golden") [new]\n      description: "golden `v2` | base" -> "edited | by `hand`"\n');
  t.match(out, '      checksum: (sensitive) -> (sensitive)');
  t.notMatch(out, /scrypt/);
  t.match(out, '  - db deleted (id id-db) [unchanged]\n      the image is gone from the cloud\n');
  t.match(out, '  ! web leaked (id i-leak, name "web-golden-old") [new]');
  t.match(out, '  ? (unmanaged) unmanaged (id i-adhoc, name "adhoc-test") [new]');
  t.match(out, '  x cache not checked (id id-cache) [new]\n      auth: 403 <Forbidden>\n');
  t.match(out, '  > fresh pending (name "fresh-2026") [new]\n      declared but not yet created\n');
  t.match(out, '      description: "old" -> "new"', 'pending reads applied -> configured, like the plan');
  t.match(out, '      tags/cost: "a" -> "b"  (ignored: tags belong to FinOps; rule web /tags)');
  t.notMatch(out, /^ {2}. (base|tools) /m, 'in-sync images get no block of their own');
});

t.test('suppressed last among findings, then resolved, then warnings', async (t) => {
  const out = text();
  const at = (s: string): number => out.indexOf(s);
  t.ok(at('  ! web leaked') < at('Suppressed by ignore rules:'));
  t.ok(at('Suppressed by ignore rules:') < at('Resolved since the previous report:'));
  t.ok(at('Resolved since the previous report:') < at('Warning: ignore rule for tools expired on 2026-10-01 (reason: old rule)'));
  t.match(out, 'Suppressed by ignore rules:\n  ~ legacy modified (id id-legacy): renamed by the vendor; ticket OPS-12 (rule leg*)\n');
  t.match(out, 'Resolved since the previous report:\n  old modified (id id-old)\n');
});

t.test('no status markers without --since', async (t) => {
  const r = buildReport({ plan: plan({ drift: [entry('a', 'deleted')], changes: [change('a', 'create', ['deleted_out_of_band'], { after: named('a') })] }), now: NOW });
  t.equal(text(r), 'Drift: 1 deleted.\n\n  - a deleted (id id-a, name "a")\n\nExit code 3: images changed outside imagectl (live drift).\n');
});

t.test('exit code 2 is explained', async (t) => {
  const r = buildReport({ plan: plan({ changes: [change('a', 'create', ['new'])] }), now: NOW });
  t.match(text(r), /Exit code 2: configuration changes not yet applied/);
});

t.test('colour only when asked', async (t) => {
  t.notMatch(text(), /\u001b\[/);
  const coloured = renderDriftText(sampleReport(), { colour: true });
  t.match(coloured, /\u001b\[33m~\u001b\[39m/);
  t.equal(coloured.replace(/\u001b\[\d+m/g, ''), text(), 'same text underneath');
});
