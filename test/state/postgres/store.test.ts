// What only the postgres store does: refuse a write from a stale serial (a lost lock never
// overwrites newer state), keep history cheaply (full documents with deltas between), create
// and version its tables, and never show the connection password.
import t from 'tap';
import { setResource } from '../../../src/state/intents.js';
import { emptyState } from '../../../src/state/format.js';
import { CHECKPOINT_EVERY, PostgresStateStore, SCHEMA_VERSION } from '../../../src/state/postgres/index.js';
import { STEPS } from '../../../src/state/postgres/migrations.js';
import type { StateFile } from '../../../src/state/types.js';
import { makeResource } from '../fixtures/builders.js';
import { fileSchema, needsDb, opener, sql, uniqueName, url } from './fixtures/database.js';

const schema = needsDb.skip ? '' : fileSchema(t);
const withWeb = (s: StateFile, size: number): StateFile => setResource(s, makeResource('web', { attributes: { size } }));

t.test('a write from a stale serial is refused with STATE_CONFLICT and changes nothing', needsDb, async (t) => {
  const open = opener(t, schema);
  const first = open();
  const base = await first.write(withWeb(await first.read(), 1));
  const a = open();
  const b = open();
  const sa = await a.read();
  const sb = await b.read();
  await a.lock({ command: 'imagectl apply --from a', mode: 'exclusive', timeout_ms: 0 }).then((l) => l.release());
  const wa = await a.write(withWeb(sa, 2));
  t.equal(wa.serial, base.serial + 1);
  const err = (await b.write(withWeb(sb, 3)).catch((e: unknown) => e)) as Error & { code: string };
  t.equal(err.code, 'STATE_CONFLICT');
  t.match(err.message, `read serial ${base.serial}, now serial ${wa.serial}, written by \`imagectl apply --from a\``);
  t.match(err.message, 'refusing to overwrite newer state');
  t.same(await open().read(), wa, 'the newer state is intact');
  await t.rejects(b.write(withWeb(sb, 4)), { code: 'STATE_CONFLICT' }, 'and stays refused: that run must start again');
});

t.test('two fresh stores racing to create the workspace: one wins, the other is refused', needsDb, async (t) => {
  const open = opener(t, schema);
  const a = open();
  const b = open();
  const [sa, sb] = [await a.read(), await b.read()];
  await a.write(withWeb(sa, 1));
  await t.rejects(b.write(withWeb(sb, 1)), { code: 'STATE_LINEAGE_MISMATCH' });
  const c = open();
  const sc = await c.read();
  const d = open();
  await d.write(withWeb(await d.read(), 5));
  await t.rejects(c.write(withWeb(sc, 6)), { code: 'STATE_CONFLICT' });
});

t.test(`history: a full document every ${CHECKPOINT_EVERY} generations, deltas between, every one pulls back whole`, needsDb, async (t) => {
  const open = opener(t, schema);
  const store = open();
  let s = await store.read();
  const saved: StateFile[] = [];
  for (let i = 1; i <= CHECKPOINT_EVERY + 5; i++) {
    s = setResource(s, makeResource(`img-${i % 7}`, { attributes: { i } }));
    if (i % 5 === 0) s = { ...s, resources: Object.fromEntries(Object.entries(s.resources).filter(([k]) => k !== 'img-3')) };
    saved.push((s = await store.write(s)));
  }
  const ws = store.description.replace(/.*workspace (.*)\)$/, '$1');
  const kinds = await sql<{ serial: string; kind: string }>(`SELECT serial, kind FROM "${schema}".history WHERE workspace = $1 ORDER BY serial`, [ws]);
  t.same(kinds.filter((k) => k.kind === 'full').map((k) => Number(k.serial)), [1, 1 + CHECKPOINT_EVERY]);
  for (const g of saved) t.same(await open().pull(g.serial), g, `generation ${g.serial}`);
});

t.test('tables are created once, versioned; a newer table version is refused', needsDb, async (t) => {
  const own = uniqueName('m');
  t.teardown(() => sql(`DROP SCHEMA IF EXISTS "${own}" CASCADE`));
  const open = opener(t, own);
  await Promise.all([open().read(), open().read(), open().read()]);
  t.same(await sql(`SELECT max(version) AS version FROM "${own}".migrations`), [{ version: SCHEMA_VERSION }]);
  await sql(`INSERT INTO "${own}".migrations (version, name) VALUES ($1, 'from the future')`, [SCHEMA_VERSION + 1]);
  await t.rejects(open().read(), { code: 'STATE_TOO_NEW', message: /set up by a newer imagectl.*upgrade imagectl/ });
});

t.test('the password never appears in errors', needsDb, async (t) => {
  const u = new URL(url());
  const password = 'Sup3r-Secret-pw-4471';
  u.password = password;
  const wrong = new PostgresStateStore({ url: u.toString(), schema, workspace: 'x' });
  const e1 = (await wrong.read().catch((e: unknown) => e)) as Error & { code: string };
  t.equal(e1.code, 'STATE_UNREACHABLE');
  t.match(e1.message, /password authentication failed/);
  t.notMatch(e1.message, password);
  await wrong.close();
  u.port = '1';
  const closed = new PostgresStateStore({ url: u.toString(), schema, workspace: 'x' });
  const e2 = (await closed.lock({ command: 'x', mode: 'exclusive', timeout_ms: 0 }).catch((e: unknown) => e)) as Error;
  t.match(e2.message, /ECONNREFUSED|connect/);
  t.notMatch(e2.message, password);
  t.notMatch(closed.description, password);
  await closed.close();
});

t.test('a state the database holds is checked like a file: invalid rows are refused on read', needsDb, async (t) => {
  const open = opener(t, schema);
  const store = open();
  const s = await store.write(withWeb(emptyState(), 1));
  const ws = store.description.replace(/.*workspace (.*)\)$/, '$1');
  await sql(`UPDATE "${schema}".resources SET entry = '{"address":"web","id":7}' WHERE workspace = $1`, [ws]);
  await t.rejects(open().read(), { code: 'STATE_INVALID' });
  t.ok(s.serial > 0);
});

t.test('fencing: a write carries its lock generation; once a newer holder drew one, the old holder is refused', needsDb, async (t) => {
  const open = opener(t, schema);
  const a = open();
  const lock = await a.lock({ command: 'imagectl apply --old', mode: 'exclusive', timeout_ms: 0 });
  const s1 = await a.write(withWeb(await a.read(), 1));
  await lock.assertHeld?.();
  // What a newer holder does when it is granted the lock, while the old session is still alive
  // (it has not noticed anything): only the token can tell the old run apart.
  const [row] = await sql<{ g: string }>(
    `UPDATE "${schema}".lock_generations SET generation = generation + 1 WHERE workspace = $1 RETURNING generation::text AS g`,
    [(a as unknown as { opts: { workspace: string } }).opts.workspace],
  );
  t.ok(row, 'the lock drew a generation');
  await t.rejects(a.write(withWeb(s1, 2)), { code: 'STATE_LOCK_LOST', message: new RegExp(`lock generation ${row?.g}; this run holds generation`) });
  await t.rejects(lock.assertHeld!(), { code: 'STATE_LOCK_LOST' });
  t.same(await open().read(), s1, 'nothing was written');
  await lock.release();
});

t.test('a database set up at table version 1 gains the lock generations, its state kept', needsDb, async (t) => {
  const own = uniqueName('v1');
  t.teardown(() => sql(`DROP SCHEMA IF EXISTS "${own}" CASCADE`));
  // What an imagectl of table version 1 left: its tables, one state in them.
  await sql(`CREATE SCHEMA "${own}"`);
  await sql(`CREATE TABLE "${own}".migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  for (const statement of STEPS[0]!.sql(`"${own}"`)) await sql(statement);
  await sql(`INSERT INTO "${own}".migrations (version, name) VALUES (1, 'v1')`);
  await sql(`INSERT INTO "${own}".workspaces (workspace, lineage, serial, format_version, secret_salt, checkpoint_serial) VALUES ('w', '6a1f7c2e-0000-4000-8000-000000000001', 0, 1, 'salt-of-sixteen-chars-or-more', 0)`);
  const store = new PostgresStateStore({ url: url(), schema: own, workspace: 'w' });
  t.teardown(() => store.close());
  const lock = await store.lock({ command: 'imagectl apply', mode: 'exclusive', timeout_ms: 0 });
  const s = await store.write(withWeb(await store.read(), 1));
  t.match(s, { lineage: '6a1f7c2e-0000-4000-8000-000000000001', serial: 1 });
  t.same(await sql(`SELECT max(version) AS version FROM "${own}".migrations`), [{ version: SCHEMA_VERSION }]);
  t.same(await sql(`SELECT generation::int AS g FROM "${own}".lock_generations WHERE workspace = 'w'`), [{ g: 1 }]);
  await lock.release();
});
