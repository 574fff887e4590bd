// `apply --refresh-only` as text: what the state would accept from the clouds. A pure function
// of the plan and the entries plan-pipeline/accept-live.ts selects; the prompt is the command's.
import type { DriftEntry, Plan } from '../planner/types.js';
import { unreadLine } from './text.js';
import { formatValue } from './values.js';

export function renderRefreshOnly(plan: Pick<Plan, 'unread'>, moved: readonly DriftEntry[]): string {
  let out = '';
  for (const u of plan.unread ?? []) out += `Warning: ${unreadLine(u)}\n\n`;
  if (moved.length === 0) return out + (plan.unread ? 'No changes in what could be read.\n' : 'No changes. The state matches the clouds.\n');
  out += 'The state will accept these changes made outside imagectl:\n\n';
  for (const d of moved) {
    out += d.kind === 'deleted' ? `  - ${d.address} (${d.id ?? '?'}) is gone: it leaves the state\n` : `  ~ ${d.address} (${d.id ?? '?'}):\n`;
    for (const f of d.fields) out += `      ${f.path.slice(1)}: ${formatValue(f.expected)} -> ${formatValue(f.actual)}\n`;
  }
  return out;
}
