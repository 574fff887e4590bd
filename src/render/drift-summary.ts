// The one-sentence verdict both renderers start with, so the terminal, the PR comment and the
// job summary never disagree about what was found.
import { EXIT_MEANING, KIND_ORDER, KINDS } from '../drift/kinds.js';
import type { DriftReport } from '../drift/types.js';

/** "Drift: 1 modified, 2 pending (3 in sync)." or "In sync: 5 images match the state and the configuration." */
export function summaryLine(report: DriftReport): string {
  const s = report.summary;
  const counted = KIND_ORDER.filter((k) => k !== 'in_sync' && s[k] > 0).map((k) => `${s[k]} ${KINDS[k].label}`);
  const extra: string[] = [];
  if (counted.length > 0 && s.in_sync > 0) extra.push(`${s.in_sync} in sync`);
  if (s.suppressed > 0) extra.push(`${s.suppressed} suppressed`);
  if (s.resolved > 0) extra.push(`${s.resolved} resolved`);
  const aside = extra.length > 0 ? ` (${extra.join(', ')})` : '';
  if (counted.length > 0) return `Drift: ${counted.join(', ')}${aside}.`;
  if (s.in_sync === 0 && s.suppressed === 0) return `In sync: no images to check${aside}.`;
  return `In sync: ${plural(s.in_sync, 'image matches', 'images match')} the state and the configuration${aside}.`;
}

/** The closing line of the text report: which code the command exits with, and why. */
export function exitLine(report: DriftReport): string {
  return `Exit code ${report.exit_code}: ${EXIT_MEANING[report.exit_code].explanation}.`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
