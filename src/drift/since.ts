// --since PREVIOUS.json: compare this run with an earlier report by fingerprint, so a scheduled
// drift check can notify only on drift that is new (research/anchors.md §3.11) and say what was
// fixed in between. Identity is the fingerprint alone: a finding that was suppressed before and
// is not now is the same drift, shown as unchanged.
import type { DriftReport, Finding } from './types.js';

export function compareWithPrevious(current: readonly Finding[], previous: DriftReport): { findings: Finding[]; resolved: Finding[] } {
  const before = new Set(previous.findings.map((f) => f.fingerprint));
  const now = new Set(current.map((f) => f.fingerprint));
  const findings = current.map((f): Finding => {
    if (f.kind === 'in_sync') return f; // nothing to follow up, so no status
    return { ...f, status: before.has(f.fingerprint) ? 'unchanged' : 'new' };
  });
  // Only drift that counted before can be "resolved"; an accepted (suppressed) finding going
  // away is housekeeping, not news. And an image that could not be checked this time may still
  // have its drift: calling that resolved would be "no drift" standing in for "did not look".
  const unchecked = new Set(current.filter((f) => f.kind === 'not_checked').map((f) => f.address));
  const resolved = previous.findings
    .filter((f) => f.kind !== 'in_sync' && f.suppressed === undefined && !now.has(f.fingerprint) && !unchecked.has(f.address))
    .map((f): Finding => ({ ...f, status: 'resolved' }));
  return { findings, resolved };
}

/** A note when the previous report describes another state, where every finding would look new. */
export function previousMismatch(previous: DriftReport, state: DriftReport['state']): string | undefined {
  if (previous.state.lineage === state.lineage) return undefined;
  return `the previous report is for state lineage ${previous.state.lineage}, this one is ${state.lineage}: findings are compared anyway`;
}
