// The drift model: every type of the drift report, declared here once. The report is what
// `imagectl drift` prints (text, markdown) and writes (--report, JSON per
// schemas/drift.schema.json). It is built purely from a Plan's drift section plus the listing of
// unmanaged images, and carries a stable fingerprint per finding so --since can tell what is new.
//
// The field-level drift itself (DriftEntry, DriftField, PlanDriftKind) is part of the Plan and is
// declared with it in planner/types.ts: the planner computes it (planner/drift.ts) while it
// plans, and this folder only reads it. Declaring it here instead would have the planner import
// from drift/ while drift/ imports the Plan: arrows both ways.
import type { DriftField, PlanDriftKind } from '../planner/types.js';

/** Every kind of finding: the planner's, plus those found by listing the cloud (--unmanaged). */
export type DriftKind = PlanDriftKind | 'leaked' | 'unmanaged';

/** An image found by listing the cloud rather than through the state (drift/unmanaged.ts). */
export interface UnmanagedImage {
  provider: string;
  id: string;
  name: string;
  /** leaked: carries this state's lineage tag but is not in it; unmanaged: untagged inside a declared scope. */
  kind: 'leaked' | 'unmanaged';
  /** The address the ownership tag names, when the image carries one. */
  owner_address?: string;
}

export type FindingStatus = 'new' | 'unchanged' | 'resolved';

export interface Finding {
  address: string;
  provider: string;
  kind: DriftKind;
  id?: string;
  name?: string;
  fields: DriftField[];
  /** Fields of a `modified` finding that an ignore rule covers: shown, not counted, not fingerprinted. */
  ignored_fields?: IgnoredField[];
  message?: string;
  /** sha-like digest of {address, kind, field paths and actual values}: same drift, same fingerprint. */
  fingerprint: string;
  /** With --since: compared with the previous report. */
  status?: FindingStatus;
  /** An ignore rule matched every field of this finding (kept visible, does not count for the exit code). */
  suppressed?: { reason: string; rule: string };
}

/** A finding before ignore rules and fingerprinting. */
export type Draft = Omit<Finding, 'fingerprint'>;

/** A drifted field an ignore rule set aside, with the rule that did it. */
export interface IgnoredField extends DriftField {
  reason: string;
  rule: string;
}

/** `drift.ignore` entries of the config. */
export interface IgnoreRule {
  address: string; // glob: * and ? over addresses
  path?: string; // JSON Pointer; absent = the whole finding
  reason: string;
  expires?: string; // ISO date; after it the rule stops suppressing and warns
}

export interface DriftReport {
  format: 'imagectl-drift';
  version: 1;
  created_at: string;
  config_digest: string;
  state: { lineage: string; serial: number };
  summary: Record<DriftKind, number> & { suppressed: number; resolved: number };
  /** 0 in sync, 2 config changes not applied, 3 live drift, 4 some images not checked. */
  exit_code: 0 | 2 | 3 | 4;
  findings: Finding[];
  /** Findings of --since that are gone now. */
  resolved: Finding[];
  warnings: string[];
}
