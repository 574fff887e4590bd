// The `state:` block (no database needed): postgres settings with their defaults, the URL only
// ever as a secret reference, resolved in memory with messages that never show it.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveStateUrl } from '../../../src/config/rules/state-block.js';
import { openConfiguredStore } from '../../../src/state/configured-store.js';
import { diagnostics, lines, load } from '../../fixtures/config/helpers.js';

const cfg = (state: string): string => `version: 1\nstate: ${state}\nproviders:\n  sim: { driver: nutanix, simulator: true }\nimages: {}\n`;

t.test('postgres settings with defaults; the local path stays for migrate', async (t) => {
  const c = await load(t, { 'imagectl.yaml': cfg('{ backend: postgres, url: { env: IMAGECTL_PG_URL } }') });
  t.same(c.state, { path: join(c.dir, '.imagectl/state.json'), backend: 'postgres', postgres: { url: { env: 'IMAGECTL_PG_URL' }, schema: 'imagectl', workspace: 'default' } });
  const d = await load(t, { 'imagectl.yaml': cfg('{ backend: postgres, url: { file: pg.url }, schema: team_a, workspace: prod-eu, path: s.json }') });
  t.same(d.state, { path: join(d.dir, 's.json'), backend: 'postgres', postgres: { url: { file: 'pg.url' }, schema: 'team_a', workspace: 'prod-eu' } });
  const local = await load(t, { 'imagectl.yaml': cfg('{ path: s.json, url: { env: PG } }') });
  t.equal(local.state.backend, undefined, 'backend defaults to local, the postgres settings kept for migrate');
  t.match(local.state.postgres, { url: { env: 'PG' } });
});

t.test('a literal URL, a missing URL and a bad schema name are refused with positions', async (t) => {
  const literal = lines(await diagnostics(t, { 'imagectl.yaml': cfg('{ backend: postgres, url: "postgres://u:hunter2@db/x" }') }));
  t.match(literal, [/imagectl.yaml:2:\d+: state.url: literal secret: use \{env: NAME\} or \{file: PATH\}/]);
  t.notMatch(literal.join('\n'), 'hunter2', 'the value is never repeated');
  t.match(lines(await diagnostics(t, { 'imagectl.yaml': cfg('{ backend: postgres }') })), [/state: missing required field 'url'/]);
  t.match(lines(await diagnostics(t, { 'imagectl.yaml': cfg('{ backend: postgres, url: { env: X }, schema: "Bad-Name" }') })), [/state.schema: must match the pattern/]);
  t.match(lines(await diagnostics(t, { 'imagectl.yaml': cfg('{ backend: mysql }') })), [/state.backend: must be one of local, postgres/]);
});

t.test('resolveStateUrl reads env or file, naming the source, never the value', async (t) => {
  const dir = t.testdir({ 'pg.url': 'postgres://u:pw@h/db\n', empty: '' });
  t.equal(resolveStateUrl({ env: 'PGX' }, dir, { PGX: ' postgres://a@b/c ' }), 'postgres://a@b/c');
  t.equal(resolveStateUrl({ file: 'pg.url' }, dir), 'postgres://u:pw@h/db');
  t.throws(() => resolveStateUrl({ env: 'PGX' }, dir, {}), { code: 'SECRET_UNRESOLVED', message: 'state.url: environment variable PGX is not set' });
  t.throws(() => resolveStateUrl({ file: 'nope' }, dir), { message: 'state.url: cannot read secret file nope: no such file' });
  t.throws(() => resolveStateUrl({ file: 'empty' }, dir), { message: 'state.url: secret file empty is empty' });
});

t.test('the configured store: postgres describes host and workspace, never the password', async (t) => {
  const c = await load(t, { 'imagectl.yaml': cfg('{ backend: postgres, url: { file: pg.url }, workspace: ci }') });
  writeFileSync(join(c.dir, 'pg.url'), 'postgres://u:S3cret-pw@db.example:5433/state\n');
  const store = openConfiguredStore(c);
  t.equal(store.description, 'postgres state db.example:5433/state (schema imagectl, workspace ci)');
  await store.close?.();
  const local = openConfiguredStore({ ...c, state: { path: join(c.dir, 's.json') } });
  t.equal(local.description, `state file ${join(c.dir, 's.json')}`);
});
