// buildReport: the drift report as a pure function of a Plan, the listing of unmanaged images,
// the ignore rules, the time and (for --since) the previous report. The `drift` command reads
// those inputs, calls this, renders the result and exits with `exit_code`; nothing here touches
// the cloud, the disk or the clock.
import type { Plan } from '../planner/types.js';
import { fingerprintOf } from './fingerprint.js';
import { draftFromUnmanaged, draftsFromPlan } from './findings.js';
import { applyIgnoreRules } from './ignore.js';
import { KIND_ORDER, KINDS } from './kinds.js';
import { compareWithPrevious, previousMismatch } from './since.js';
import type { Draft, DriftKind, DriftReport, Finding, IgnoreRule, UnmanagedImage } from './types.js';

export interface DriftInput {
  plan: Plan;
  /** Leaked and unmanaged images found by listing (`--unmanaged`). */
  unmanaged?: readonly UnmanagedImage[];
  rules?: readonly IgnoreRule[];
  /** ISO date-time of this run: the report's created_at and the clock for rule expiry. */
  now: string;
  /** The report given to --since. */
  previous?: DriftReport;
  /**
   * Providers whose list failed while looking for unmanaged images (`--unmanaged`), with the
   * reason: their leaked images are unknown, which is never "none found" (exit 4).
   */
  unlisted?: Readonly<Record<string, string>>;
}

export function buildReport(input: DriftInput): DriftReport {
  const drafts = [...draftsFromPlan(input.plan), ...(input.unmanaged ?? []).map(draftFromUnmanaged)];
  const ignored = applyIgnoreRules(drafts, input.rules ?? [], input.now);
  // Fingerprinted after the rules, over the fields that still count: a field someone accepted
  // can keep moving without making the finding look new.
  let findings = ignored.drafts.map(withFingerprint).sort(byPosition);
  let resolved: Finding[] = [];
  const warnings = [...ignored.warnings];
  const unlisted = Object.entries(input.unlisted ?? {});
  for (const [provider, message] of unlisted) {
    warnings.push(`provider ${provider} could not be listed, so its leaked and unmanaged images are unknown: ${message}`);
  }
  if (input.previous) {
    ({ findings, resolved } = compareWithPrevious(findings, input.previous));
    const mismatch = previousMismatch(input.previous, input.plan.state);
    if (mismatch !== undefined) warnings.push(mismatch);
  }
  return {
    format: 'imagectl-drift',
    version: 1,
    created_at: input.now,
    config_digest: input.plan.config_digest,
    state: { lineage: input.plan.state.lineage, serial: input.plan.state.serial },
    summary: summarize(findings, resolved.length),
    exit_code: unlisted.length > 0 ? 4 : exitCodeOf(findings),
    findings,
    resolved,
    warnings,
  };
}

/** The highest code any counted finding asks for (DESIGN §8: "the highest code that applies wins"). */
export function exitCodeOf(findings: readonly Finding[]): DriftReport['exit_code'] {
  let code: DriftReport['exit_code'] = 0;
  for (const f of findings) if (f.suppressed === undefined && KINDS[f.kind].exitCode > code) code = KINDS[f.kind].exitCode;
  return code;
}

function summarize(findings: readonly Finding[], resolved: number): DriftReport['summary'] {
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, 0])) as Record<DriftKind, number>;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed !== undefined) suppressed++;
    else counts[f.kind]++;
  }
  return { ...counts, suppressed, resolved };
}

function withFingerprint(d: Draft): Finding {
  return { ...d, fingerprint: fingerprintOf(d) };
}

/** By address, then kind, then id: stable output whatever order the planner and lister used. */
function byPosition(a: Finding, b: Finding): number {
  return (
    compare(a.address, b.address) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compare(a.id ?? '', b.id ?? '')
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
