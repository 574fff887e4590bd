// The drift report as one versioned JSON document (schemas/drift.schema.json). Like the plan's
// --json, secret fingerprints become a plain marker on the way out: the finding fingerprints
// were computed before, so --since still tells secrets apart. Reading one back is
// drift/read-report.ts.
import { redact } from './values.js';
import type { JsonValue } from '../util/json.js';
import type { DriftReport } from '../drift/types.js';

export function renderDriftJson(report: DriftReport): string {
  const doc = redact(JSON.parse(JSON.stringify(report)) as JsonValue);
  return JSON.stringify(doc, null, 2) + '\n';
}
