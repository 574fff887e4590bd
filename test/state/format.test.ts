import t from 'tap';
import { assertWritable, emptyState, parseState, serializeState } from '../../src/state/format.js';
import { snapshotOf } from '../../src/state/snapshot.js';
import type { StateFile } from '../../src/state/types.js';
import type { JsonObject } from '../../src/util/json.js';
import { migrateState } from '../../src/state/migrations.js';
import { ImagectlError } from '../../src/util/errors.js';
import { makeIntent, makeResource } from './fixtures/builders.js';

const FILE = '.imagectl/state.json';
const writable = (s: StateFile) => assertWritable(s, snapshotOf(s));

function withResource() {
  const s = emptyState();
  return { ...s, resources: { web: makeResource('web') }, pending: { op1: makeIntent('op1') } };
}

t.test('emptyState: new lineage, serial 0, a salt, and valid', async (t) => {
  const a = emptyState();
  const b = emptyState();
  t.match(a.lineage, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.not(a.lineage, b.lineage);
  t.not(a.secret_salt, b.secret_salt);
  t.equal(a.serial, 0);
  t.same(a.resources, {});
  t.same(a.pending, {});
  t.doesNotThrow(() => writable(a));
});

t.test('serialize then parse gives the same state', async (t) => {
  const s = withResource();
  const text = serializeState(s);
  t.same(parseState(text, FILE), s);
  t.match(text, /^\{\n {2}"format": "imagectl-state",\n {2}"version": 1,/, 'envelope first, readable');
});

t.test('serialize sorts resources so the file diffs cleanly', async (t) => {
  const s = { ...emptyState(), resources: { b: makeResource('b'), a: makeResource('a') } };
  const parsed = JSON.parse(serializeState(s)) as { resources: object };
  t.same(Object.keys(parsed.resources), ['a', 'b']);
});

t.test('refuses truncated, corrupt and foreign files with the file name and the backup hint', async (t) => {
  const good = serializeState(withResource());
  const hint = () => 'BACKUPS: .imagectl/state.json.1';
  const cases: [string, string, RegExp][] = [
    ['empty', '', /is empty/],
    ['whitespace', '  \n', /is empty/],
    ['truncated', good.slice(0, Math.floor(good.length / 2)), /not valid JSON, probably truncated or corrupt/],
    ['garbage', '{{{', /not valid JSON/],
    ['array', '[]', /not an imagectl state file/],
    ['foreign JSON', '{"version":4,"terraform_version":"1.9.0"}', /not an imagectl state file/],
    ['bad version', '{"format":"imagectl-state","version":"1"}', /no valid format version \(found "1"\)/],
    ['version 0', '{"format":"imagectl-state","version":0}', /no valid format version \(found 0\)/],
  ];
  for (const [name, text, why] of cases) {
    t.throws(() => parseState(text, FILE, { describeBackups: hint }), { code: 'STATE_CORRUPT', message: why }, name);
    try {
      parseState(text, FILE, { describeBackups: hint });
    } catch (e) {
      t.ok(e instanceof ImagectlError, `${name}: an ImagectlError`);
      t.match((e as Error).message, `state file ${FILE} `, `${name}: names the file`);
      t.match((e as Error).message, /\nBACKUPS: \.imagectl\/state\.json\.1$/, `${name}: ends with the backups`);
      t.notMatch((e as Error).message, /\n\s+at /, `${name}: no stack trace in the message`);
    }
  }
});

t.test('a newer format version is refused with upgrade advice', async (t) => {
  const text = JSON.stringify({ ...emptyState(), version: 2, something_new: true });
  t.throws(() => parseState(text, FILE), {
    code: 'STATE_TOO_NEW',
    message:
      'state file .imagectl/state.json was written by a newer imagectl (format version 2); ' +
      'this imagectl reads up to version 1; upgrade imagectl',
  });
});

t.test('schema violations are listed, every one, with paths', async (t) => {
  const s = withResource();
  const { id: _id, ...noId } = s.resources.web!;
  const bad = {
    ...s,
    serial: -1,
    extra: 1,
    resources: { web: { ...noId, protected: 'yes' } },
  };
  t.throws(() => parseState(JSON.stringify(bad), FILE, { describeBackups: () => 'HINT' }), {
    code: 'STATE_INVALID',
    message: /does not match the state schema/,
  });
  try {
    parseState(JSON.stringify(bad), FILE);
  } catch (e) {
    const msg = (e as Error).message;
    t.match(msg, '/serial must be >= 0');
    t.match(msg, '(top level) has unknown field "extra"');
    t.match(msg, "/resources/web must have required property 'id'");
    t.match(msg, '/resources/web/protected must be boolean');
  }
});

t.test('map keys must match the address and op id they hold', async (t) => {
  const s = emptyState();
  const bad = { ...s, resources: { web: makeResource('db') }, pending: { x: makeIntent('y') } };
  t.throws(() => parseState(JSON.stringify(bad), FILE), { code: 'STATE_INVALID', message: /\/resources\/web has address "db"/ });
  t.throws(() => parseState(JSON.stringify(bad), FILE), { message: /\/pending\/x has op_id "y"/ });
  t.throws(() => writable(bad), { code: 'STATE_WRITE_INVALID', message: /\/resources\/web has address "db"/ });
});

t.test('free-form inputs and attributes, secret markers included, pass the schema', async (t) => {
  const s = emptyState();
  const r = makeResource('web', { inputs: { password: { $secret: 'scrypt$16384$ab' }, nested: [1, { a: null }] }, etag: 'W/"3"' });
  t.doesNotThrow(() => parseState(serializeState({ ...s, resources: { web: r } }), FILE));
});

t.test('migrations run step by step up to the current version', async (t) => {
  const seen: number[] = [];
  const table = {
    1: (d: JsonObject) => (seen.push(1), { ...d, added_in_2: true }),
    2: (d: JsonObject) => (seen.push(2), { ...d, added_in_3: true }),
  };
  const out = migrateState({ format: 'imagectl-state', version: 1 }, 1, 3, table);
  t.same(seen, [1, 2]);
  t.same(out, { format: 'imagectl-state', version: 3, added_in_2: true, added_in_3: true });
  t.same(migrateState({ version: 1 }, 1), { version: 1 }, 'current version: nothing to do');
  t.throws(() => migrateState({ version: 1 }, 1, 3, { 1: (d) => d }), { code: 'STATE_MIGRATION_MISSING', message: /from version 2 to 3/ });
});

t.test('the file text is exactly JSON.stringify(state, null, 2) in the documented order', async (t) => {
  const s = { ...emptyState(), resources: { b: makeResource('b'), a: makeResource('a', { depends_on: ['b'] }) }, pending: { op: makeIntent('op') } };
  const ordered = { format: s.format, version: s.version, lineage: s.lineage, serial: s.serial, secret_salt: s.secret_salt,
    resources: { a: s.resources.a, b: s.resources.b }, pending: s.pending };
  t.equal(serializeState(s), JSON.stringify(ordered, null, 2) + '\n');
  const empty = emptyState();
  t.equal(serializeState(empty), JSON.stringify(empty, null, 2) + '\n');
});
