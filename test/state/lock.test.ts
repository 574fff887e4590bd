import t from 'tap';
import { readFile, writeFile, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalStateStore } from '../../src/state/local-store.js';
import { lockPathFor, sharedLockPathFor } from '../../src/state/lock.js';
import { pidNamespace } from '../../src/state/lock-file.js';
import type { Lock, LockInfo, LockOptions } from '../../src/state/types.js';
import { deadPid, forkFixture } from './fixtures/children.js';

// Short intervals keep the tests quick; staleness stays generous so a loaded CI box cannot fake it.
const FAST = { heartbeat_ms: 50, stale_ms: 5_000, poll_ms: 20 };

function setup(dir: string) {
  const path = join(dir, 'state', 'state.json');
  return { path, store: new LocalStateStore(path, { lock: FAST }) };
}

const opts = (o: Partial<LockOptions> = {}): LockOptions => ({ command: 'imagectl apply', mode: 'exclusive', timeout_ms: 0, ...o });

function foreignLock(o: Partial<LockInfo>): LockInfo {
  const now = new Date().toISOString();
  const ns = pidNamespace();
  return {
    id: 'old-lock-id', pid: 999_999, host: 'ci-runner-7', user: 'bob', command: 'imagectl apply', created: now, heartbeat: now, mode: 'exclusive',
    ...(ns === undefined ? {} : { pid_ns: ns }), ...o,
  };
}

t.test('a lock file holds who, where, what and since; release removes it, twice is fine', async (t) => {
  const { path, store } = setup(t.testdir());
  const lock = await store.lock(opts());
  const onDisk = JSON.parse(await readFile(lockPathFor(path), 'utf8')) as LockInfo;
  t.same(onDisk, lock.info);
  t.match(lock.info, { pid: process.pid, host: hostname(), command: 'imagectl apply', mode: 'exclusive' });
  t.match(lock.info.id, /^[0-9a-f-]{36}$/);
  t.type(lock.info.user, 'string');
  await lock.release();
  t.notOk(existsSync(lockPathFor(path)));
  await lock.release();
  t.notOk(existsSync(lockPathFor(path)));
  const again = await store.lock(opts());
  await again.release();
});

t.test('the heartbeat is rewritten while the lock is held', async (t) => {
  const { path, store } = setup(t.testdir());
  const lock = await store.lock(opts());
  const first = (JSON.parse(await readFile(lockPathFor(path), 'utf8')) as LockInfo).heartbeat;
  await sleep(200);
  const later = JSON.parse(await readFile(lockPathFor(path), 'utf8')) as LockInfo;
  t.ok(Date.parse(later.heartbeat) > Date.parse(first), `heartbeat moved: ${first} → ${later.heartbeat}`);
  t.equal(later.created, lock.info.created);
  await lock.release();
});

t.test('another process holds it: fail at once naming the holder', async (t) => {
  const { path, store } = setup(t.testdir());
  const child = forkFixture('lock-child.ts', [path, 'exclusive']);
  const { acquired } = (await child.next()) as { acquired: LockInfo };
  t.not(acquired.pid, process.pid);
  const err = (await store.lock(opts({ command: 'imagectl plan' })).catch((e: unknown) => e)) as Error & { code: string };
  t.equal(err.code, 'STATE_LOCKED');
  t.match(err.message, `state file ${path} is locked by another imagectl run`);
  t.match(err.message, `${acquired.id} (exclusive): ${acquired.user}@${acquired.host}, pid ${acquired.pid}, \`imagectl child-exclusive\`, since ${acquired.created}`);
  t.match(err.message, `imagectl state unlock ${acquired.id}`);
  child.proc.send('release');
  t.same(await child.next(), { released: true });
  await child.exited;
});

t.test('another process holds it: wait with a timeout and get it once released', async (t) => {
  const { path, store } = setup(t.testdir());
  const child = forkFixture('lock-child.ts', [path, 'exclusive']);
  const { acquired } = (await child.next()) as { acquired: LockInfo };
  const waiting = store.lock(opts({ timeout_ms: 60_000 }));
  let got: Lock | undefined;
  void waiting.then((l) => (got = l));
  await sleep(300);
  t.equal(got, undefined, 'still waiting while the child holds it');
  child.proc.send('release');
  const lock = await waiting;
  t.not(lock.info.id, acquired.id);
  t.equal(JSON.parse(await readFile(lockPathFor(path), 'utf8')).id, lock.info.id);
  await lock.release();
  await child.exited;
});

t.test('a timeout that expires says how long it waited', async (t) => {
  const { store } = setup(t.testdir());
  const held = await store.lock(opts());
  await t.rejects(store.lock(opts({ timeout_ms: 150 })), { code: 'STATE_LOCKED', message: /is still locked after waiting 0\.[12]s/ });
  await held.release();
});

t.test('a lock whose process died on this host is broken with a warning', async (t) => {
  const { path, store } = setup(t.testdir());
  const pid = await deadPid();
  await store.write(await store.read()); // creates the folder
  await writeFile(lockPathFor(path), JSON.stringify(foreignLock({ pid, host: hostname() })));
  const warnings: string[] = [];
  const lock = await store.lock(opts({ warn: (m) => warnings.push(m) }));
  t.equal(warnings.length, 1);
  t.match(warnings[0], `broke the stale lock on ${path} held by old-lock-id (exclusive): bob@${hostname()}, pid ${pid}`);
  t.match(warnings[0], `process ${pid} is no longer running`);
  await lock.release();
});

t.test('a lock with an expired heartbeat is broken; a fresh one on another host is not', async (t) => {
  const { path, store } = setup(t.testdir());
  await store.write(await store.read());
  await writeFile(lockPathFor(path), JSON.stringify(foreignLock({})));
  await t.rejects(store.lock(opts()), { code: 'STATE_LOCKED', message: /old-lock-id \(exclusive\): bob@ci-runner-7, pid 999999/ });
  const old = new Date(Date.now() - 60_000).toISOString();
  await writeFile(lockPathFor(path), JSON.stringify(foreignLock({ heartbeat: old })));
  const warnings: string[] = [];
  const lock = await store.lock(opts({ warn: (m) => warnings.push(m) }));
  t.match(warnings[0], /its last heartbeat was 60s ago \(limit 5s\)/);
  await lock.release();
});

t.test('an unreadable lock file counts as held until it is old', async (t) => {
  const { path, store } = setup(t.testdir());
  await store.write(await store.read());
  await writeFile(lockPathFor(path), '{"id": "half-writ');
  await t.rejects(store.lock(opts()), { code: 'STATE_LOCKED', message: /state\.json\.lock \(unreadable; written 0s ago\)/ });
  await t.rejects(store.lock(opts()), { message: /If no imagectl run is writing it, remove .*state\.json\.lock by hand/ });
  const past = new Date(Date.now() - 10_000);
  await utimes(lockPathFor(path), past, past);
  const warnings: string[] = [];
  const lock = await store.lock(opts({ warn: (m) => warnings.push(m) }));
  t.match(warnings[0], /unreadable and untouched for 10s/);
  await lock.release();
});

t.test('two waiters racing to break one stale lock: only one gets it', async (t) => {
  const { path, store } = setup(t.testdir());
  await store.write(await store.read());
  await writeFile(lockPathFor(path), JSON.stringify(foreignLock({ pid: await deadPid(), host: hostname() })));
  const warnings: string[] = [];
  const waiter = (store: LocalStateStore, name: string) =>
    store.lock(opts({ timeout_ms: 10_000, warn: (m) => warnings.push(m) })).then((lock) => ({ name, lock }));
  const a = waiter(store, 'a');
  const b = waiter(new LocalStateStore(path, { lock: FAST }), 'b');
  const winner = await Promise.race([a, b]);
  const first = winner.lock;
  const second = (winner.name === 'a' ? b : a).then((w) => w.lock);
  let secondDone = false;
  void second.then(() => (secondDone = true));
  await sleep(200);
  t.notOk(secondDone, 'the other waiter is still waiting');
  t.equal(warnings.length, 1, 'the stale lock was broken once');
  await first.release();
  const other = await second;
  t.not(other.info.id, first.info.id);
  await other.release();
});

t.test('unlock(id) removes the lock with that id and no other', async (t) => {
  const { path, store } = setup(t.testdir());
  const warnings: string[] = [];
  const lock = await store.lock(opts({ warn: (m) => warnings.push(m) }));
  await t.rejects(store.unlock('not-the-id'), {
    code: 'LOCK_NOT_FOUND',
    message: new RegExp(`no lock with id not-the-id on state file .*; it is locked by:\\n  ${lock.info.id} \\(exclusive\\)`),
  });
  t.ok(existsSync(lockPathFor(path)));
  await t.rejects(store.unlock(lock.info.id), { code: 'LOCK_HELD', message: /looks alive[^]*--force/ }, 'a live holder is refused');
  t.ok(existsSync(lockPathFor(path)));
  await store.unlock(lock.info.id, { force: true });
  t.notOk(existsSync(lockPathFor(path)));
  await t.rejects(store.unlock(lock.info.id), { code: 'LOCK_NOT_FOUND', message: /it is not locked/ });
  await t.rejects(store.unlock('../../etc/passwd'), { code: 'LOCK_NOT_FOUND' });
  const next = await store.lock(opts());
  await sleep(150);
  t.match(warnings.join('\n'), `lock ${lock.info.id} on ${lockPathFor(path)} was broken by another process`);
  await lock.release(); // must not remove the new holder's lock
  t.equal(JSON.parse(await readFile(lockPathFor(path), 'utf8')).id, next.info.id);
  await next.release();
});

t.test('shared locks coexist; exclusive waits for all of them; shared waits for exclusive', async (t) => {
  const { path, store } = setup(t.testdir());
  const child = forkFixture('lock-child.ts', [path, 'shared']);
  const { acquired: childInfo } = (await child.next()) as { acquired: LockInfo };
  t.equal(childInfo.mode, 'shared');
  const mine = await store.lock(opts({ mode: 'shared', command: 'imagectl drift' }));
  t.ok(existsSync(sharedLockPathFor(path, mine.info.id)));
  t.ok(existsSync(sharedLockPathFor(path, childInfo.id)));

  const refused = (await store.lock(opts()).catch((e: unknown) => e)) as Error;
  t.match(refused, { code: 'STATE_LOCKED' });
  t.match(refused.message, `${childInfo.id} (shared)`);
  t.match(refused.message, `${mine.info.id} (shared)`);
  t.notOk(existsSync(lockPathFor(path)), 'a refused writer leaves no lock file behind');

  let writer: Lock | undefined;
  const waiting = store.lock(opts({ timeout_ms: 60_000 })).then((l) => (writer = l));
  await sleep(150);
  t.ok(existsSync(lockPathFor(path)), 'the waiting writer holds its place');
  await t.rejects(store.lock(opts({ mode: 'shared' })), { code: 'STATE_LOCKED', message: /\(exclusive\)/ }, 'so new readers wait');
  await mine.release();
  await sleep(100);
  t.equal(writer, undefined, 'one reader left: still waiting');
  child.proc.send('release');
  await child.exited;
  await waiting;
  t.ok(writer);
  await writer?.release();
  const reader = await store.lock(opts({ mode: 'shared' }));
  await t.rejects(store.unlock(reader.info.id), { code: 'LOCK_HELD' }, 'a live reader is refused too');
  await store.unlock(reader.info.id, { force: true });
  t.notOk(existsSync(sharedLockPathFor(path, reader.info.id)), 'unlock --force works on shared locks too');
  await reader.release();
});

t.test('a reader waiting for a writer gets in after it leaves', async (t) => {
  const { store } = setup(t.testdir());
  const writer = await store.lock(opts());
  const reading = store.lock(opts({ mode: 'shared', timeout_ms: 60_000 }));
  await sleep(100);
  await writer.release();
  const reader = await reading;
  t.equal(reader.info.mode, 'shared');
  await reader.release();
});

t.test('stale shared locks are broken too', async (t) => {
  const { path, store } = setup(t.testdir());
  await store.write(await store.read());
  const id = 'dead-reader';
  await writeFile(sharedLockPathFor(path, id), JSON.stringify(foreignLock({ id, mode: 'shared', pid: await deadPid(), host: hostname() })));
  const warnings: string[] = [];
  const lock = await store.lock(opts({ warn: (m) => warnings.push(m) }));
  t.match(warnings[0], 'dead-reader (shared)');
  t.notOk(existsSync(sharedLockPathFor(path, id)));
  await lock.release();
});

t.test('the lock records its PID namespace; a pid is judged dead only in its own namespace', async (t) => {
  const { path, store } = setup(t.testdir());
  const lock = await store.lock(opts());
  const onDisk = JSON.parse(await readFile(lockPathFor(path), 'utf8')) as LockInfo;
  t.equal(onDisk.pid_ns, pidNamespace(), 'recorded where the platform has one');
  await lock.release();
});

// Repro C of issue 14: containers with host networking share the hostname, not the pids.
t.test('same hostname, another PID namespace: a dead-looking pid with a fresh heartbeat is live', async (t) => {
  const { path, store } = setup(t.testdir());
  await store.write(await store.read());
  const pid = await deadPid();
  await writeFile(lockPathFor(path), JSON.stringify(foreignLock({ pid, host: hostname(), pid_ns: 'pid:[4026530001]' })));
  await t.rejects(store.lock(opts()), { code: 'STATE_LOCKED', message: new RegExp(`old-lock-id \\(exclusive\\): bob@${hostname()}, pid ${pid}`) });
  t.match(await store.lockHolders(), [{ info: { id: 'old-lock-id' }, live: true }], 'lock-info agrees');
  await t.rejects(store.unlock('old-lock-id'), { code: 'LOCK_HELD' }, 'and unlock without --force refuses it');
  // A holder that recorded no namespace (an older imagectl) is judged the same way, by its heartbeat.
  const { pid_ns: _ns, ...noNamespace } = foreignLock({ pid, host: hostname() });
  await writeFile(lockPathFor(path), JSON.stringify(noNamespace));
  if (pidNamespace() !== undefined) await t.rejects(store.lock(opts()), { code: 'STATE_LOCKED' });
  // Once its heartbeat is old, it is stale wherever it runs.
  const old = new Date(Date.now() - 60_000).toISOString();
  await writeFile(lockPathFor(path), JSON.stringify(foreignLock({ pid, host: hostname(), pid_ns: 'pid:[4026530001]', heartbeat: old })));
  const warnings: string[] = [];
  const lock = await store.lock(opts({ warn: (m) => warnings.push(m) }));
  t.match(warnings[0], /its last heartbeat was 60s ago/);
  await lock.release();
});
