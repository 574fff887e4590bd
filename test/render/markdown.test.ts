// src/render/markdown.ts: the verdict line, the summary table, the notes above the plan, and the
// text plan folded in a ```diff block that nothing inside can close early.
import t from 'tap';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/text.js';
import type { Plan } from '../../src/planner/types.js';
import { changeOf, planOf } from '../support/plans.js';

const acting = (extra: Partial<Plan> = {}): Plan =>
  planOf([changeOf({ action: 'create' }), changeOf({ address: 'b', action: 'delete', id: 'x' })], { summary: { add: 1, change: 0, destroy: 1, unchanged: 2 }, ...extra });

t.test('the verdict says what a reviewer must know first', async (t) => {
  const rows: { name: string; plan: Plan; verdict: string }[] = [
    { name: 'changes', plan: acting(), verdict: '### imagectl plan: 1 to add, 0 to change, 1 to destroy' },
    { name: 'no changes', plan: planOf([changeOf({ action: 'no-op' })]), verdict: '### imagectl plan: no changes' },
    { name: 'errors win over changes', plan: acting({ errors: ['e'] }), verdict: '### imagectl plan: cannot be applied' },
    { name: 'unread providers are counted', plan: acting({ unread: [{ provider: 'eu', reason: 'r' }, { provider: 'us', reason: 'r' }] }), verdict: '### imagectl plan: 1 to add, 0 to change, 1 to destroy (2 provider(s) NOT read)' },
  ];
  for (const r of rows) t.equal(renderPlanMarkdown(r.plan).split('\n')[0], r.verdict, r.name);
});

t.test('summary table, notes, the folded plan and the state it was made from', async (t) => {
  const md = renderPlanMarkdown(
    acting({
      drift: [
        { address: 'a', provider: 'prod', kind: 'modified', fields: [] },
        { address: 'b', provider: 'prod', kind: 'deleted', fields: [] },
        { address: 'c', provider: 'prod', kind: 'pending', fields: [] },
      ],
      unread: [{ provider: 'eu', reason: 'HTTP 503' }],
      errors: ['a: lifecycle.prevent_destroy is set'],
    }),
  );
  t.match(md, '| add | change | destroy | unchanged |\n|---:|---:|---:|---:|\n| 1 | 0 | 1 | 2 |\n');
  t.match(md, '> 2 image(s) changed outside imagectl since the last apply (see the note in the plan).\n', 'modified and deleted count, pending does not');
  t.match(md, "> **Warning:** provider 'eu' was NOT read");
  t.match(md, '> **Error:** a: lifecycle.prevent_destroy is set\n');
  t.match(md, '<details open><summary>Plan</summary>\n\n```diff\n');
  t.match(md, 'State lineage `00000000-0000-4000-8000-000000000001`, serial 3.\n');
  t.notMatch(renderPlanMarkdown(planOf([])), '<details open>', 'folded when nothing changes');
});

t.test('the diff block holds the text plan without colour, and a ``` inside cannot close it', async (t) => {
  const plan = planOf([changeOf({ action: 'create', changes: [{ path: '/description', after: 'see ```code```', forces_replacement: false, sensitive: false, unknown: false }] })], { summary: { add: 1, change: 0, destroy: 0, unchanged: 0 } });
  const md = renderPlanMarkdown(plan);
  const inner = /```diff\n([\s\S]*)\n```\n/.exec(md)?.[1];
  t.equal(inner, renderPlanText(plan, { colour: false }).trimEnd().replace(/```/g, "'''"));
  t.equal(md.match(/```/g)?.length, 2, 'only the fence itself');
  t.notMatch(md, /\u001b\[/);
});
