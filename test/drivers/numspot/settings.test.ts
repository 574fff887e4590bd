import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { parseSettings, settingsWarnings } from '../../../src/drivers/numspot/settings.js';
import { describeNumspotError, isSpaceNotFound, problemCode } from '../../../src/drivers/numspot/errors.js';

const base = { host: 'https://api.eu-west-2.numspot.com/', space_id: 'bba8c1df-609f-4775-9638-952d488502e6', client_id: 'c1', client_secret: 's3cr3t!' };
const parse = (settings: Record<string, unknown>) => parseSettings({ name: 'eu', driver: 'numspot', settings: settings as never });

t.test('defaults and trimming', async (t) => {
  const s = parse(base);
  t.equal(s.host, 'https://api.eu-west-2.numspot.com');
  t.equal(s.timeoutMs, 30_000);
  t.equal(s.pendingTimeoutMs, 1_800_000);
  t.equal(s.region, undefined);
  t.same(parse({ ...base, region: 'eu-west-2', pending_timeout_seconds: 5, max_requests_per_second: 3 }).region, 'eu-west-2');
});

t.test('each missing required key is named', async (t) => {
  for (const key of ['host', 'space_id', 'client_id', 'client_secret']) {
    const { [key]: _gone, ...rest } = base as Record<string, string>;
    const e = (() => { try { parse(rest); } catch (err) { return err; } return undefined; })();
    t.ok(e instanceof DriverError && e.kind === 'invalid' && e.definitive, `${key}: DriverError(invalid, definitive)`);
    t.match((e as Error).message, new RegExp(`provider eu: ${key} is required`));
  }
});

t.test('wrong types and shapes are refused', async (t) => {
  t.throws(() => parse({ ...base, host: 'api.numspot.com' }), /http\(s\) URL/);
  t.throws(() => parse({ ...base, host: 'https://api.numspot.com/compute' }), /without a path/);
  t.throws(() => parse({ ...base, pending_timeout_seconds: 0 }), /pending_timeout_seconds must be a number > 0/);
  t.throws(() => parse({ ...base, client_secret: { env: 'X' } }), /client_secret must be a non-empty string/);
});

t.test('warnings for insecure TLS and plain http; plain http refused without allow_http', async (t) => {
  const w = settingsWarnings(parse({ ...base, host: 'http://api.example.com', allow_http: true, insecure: true, ca_file: 'ca.pem' }), 'eu');
  t.equal(w.length, 2);
  t.match(w.join('\n'), /plain http/);
  t.match(settingsWarnings(parse({ ...base, host: 'https://api.example.com', insecure: true }), 'eu')[0], /NOT verified/);
  t.throws(() => parse({ ...base, host: 'http://api.example.com' }), /plain http.*allow_http: true/);
  t.same(settingsWarnings(parse({ ...base, host: 'http://127.0.0.1:8080' }), 'eu'), [], 'loopback http is fine (the simulator)');
});

t.test('problem+json and OAuth error bodies', async (t) => {
  const conflict = { type: 'https://docs.numspot.cloud/docs/domains/cloud/errors#invalid_parameter', title: 'ResourceConflict', detail: '', instance: '/x' };
  t.equal(describeNumspotError(conflict), 'ResourceConflict', 'an empty detail is left out');
  t.equal(describeNumspotError({ type: 'urn:numspot:errors#invalid_parameter', title: 'InvalidResource', detail: "The VmId 'i-1' doesn't exist." }), "InvalidResource: The VmId 'i-1' doesn't exist.");
  t.equal(describeNumspotError({ error: 'invalid_client', error_description: 'bad secret' }), 'invalid_client: bad secret');
  t.equal(describeNumspotError({ title: 'Bad Request', violations: [{ field: 'name', description: 'too short' }] }), 'Bad Request (name: too short)');
  t.equal(describeNumspotError('  gateway timeout '), 'gateway timeout');
  t.equal(problemCode(conflict), 'invalid_parameter');
  t.ok(isSpaceNotFound({ type: 'urn:numspot:errors#space_not_found', title: 'x' }));
  t.notOk(isSpaceNotFound({ type: 'urn:numspot:errors#resource_not_found', title: 'x' }));
});
