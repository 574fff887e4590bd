// Reading back a report written by `drift --report`, for --since. Apart from the renderers: it
// reads a schema file and compiles a validator, and render/ stays a pure function of its input.
import { ImagectlError, errorMessage } from '../util/errors.js';
import { isObject } from '../util/json.js';
import { driftSchemaProblems } from './schema.js';
import type { DriftReport } from './types.js';

/**
 * Parse and validate a report written by `drift --report`. `file` names it in every message.
 * The envelope (format, version) is checked before the schema so that a plan file or a report
 * from a newer imagectl gets a message that says so, not a list of schema paths.
 */
export function parseDriftReport(text: string, file: string): DriftReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ImagectlError('DRIFT_REPORT_INVALID', `${file} is not valid JSON: ${errorMessage(e)}`);
  }
  if (!isObject(doc)) throw new ImagectlError('DRIFT_REPORT_INVALID', `${file} is not an imagectl drift report (expected a JSON object)`);
  if (doc['format'] !== 'imagectl-drift') {
    const found = doc['format'] === undefined ? 'no "format" field' : `format ${JSON.stringify(doc['format'])}`;
    throw new ImagectlError('DRIFT_REPORT_INVALID', `${file} is not an imagectl drift report (${found}; expected "imagectl-drift")`);
  }
  if (doc['version'] !== 1) {
    throw new ImagectlError(
      'DRIFT_REPORT_VERSION',
      `${file} is drift report version ${JSON.stringify(doc['version'] ?? null)}; this imagectl reads version 1 (it may have been written by a newer imagectl)`,
    );
  }
  const problems = driftSchemaProblems(doc);
  if (problems.length > 0) {
    throw new ImagectlError('DRIFT_REPORT_INVALID', `${file} does not match schemas/drift.schema.json:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return doc as unknown as DriftReport;
}
