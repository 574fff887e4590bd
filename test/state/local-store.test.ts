import t from 'tap';
import { readdir, readFile, stat, writeFile, truncate, unlink } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStateStore } from '../../src/state/local-store.js';
import { openStateStore } from '../../src/state/index.js';
import { setResource, removeResource } from '../../src/state/intents.js';
import { emptyState } from '../../src/state/format.js';
import { tempPathFor } from '../../src/state/atomic-write.js';
import type { StateFile } from '../../src/state/types.js';
import { bigState, makeResource } from './fixtures/builders.js';
import { deadPid } from './fixtures/children.js';

function storeIn(dir: string, opts: ConstructorParameters<typeof LocalStateStore>[1] = {}) {
  const path = join(dir, '.imagectl', 'state.json');
  return { path, store: new LocalStateStore(path, opts) };
}

const withWeb = (s: StateFile, size = 1) => setResource(s, makeResource('web', { attributes: { size } }));

t.test('a missing state reads as a fresh one and is not created by reading', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.read();
  t.equal(s.serial, 0);
  t.same(s.resources, {});
  t.notOk(existsSync(path));
  t.equal(store.description, `state file ${path}`);
  t.equal(openStateStore(path).description, store.description, 'openStateStore opens the same file');
});

t.test('round trip, with owner-only permissions', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const written = await store.write(withWeb(await store.read()));
  t.equal(written.serial, 1);
  const again = await new LocalStateStore(path).read();
  t.same(again, written);
  t.equal((await stat(path)).mode & 0o777, 0o600, 'state file is 0600');
  t.equal((await stat(join(path, '..'))).mode & 0o777, 0o700, 'created folder is 0700');
});

t.test('the serial grows only when the content changes', async (t) => {
  const { path, store } = storeIn(t.testdir());
  let s = await store.write(withWeb(await store.read()));
  t.equal(s.serial, 1);
  const before = await stat(path);
  s = await store.write(s);
  t.equal(s.serial, 1, 'same content: same serial');
  s = await store.write({ ...s, serial: 0 });
  t.equal(s.serial, 1, 'a stale serial from the caller does not matter');
  const after = await stat(path);
  t.equal(after.ino, before.ino, 'unchanged content is not rewritten');
  s = await store.write(withWeb(s, 2));
  t.equal(s.serial, 2, 'changed content: serial + 1');
  s = await store.write(withWeb(s, 2));
  t.equal(s.serial, 2);
  s = await store.write(removeResource(s, 'web'));
  t.equal(s.serial, 3);
  t.equal((await new LocalStateStore(path).read()).serial, 3);
});

t.test('entries are immutable once read or written: an in-place edit throws instead of being lost', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(withWeb(await store.read()));
  t.throws(() => ((s.resources.web!.attributes as Record<string, number>).size = 42), TypeError);
  const read = await new LocalStateStore(path).read();
  t.throws(() => ((read.resources.web!.attributes as Record<string, number>).size = 42), TypeError, 'read entries too');
  const web = s.resources.web!;
  const w = await store.write({ ...s, resources: { ...s.resources, web: { ...web, attributes: { ...web.attributes, size: 42 } } } });
  t.equal(w.serial, 2, 'a new entry object is seen');
  t.equal((await new LocalStateStore(path).read()).resources.web!.attributes['size'], 42);
});

t.test('the file text is what JSON.stringify indents, envelope first and keys sorted', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(withWeb(withWeb(await store.read(), 3), 5));
  const written = await store.write({ ...s, resources: { zz: { ...s.resources.web!, address: 'zz' }, ...s.resources } });
  const ordered = {
    format: written.format, version: written.version, lineage: written.lineage, serial: written.serial, secret_salt: written.secret_salt,
    resources: Object.fromEntries(Object.keys(written.resources).sort().map((k) => [k, written.resources[k]])),
    pending: {},
  };
  t.equal(readFileSync(path, 'utf8'), JSON.stringify(ordered, null, 2) + '\n');
});

t.test('writing an unchanged fresh state creates the file at serial 0', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(await store.read());
  t.equal(s.serial, 0);
  t.ok(existsSync(path));
});

t.test('writing without reading first still compares with the file on disk', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(withWeb(await store.read()));
  const other = new LocalStateStore(path);
  t.equal((await other.write(s)).serial, 1, 'same content as disk: same serial');
  t.equal((await other.write(withWeb(s, 9))).serial, 2);
  // The first store's picture is now outdated: it must notice, and neither reuse serial 2 nor
  // overwrite what the other store wrote (as the postgres store's `WHERE serial = $read`).
  await t.rejects(store.write(withWeb(s, 10)), { code: 'STATE_CONFLICT', message: /read serial 1, now serial 2/ });
  t.equal((await new LocalStateStore(path).read()).resources.web?.attributes.size, 9, 'the newer state is intact');
});

t.test('overlapping writes run in order, each with its own serial', async (t) => {
  const { path, store } = storeIn(t.testdir());
  let s = await store.read();
  const states: StateFile[] = [];
  for (let i = 1; i <= 5; i++) states.push((s = withWeb(s, i)));
  const written = await Promise.all(states.map((x) => store.write(x)));
  t.same(written.map((w) => w.serial), [1, 2, 3, 4, 5]);
  t.same((await new LocalStateStore(path).read()).resources.web?.attributes, { size: 5 });
  t.equal((await new LocalStateStore(`${path}.1`).read()).serial, 4);
});

t.test('a failed write does not block the next one', async (t) => {
  const { store } = storeIn(t.testdir());
  const s = await store.read();
  const bad = { ...s, serial: 'x' } as unknown as StateFile;
  const [first, second] = await Promise.allSettled([store.write(withWeb(bad)), store.write(withWeb(s))]);
  t.equal(first.status, 'rejected');
  t.match(second, { status: 'fulfilled', value: { serial: 1 } });
});

t.test('a fresh store writing a fresh state starts at serial 1', async (t) => {
  const { store } = storeIn(t.testdir());
  t.equal((await store.write(withWeb(emptyState()))).serial, 1);
});

t.test('the lineage is fixed, and another lineage is refused', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(withWeb(await store.read()));
  const s2 = await store.write(withWeb(s, 2));
  t.equal(s2.lineage, s.lineage);
  const text = await readFile(path, 'utf8');
  const stranger = withWeb(emptyState(), 3);
  await t.rejects(store.write(stranger), {
    code: 'STATE_LINEAGE_MISMATCH',
    message: new RegExp(`lineage ${stranger.lineage} over state file .*, which has lineage ${s.lineage}`),
  });
  await t.rejects(new LocalStateStore(path).write(stranger), { code: 'STATE_LINEAGE_MISMATCH' }, 'also for a store that never read');
  t.equal(await readFile(path, 'utf8'), text, 'file untouched');
});

t.test('an invalid state is never written', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(withWeb(await store.read()));
  const text = await readFile(path, 'utf8');
  const bad = { ...s, resources: { web: { ...s.resources.web!, id: 7 } } } as unknown as StateFile;
  await t.rejects(store.write(bad), { code: 'STATE_WRITE_INVALID', message: /\/resources\/web\/id must be string/ });
  t.equal(await readFile(path, 'utf8'), text);
});

t.test('the last 5 generations are kept beside the state and rotated', async (t) => {
  const dir = t.testdir();
  const { path, store } = storeIn(dir);
  let s = await store.read();
  for (let i = 1; i <= 8; i++) s = await store.write(withWeb(s, i));
  t.equal(s.serial, 8);
  for (let g = 1; g <= 5; g++) {
    const backup = await new LocalStateStore(`${path}.${g}`).read();
    t.equal(backup.serial, 8 - g, `.${g} holds serial ${8 - g}`);
    t.equal(backup.lineage, s.lineage);
    t.equal((await stat(`${path}.${g}`)).mode & 0o777, 0o600);
  }
  t.notOk(existsSync(`${path}.6`), 'no sixth generation');
  const names = (await readdir(join(dir, '.imagectl'))).sort();
  t.same(names, ['state.json', 'state.json.1', 'state.json.2', 'state.json.3', 'state.json.4', 'state.json.5']);
});

t.test('a backup missing after an interrupted rotation is filled by the next write, not carried along', async (t) => {
  const { path, store } = storeIn(t.testdir());
  let s = await store.read();
  for (let i = 1; i <= 8; i++) s = await store.write(withWeb(s, i));
  // As a run killed between renames leaves it: .2 already moved to .3, .2 not yet refilled.
  await unlink(`${path}.2`);
  s = await store.write(withWeb(s, 9));
  const serials = [];
  for (let g = 1; g <= 5; g++) serials.push((await new LocalStateStore(`${path}.${g}`).read()).serial);
  t.same(serials, [8, 7, 5, 4, 3], 'the gap took the shift: the oldest (3) is kept, five backups again');
  s = await store.write(withWeb(s, 10));
  const next = [];
  for (let g = 1; g <= 5; g++) next.push((await new LocalStateStore(`${path}.${g}`).read()).serial);
  t.same(next, [9, 8, 7, 5, 4], 'then rotation drops the oldest as before');
});

t.test('backups: a custom count, and none', async (t) => {
  const two = storeIn(t.testdir(), { backups: 2 });
  let s = await two.store.read();
  for (let i = 1; i <= 4; i++) s = await two.store.write(withWeb(s, i));
  t.ok(existsSync(`${two.path}.2`));
  t.notOk(existsSync(`${two.path}.3`));
  const none = storeIn(t.testdir(), { backups: 0 });
  s = await none.store.read();
  for (let i = 1; i <= 3; i++) s = await none.store.write(withWeb(s, i));
  t.notOk(existsSync(`${none.path}.1`));
});

t.test('a truncated state is refused, naming the file and the backups that exist', async (t) => {
  const { path, store } = storeIn(t.testdir());
  let s = await store.read();
  for (let i = 1; i <= 3; i++) s = await store.write(withWeb(s, i));
  const size = (await stat(path)).size;
  await truncate(path, Math.floor(size / 2));
  await writeFile(`${path}.2`, 'garbage');
  const err = await new LocalStateStore(path).read().catch((e: unknown) => e as Error);
  t.match(err, { code: 'STATE_CORRUPT' });
  const msg = (err as Error).message;
  t.match(msg, `state file ${path} is not valid JSON, probably truncated or corrupt`);
  t.match(msg, new RegExp(`${path}\\.1 \\(serial 2, saved \\d{4}-`));
  t.match(msg, `${path}.2 (also unreadable, saved`);
  t.notMatch(msg, `${path}.3`, 'only existing backups are listed');
  t.match(msg, `copy it over ${path}`);
  await t.rejects(store.write(withWeb(s, 9)), { code: 'STATE_CORRUPT' }, 'and never overwritten blindly');
});

t.test('a corrupt state without backups says so', async (t) => {
  const { path, store } = storeIn(t.testdir());
  await store.write(withWeb(await store.read()));
  await writeFile(path, '\u0000\u0000\u0000');
  await t.rejects(new LocalStateStore(path).read(), { code: 'STATE_CORRUPT', message: /No backups exist beside it/ });
});

t.test('a state written by a newer imagectl is refused', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const s = await store.write(withWeb(await store.read()));
  await writeFile(path, JSON.stringify({ ...s, version: 7 }));
  await t.rejects(new LocalStateStore(path).read(), { code: 'STATE_TOO_NEW', message: /format version 7.*upgrade imagectl/ });
});

t.test('temp files of dead writers are removed by the next write; live ones are not', async (t) => {
  const dir = t.testdir();
  const { path, store } = storeIn(dir);
  const s = await store.write(withWeb(await store.read()));
  const ours = tempPathFor(path);
  const dead = ours.replace(`.tmp-${process.pid}-`, `.tmp-${await deadPid()}-`);
  const live = ours.replace(`.tmp-${process.pid}-`, `.tmp-${process.ppid}-`);
  await writeFile(dead, '{"format":"imagectl-sta');
  await writeFile(live, '{"format":"imagectl-sta');
  const fresh = new LocalStateStore(path);
  t.same(await fresh.read(), s, 'a stray temp file is never read as state');
  await fresh.write(withWeb(s, 2));
  t.notOk(existsSync(dead), 'dead writer temp removed');
  t.ok(existsSync(live), 'live writer temp kept');
});

t.test('10,000 resources round-trip', async (t) => {
  const { path, store } = storeIn(t.testdir());
  const big = bigState(10_000, await store.read());
  const written = await store.write(big);
  t.equal(written.serial, 1);
  const again = await new LocalStateStore(path).read();
  t.equal(Object.keys(again.resources).length, 10_000);
  t.same(again, written);
  const next = await store.write(setResource(written, makeResource('image-00042')));
  t.equal(next.serial, 2);
  t.equal((await store.write(next)).serial, 2);
});
