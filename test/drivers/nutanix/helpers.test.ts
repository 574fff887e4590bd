import t from 'tap';
import { describeNutanixError, errorCodes } from '../../../src/drivers/nutanix/errors.js';
import { escapePathSegment } from '../../../src/drivers/nutanix/client.js';
import { requestId } from '../../../src/drivers/nutanix/request-id.js';
import { parseSettings, settingsWarnings } from '../../../src/drivers/nutanix/settings.js';
import { imageIdFromTask, taskErrorText } from '../../../src/drivers/nutanix/wait.js';
import { odataString } from '../../../src/drivers/nutanix/lookup.js';
import { DriverError } from '../../../src/drivers/contract.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

const notFound = {
  data: {
    error: [{ $objectType: 'vmm.v4.error.AppMessage', message: 'Failed to perform the operation as the backend service could not find the entity.', severity: 'ERROR', code: 'VMM-20005' }],
    $objectType: 'vmm.v4.error.ErrorResponse',
  },
  $objectType: 'vmm.v4.content.GetImageApiResponse',
};

t.test('API error bodies', async (t) => {
  t.same(errorCodes(notFound), ['VMM-20005']);
  t.equal(describeNutanixError(notFound), 'VMM-20005: Failed to perform the operation as the backend service could not find the entity.');
  const schema = {
    data: { error: { $objectType: 'vmm.v4.error.SchemaValidationError', error: 'Bad Request', validationErrorMessages: [{ location: 'body', attributePath: 'name', message: 'name is required' }] } },
  };
  t.equal(describeNutanixError(schema), 'Bad Request: name: name is required');
  t.equal(describeNutanixError('The requested URL was not found on the server.'), 'The requested URL was not found on the server.');
  t.equal(describeNutanixError({}), undefined);
  t.same(errorCodes('text'), []);
});

t.test('task error text guards empty lists and falls back to the legacy message', async (t) => {
  t.equal(
    taskErrorText({ errorMessages: [{ code: 'VMM-1', message: 'bad url' }, { code: 'VMM-2', message: 'and more' }] }),
    'VMM-1: bad url; VMM-2: and more',
  );
  t.equal(taskErrorText({ errorMessages: [], legacyErrorMessage: 'legacy' }), 'legacy');
  t.equal(taskErrorText({}), 'no error message given');
  t.equal(taskErrorText({ errorMessages: [{ message: 'only text' }] }), 'only text');
  t.equal(imageIdFromTask({ entitiesAffected: [{ rel: 'other', extId: 'x' }, { rel: 'vmm:content:image', extId: 'img' }] }), 'img');
  t.equal(imageIdFromTask({}), undefined);
});

t.test('request ids: the key itself for create, stable derived UUIDs otherwise', async (t) => {
  const key = '5f0c6f0e-8a8e-4c7e-9b3a-2b1f6f1a9d11';
  t.equal(requestId(key), key);
  const a = requestId(key, 'update/0');
  t.equal(a, requestId(key, 'update/0'), 'deterministic');
  t.not(a, requestId(key, 'update/1'));
  t.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.match(requestId('op-17'), /^[0-9a-f]{8}-/, 'a non-UUID key becomes a UUID');
});

t.test('path escaping keeps = and : like Go url.PathEscape', async (t) => {
  t.equal(escapePathSegment('ZXJnb24=:447c5e9e-b7ad-408e-ae4f-82de667ef72e'), 'ZXJnb24=:447c5e9e-b7ad-408e-ae4f-82de667ef72e');
  t.equal(escapePathSegment('a/b?c d'), 'a%2Fb%3Fc%20d');
  t.equal(odataString("O'Brien"), "'O''Brien'");
});

t.test('provider settings: defaults, type checks, warnings', async (t) => {
  const s = parseSettings({ name: 'prod', driver: 'nutanix', settings: { endpoint: 'https://pc:9440/', username: 'admin', password: 'pw' } });
  t.same(s, { endpoint: 'https://pc:9440', username: 'admin', password: 'pw', timeoutMs: 30_000, taskTimeoutMs: 3_600_000, insecure: false });
  t.same(settingsWarnings(s, 'prod'), []);
  const all = parseSettings({
    name: 'lab',
    driver: 'nutanix',
    settings: { endpoint: 'http://pc.lab', allow_http: true, username: 'a', password: 'b', insecure: true, ca_file: 'ca.pem', timeout_seconds: 5, task_timeout_seconds: 60, max_requests_per_second: 10 },
  });
  t.equal(all.maxRequestsPerSecond, 10);
  t.equal(all.caFile, 'ca.pem');
  const warnings = settingsWarnings(all, 'lab');
  t.equal(warnings.length, 2, 'insecure and plain http are both warned');
  t.match(warnings.join('\n'), /plain http/);
  t.match(settingsWarnings(parseSettings({ name: 'i', driver: 'nutanix', settings: { endpoint: 'https://pc.lab', username: 'a', password: 'b', insecure: true } }), 'i').join('\n'), /NOT verified/);
  t.match(caught(() => parseSettings({ name: 'h', driver: 'nutanix', settings: { endpoint: 'http://pc.lab', username: 'a', password: 'b' } })), { kind: 'invalid', message: /plain http.*allow_http/ });
  t.same(settingsWarnings(parseSettings({ name: 's', driver: 'nutanix', settings: { endpoint: 'http://127.0.0.1:1', username: 'a', password: 'b' } }), 's'), []);
  for (const bad of [{ endpoint: 'pc', username: 'a', password: 'b' }, { endpoint: 'https://pc', username: 'a' }, { endpoint: 'https://pc', username: 'a', password: 'b', timeout_seconds: -1 }]) {
    const err = caught(() => parseSettings({ name: 'x', driver: 'nutanix', settings: bad }));
    t.ok(err instanceof DriverError && err.kind === 'invalid' && err.definitive, err instanceof Error ? err.message : 'no error');
  }
});
