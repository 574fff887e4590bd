// Locking across processes, each with its own database connections, as two CI runners would be:
// one fails at once naming the holder, or waits and gets the lock when the holder ends; a
// SIGKILLed holder frees it by itself; two "applies" in a row never lose a write.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lock, LockInfo } from '../../../src/state/types.js';
import { forkFixture } from '../fixtures/children.js';
import { fileSchema, needsDb, opener, uniqueName } from './fixtures/database.js';

const schema = needsDb.skip ? '' : fileSchema(t);
const child = (workspace: string, ...args: string[]) => forkFixture('../postgres/fixtures/lock-child.ts', [schema, workspace, ...args]);
const opts = (o: Partial<{ timeout_ms: number; mode: 'exclusive' | 'shared' }> = {}) =>
  ({ command: 'imagectl apply', mode: 'exclusive' as const, timeout_ms: 0, ...o });

t.test('another process holds it: fail at once naming the holder', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const holder = child(ws, 'exclusive');
  const { acquired } = (await holder.next()) as { acquired: LockInfo };
  t.not(acquired.pid, process.pid);
  const store = opener(t, schema, ws)();
  const err = (await store.lock(opts()).catch((e: unknown) => e)) as Error & { code: string };
  t.equal(err.code, 'STATE_LOCKED');
  t.match(err.message, `${store.description} is locked by another imagectl run`);
  t.match(err.message, `${acquired.id} (exclusive): ${acquired.user}@${acquired.host}, pid ${acquired.pid}, \`imagectl child-exclusive\``);
  t.match(err.message, `imagectl state unlock ${acquired.id} --force`);
  t.match(await store.lockHolders(), [{ info: { id: acquired.id, pid: acquired.pid }, live: true }], 'lock-info names it too');
  holder.proc.send('release');
  t.same(await holder.next(), { released: true });
  await holder.exited;
  const lock = await store.lock(opts());
  await lock.release();
});

t.test('another process holds it: wait with --lock-timeout and get it once released', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const holder = child(ws, 'exclusive');
  await holder.next();
  const store = opener(t, schema, ws)();
  const warnings: string[] = [];
  let got: Lock | undefined;
  const waiting = store.lock({ ...opts({ timeout_ms: 60_000 }), warn: (m) => warnings.push(m) }).then((l) => (got = l));
  // It says it waits once its first try failed (a loaded box may take a while to connect).
  for (let i = 0; i < 300 && warnings.length === 0; i++) await sleep(100);
  t.equal(got, undefined, 'still waiting while the child holds it');
  t.match(warnings[0], /is locked by .*imagectl child-exclusive.*; waiting up to 60s/);
  holder.proc.send('release');
  const lock = await waiting;
  t.match(await store.lockHolders(), [{ info: { id: lock.info.id }, live: true }]);
  await lock.release();
  await holder.exited;
});

t.test('a timeout that expires says how long it waited', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const holder = child(ws, 'exclusive');
  const { acquired } = (await holder.next()) as { acquired: LockInfo };
  const store = opener(t, schema, ws)();
  const started = Date.now();
  await t.rejects(store.lock(opts({ timeout_ms: 500 })), { code: 'STATE_LOCKED', message: new RegExp(`still locked after waiting 0.5s[^]*${acquired.id}`) });
  t.ok(Date.now() - started >= 450, 'it did wait');
  holder.proc.send('release');
  await holder.exited;
});

t.test('SIGKILL of the holder frees the lock for the next run, which clears the stale record', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const holder = child(ws, 'exclusive');
  const { acquired } = (await holder.next()) as { acquired: LockInfo };
  holder.proc.kill('SIGKILL');
  await holder.exited;
  const store = opener(t, schema, ws)();
  const warnings: string[] = [];
  // The server notices the closed socket at once on loopback; a few seconds of grace for a loaded box.
  const lock = await store.lock({ ...opts({ timeout_ms: 20_000 }), warn: (m) => warnings.push(m) });
  t.match(warnings.join('\n'), `cleared the lock record of a run that ended without releasing it: ${acquired.id}`);
  t.match(await store.lockHolders(), [{ info: { id: lock.info.id }, live: true }], 'only the new holder is listed');
  await lock.release();
});

t.test('a killed holder leaves a stale record that lock-info shows as ended and unlock clears', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const holder = child(ws, 'exclusive');
  const { acquired } = (await holder.next()) as { acquired: LockInfo };
  holder.proc.kill('SIGKILL');
  await holder.exited;
  const store = opener(t, schema, ws)();
  let holders = await store.lockHolders();
  for (let i = 0; i < 100 && holders.some((h) => h.live); i++) {
    await sleep(100);
    holders = await store.lockHolders();
  }
  t.match(holders, [{ info: { id: acquired.id }, live: false }]);
  await store.unlock(acquired.id);
  t.same(await store.lockHolders(), []);
});

t.test('unlock of a live holder explains advisory locks; --force ends its session', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const holder = child(ws, 'exclusive');
  const { acquired } = (await holder.next()) as { acquired: LockInfo };
  const store = opener(t, schema, ws)();
  await t.rejects(store.unlock(acquired.id), {
    code: 'LOCK_HELD',
    message: new RegExp(`released only when the session holding it ends[^]*pid ${acquired.pid}[^]*unlock ${acquired.id} --force`),
  });
  await store.unlock(acquired.id, { force: true });
  t.same(await store.lockHolders(), [], 'session ended, record cleared');
  const lock = await store.lock(opts());
  await lock.release();
  holder.proc.kill('SIGKILL');
  await holder.exited;
});

t.test('two applies from two processes: the second waits, and no write is lost', needsDb, async (t) => {
  const ws = uniqueName('ws');
  const a = child(ws, 'exclusive', '30000', '20');
  const b = child(ws, 'exclusive', '30000', '20');
  const messages = await Promise.all([collect(a), collect(b)]);
  t.ok(messages.every((m) => m.some((x) => 'done' in x)), 'both finished');
  const state = await opener(t, schema, ws)().read();
  t.equal(state.serial, 40, 'every write of both runs has its own serial');
  t.match(state.resources.counter?.attributes, { n: 40 }, 'the second run started from the first run\'s result');
});

async function collect(c: ReturnType<typeof child>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const m = (await c.next().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (m === undefined) return out;
    out.push(m);
    if ('done' in m || 'error' in m) {
      await c.exited;
      return out;
    }
  }
}
