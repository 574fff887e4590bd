import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildReport } from '../../src/drift/build.js';
import { parseDriftReport } from '../../src/drift/read-report.js';
import { renderDriftJson } from '../../src/render/drift-json.js';
import { DRIFT_SCHEMA_URL, driftSchemaProblems } from '../../src/drift/schema.js';
import { ImagectlError } from '../../src/util/errors.js';
import { entry, NOW, plan } from '../drift/fixtures/plans.js';
import { sampleReport } from '../drift/fixtures/sample.js';

const FILE = 'reports/previous.json';

function refusal(t: Test, text: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    parseDriftReport(text, FILE);
  } catch (e) {
    caught = e;
  }
  t.type(caught, ImagectlError, `refused: ${pattern}`);
  const message = caught instanceof Error ? caught.message : '';
  t.ok(message.includes(FILE), 'names the file');
  t.match(message, pattern);
}

t.test('the schema itself is valid JSON Schema 2020-12', async (t) => {
  const ajv = new Ajv2020({ strict: true });
  addFormats.default(ajv);
  const schema = JSON.parse(readFileSync(DRIFT_SCHEMA_URL, 'utf8')) as object;
  t.ok(ajv.validateSchema(schema), JSON.stringify(ajv.errors));
});

t.test('JSON round trip through parseDriftReport', async (t) => {
  const report = sampleReport();
  const text = renderDriftJson(report);
  t.ok(text.endsWith('}\n'));
  t.match(text, /\n {2}"format": "imagectl-drift"/, 'two-space indent');
  t.notMatch(text, /scrypt/, 'secret fingerprints never leave the machine');
  const back = parseDriftReport(text, FILE);
  t.same(back, JSON.parse(text));
  t.equal(back.findings.length, report.findings.length);
  t.same(back.findings.map((f) => f.fingerprint), report.findings.map((f) => f.fingerprint), 'fingerprints survive');
  t.equal(renderDriftJson(back), text, 'stable when written again');
});

t.test('a report read back works as --since input', async (t) => {
  const p = plan({ drift: [entry('a', 'deleted'), entry('b', 'deleted')] });
  const previous = parseDriftReport(renderDriftJson(buildReport({ plan: p, now: NOW })), FILE);
  const now = buildReport({ plan: plan({ drift: [entry('a', 'deleted')] }), now: NOW, previous });
  t.equal(now.findings[0]?.status, 'unchanged');
  t.same(now.resolved.map((f) => f.address), ['b']);
});

t.test('every report the builder makes validates, including all optional fields', async (t) => {
  const report = sampleReport();
  t.same(driftSchemaProblems(JSON.parse(renderDriftJson(report))), []);
  t.ok(report.findings.some((f) => f.ignored_fields !== undefined), 'sample has ignored fields');
  t.ok(report.findings.some((f) => f.suppressed !== undefined), 'sample has a suppressed finding');
  t.ok(report.findings.some((f) => f.status === 'new') && report.resolved.length > 0, 'sample has statuses');
});

t.test('broken documents are refused with the file named', async (t) => {
  const good = JSON.parse(renderDriftJson(sampleReport())) as Record<string, unknown>;
  refusal(t, '{"format": "imagectl-drift",', /not valid JSON/);
  refusal(t, '[]', /not an imagectl drift report/);
  refusal(t, JSON.stringify({ ...good, format: 'imagectl-plan' }), /format "imagectl-plan"/);
  refusal(t, JSON.stringify({ ...good, format: undefined }), /no "format" field/);
  refusal(t, JSON.stringify({ ...good, version: 2 }), /version 2; this imagectl reads version 1/);
  refusal(t, JSON.stringify({ ...good, exit_code: 1 }), /\/exit_code must be equal to one of the allowed values/);
  refusal(t, JSON.stringify({ ...good, surprise: true }), /\(top level\) has unknown field "surprise"/);
  const findings = good['findings'] as Record<string, unknown>[];
  refusal(t, JSON.stringify({ ...good, findings: [{ ...findings[0], kind: 'exploded' }] }), /\/findings\/0\/kind/);
  refusal(t, JSON.stringify({ ...good, created_at: 'yesterday' }), /\/created_at must match format "date-time"/);
});
