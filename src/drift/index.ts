// The drift report's public face: build it from a plan, print it three ways, read one back.
export { buildReport, exitCodeOf, type DriftInput } from './build.js';
export type { UnmanagedImage } from './findings.js';
export { fingerprintOf } from './fingerprint.js';
export { applyIgnoreRules, globMatches, isExpired, pathCovers, ruleLabel } from './ignore.js';
export { EXIT_MEANING, KIND_ORDER, KINDS, type KindInfo } from './kinds.js';
export { renderDriftJson, parseDriftReport } from '../render/drift-json.js';
export { renderDriftMarkdown } from '../render/drift-markdown.js';
export { renderDriftText } from '../render/drift-text.js';
export { DRIFT_SCHEMA_URL, driftSchemaProblems } from './schema.js';
export type { DriftReport, Finding, FindingStatus, IgnoredField, IgnoreRule } from './types.js';
