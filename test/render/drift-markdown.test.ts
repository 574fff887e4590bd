import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../src/drift/build.js';
import { code, MAX_VALUE_CHARS, truncate } from '../../src/render/markdown-cells.js';
import { renderDriftMarkdown } from '../../src/render/drift-markdown.js';
import { entry, modified, NOW, plan } from '../drift/fixtures/plans.js';
import { sampleReport } from '../drift/fixtures/sample.js';

t.test('Markdown matches the committed snapshot', async (t) => {
  const md = renderDriftMarkdown(sampleReport());
  const golden = join(import.meta.dirname, 'golden', 'drift-report.md');
  // Written only when asked: a snapshot that is missing (moved, renamed) must fail, not be remade.
  if (process.env['UPDATE_GOLDEN']) writeFileSync(golden, md);
  t.equal(md, readFileSync(golden, 'utf8'));
});

t.test('shape: heading, summary table, one details block per counted finding', async (t) => {
  const report = sampleReport();
  const md = renderDriftMarkdown(report);
  t.match(md, /^### imagectl drift: some images not checked\n/);
  t.match(md, /\| kind \| count \|\n\| --- \| --- \|\n\| modified \| 1 \|/);
  t.match(md, /\| not checked \| 1 \|/);
  t.match(md, /\| suppressed \| 1 \|/);
  t.match(md, `Checked at ${NOW} against state serial 7.`);
  const counted = report.findings.filter((f) => f.kind !== 'in_sync' && f.suppressed === undefined);
  t.equal(md.match(/<details>/g)?.length, counted.length);
  t.equal(md.match(/<\/details>/g)?.length, counted.length);
  t.match(md, '<summary>web — modified (new)</summary>');
  t.match(md, '<summary>db — deleted (unchanged)</summary>');
  t.notMatch(md, /scrypt/, 'secrets print as (sensitive)');
  t.match(md, '(sensitive)');
  t.match(md, /\*\*Suppressed by ignore rules\*\*[^\n]*\n\n- `legacy` modified: renamed by the vendor; ticket OPS-12 \(rule `leg\*`\)/);
  t.match(md, '**Resolved since the previous report:** `old` (modified).');
  t.match(md, /> - ignore rule for tools expired on 2026-10-01/);
  t.match(md, /auth: 403 &lt;Forbidden&gt;/, 'free text cannot inject HTML');
});

t.test('deterministic: the only timestamp is the Checked at line', async (t) => {
  const drift = [modified('a', [{ path: '/x', expected: 1, actual: 2 }])];
  const one = renderDriftMarkdown(buildReport({ plan: plan({ drift }), now: '2026-01-01T00:00:00Z' }));
  const two = renderDriftMarkdown(buildReport({ plan: plan({ drift }), now: '2027-06-30T12:34:56Z' }));
  t.equal(one.replace(/^Checked at .*$/m, ''), two.replace(/^Checked at .*$/m, ''));
  t.not(one, two);
});

t.test('values cannot break the table: pipes and backticks escaped, long values cut', async (t) => {
  const md = renderDriftMarkdown(sampleReport());
  const row = md.split('\n').find((l) => l.startsWith('| `/description`') && l.includes('golden'));
  t.equal(row, '| `/description` | ``"golden `v2` \\| base"`` | ``"edited \\| by `hand`"`` |');
  const url = md.split('\n').find((l) => l.startsWith('| `/source/url`')) ?? '';
  t.match(url, /… \(\d+ more characters\)/);
  t.ok(url.length < 2 * MAX_VALUE_CHARS + 200, 'the long value was cut');
});

t.test('code spans hold any text', async (t) => {
  t.equal(code('plain'), '`plain`');
  t.equal(code('a`b'), '``a`b``');
  t.equal(code('`edge`'), '`` `edge` ``');
  t.equal(code('x``y'), '```x``y```');
  t.equal(code('two\nlines'), '`two lines`');
  t.equal(truncate('x'.repeat(MAX_VALUE_CHARS)), 'x'.repeat(MAX_VALUE_CHARS), 'at the limit: untouched');
  t.equal(truncate('x'.repeat(MAX_VALUE_CHARS + 5)), `${'x'.repeat(MAX_VALUE_CHARS)}… (5 more characters)`);
});

t.test('in sync: heading says so, no details blocks', async (t) => {
  const md = renderDriftMarkdown(buildReport({ plan: plan({ drift: [entry('a', 'in_sync'), entry('b', 'in_sync')] }), now: NOW }));
  t.match(md, /^### imagectl drift: in sync\n\nIn sync: 2 images match the state and the configuration\.\n/);
  t.notMatch(md, /<details>/);
  t.match(md, '**In sync:** `a`, `b`.');
  t.match(md, /Exit code 0: the cloud matches the state and the configuration\./);
});

t.test('a very long report is cut at 50 details blocks', async (t) => {
  const drift = Array.from({ length: 60 }, (_, i) => entry(`img-${String(i).padStart(2, '0')}`, 'deleted'));
  const md = renderDriftMarkdown(buildReport({ plan: plan({ drift }), now: NOW }));
  t.equal(md.match(/<details>/g)?.length, 50);
  t.match(md, '…and 10 more findings (see the JSON report).');
});
