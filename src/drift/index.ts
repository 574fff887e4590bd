// The drift model's public face: build the report from a plan and the cloud's listing, read one
// back for --since. Its renderers are in render/ beside the plan's (render/drift-*.ts).
export { buildReport, exitCodeOf, type DriftInput } from './build.js';
export { fingerprintOf } from './fingerprint.js';
export { applyIgnoreRules, globMatches, ignoreRulesOf, isExpired, pathCovers, ruleLabel } from './ignore.js';
export { EXIT_MEANING, KIND_ORDER, KINDS, type KindInfo } from './kinds.js';
export { parseDriftReport } from './read-report.js';
export { DRIFT_SCHEMA_URL, driftSchemaProblems } from './schema.js';
export { findUnmanaged } from './unmanaged.js';
export type { DriftKind, DriftReport, Finding, FindingStatus, IgnoredField, IgnoreRule, UnmanagedImage } from './types.js';
