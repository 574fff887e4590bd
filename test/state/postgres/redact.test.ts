// The connection URL's password is removed from every message (no database needed).
import t from 'tap';
import { maskUrl, redact } from '../../../src/state/postgres/index.js';
import { pgError } from '../../../src/state/postgres/redact.js';

const url = 'postgres://ci:p%40ss-W0rd!x@db.example:5432/state';

t.test('maskUrl hides the password and keeps where', async (t) => {
  t.equal(maskUrl(url), 'postgres://ci:****@db.example:5432/state');
  t.equal(maskUrl('not a url with secret'), '(unparseable connection URL)');
});

t.test('redact removes the raw and decoded password and any user:pass@ in text', async (t) => {
  const msg = `connect to postgres://ci:p%40ss-W0rd!x@db.example failed; password p@ss-W0rd!x; also mysql://u:other@h`;
  const out = redact(msg, url);
  t.notMatch(out, 'p@ss-W0rd!x');
  t.notMatch(out, 'p%40ss-W0rd!x');
  t.notMatch(out, 'other');
  t.match(out, 'postgres://ci:****@db.example');
});

t.test('pgError maps connection failures to STATE_UNREACHABLE, redacted', async (t) => {
  const e = pgError(Object.assign(new Error(`bad ${url}`), { code: 'ECONNREFUSED' }), 'reading the state', url, 'db.example:5432/state');
  t.equal(e.code, 'STATE_UNREACHABLE');
  t.match(e.message, 'postgres state db.example:5432/state: reading the state failed');
  t.notMatch(e.message, 'W0rd');
  const d = pgError(Object.assign(new Error('syntax error'), { code: '42601' }), 'writing the state', url, 'x');
  t.equal(d.code, 'STATE_DATABASE');
  t.match(d.message, 'SQLSTATE 42601');
});
