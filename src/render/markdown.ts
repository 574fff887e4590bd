// The plan as Markdown for pull-request comments and job summaries: a one-line verdict, a
// summary table, and the Terraform-style text in a ```diff block so + / - lines are coloured.
import type { Plan } from '../planner/types.js';
import { renderPlanText, unreadLine } from './text.js';

export function renderPlanMarkdown(plan: Plan): string {
  const s = plan.summary;
  const acting = plan.changes.some((c) => c.action !== 'no-op');
  const unread = plan.unread ?? [];
  const verdict = (plan.errors.length > 0 ? 'cannot be applied' : acting ? `${s.add} to add, ${s.change} to change, ${s.destroy} to destroy` : 'no changes')
    + (unread.length > 0 ? ` (${unread.length} provider(s) NOT read)` : '');
  const lines = [
    `### imagectl plan: ${verdict}`,
    '',
    '| add | change | destroy | unchanged |',
    '|---:|---:|---:|---:|',
    `| ${s.add} | ${s.change} | ${s.destroy} | ${s.unchanged} |`,
    '',
  ];
  const moved = plan.drift.filter((d) => d.kind === 'modified' || d.kind === 'deleted').length;
  if (moved > 0) lines.push(`> ${moved} image(s) changed outside imagectl since the last apply (see the note in the plan).`, '');
  for (const u of unread) lines.push(`> **Warning:** ${unreadLine(u)}`, '');
  for (const e of plan.errors) lines.push(`> **Error:** ${e}`, '');
  lines.push('<details' + (acting ? ' open' : '') + '><summary>Plan</summary>', '', '```diff', renderPlanText(plan, { colour: false }).trimEnd().replace(/```/g, "'''"), '```', '', '</details>', '');
  lines.push(`State lineage \`${plan.state.lineage}\`, serial ${plan.state.serial}.`, '');
  return lines.join('\n');
}
