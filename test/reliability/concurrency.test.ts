// Two CI jobs on one state must never both write it. Five applies started at once: exactly one
// proceeds, the others exit 1 naming the holder (pid, command) and how to wait; with
// --lock-timeout a run waits instead. A holder killed with SIGKILL, or one whose heartbeat
// expired on another machine, does not block the next run.
import t, { type Test } from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cli, config } from '../e2e/support.js';

const images = Array.from({ length: 4 }, (_, i) => `  img${i}:
    provider: prod
    name: locked-${i}
    type: DISK_IMAGE
    source: { url: https://images.example.com/locked-${i}.qcow2 }
`).join('');

/**
 * Polls `check` until it holds. A wait that times out fails the test (a test that went on
 * regardless would pass without having waited for anything) and returns false.
 */
async function waitFor(t: Test, what: string, check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (check()) return t.ok(true, what);
    if (Date.now() >= end) return t.fail(`${what}: still not the case after ${ms / 1000}s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test('five applies at once: one proceeds, four exit 1 naming the holder', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 1500 });
  t.teardown(() => c.close());
  c.write(config(images));
  const runs = await Promise.all(Array.from({ length: 5 }, () => c.run(['apply', '--auto-approve'])));
  const winners = runs.filter((r) => r.code === 0);
  const losers = runs.filter((r) => r.code !== 0);
  t.equal(winners.length, 1, 'exactly one apply proceeded');
  t.equal(losers.length, 4);
  for (const r of losers) {
    t.equal(r.code, 1);
    t.match(r.stderr, /is locked by another imagectl run/);
    t.match(r.stderr, /pid \d+, `apply`/, 'names the holder');
    t.match(r.stderr, /--lock-timeout/, 'says how to wait');
    t.notMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  }
  t.equal(c.sim.listImages().length, 4, 'no image was created twice');
  t.same(c.state().pending, {});
});

t.test('--lock-timeout waits for the holder instead of failing', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 1000 });
  t.teardown(() => c.close());
  c.write(config(images));
  const first = c.run(['apply', '--auto-approve']);
  if (!(await waitFor(t, 'the apply took the lock', () => existsSync(join(c.dir, '.imagectl', 'state.json.lock')), 20_000))) {
    await first;
    return;
  }
  const second = await c.run(['plan', '--detailed-exitcode', '--lock-timeout', '60s']);
  const done = await first;
  t.equal(done.code, 0, done.stderr);
  t.equal(second.code, 0, 'waited for the apply, then found nothing to do: ' + second.stdout + second.stderr);
});

t.test('a holder killed with SIGKILL does not block the next run', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 2000 });
  t.teardown(() => c.close());
  c.write(config(images));
  const lockPath = join(c.dir, '.imagectl', 'state.json.lock');
  const child = c.start(['apply', '--auto-approve']);
  if (!(await waitFor(t, 'the apply took the lock', () => existsSync(lockPath), 20_000))) {
    child.kill('SIGKILL');
    return;
  }
  child.kill('SIGKILL');
  await child.catch(() => undefined);
  t.ok(existsSync(lockPath), 'the dead holder left its lock file');
  const r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /broke the stale lock .*is no longer running/);
  t.equal(c.sim.listImages().length, 4);
});

t.test('a lock from another machine whose heartbeat expired does not block the next run', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(images));
  mkdirSync(join(c.dir, '.imagectl'), { recursive: true });
  const old = new Date(Date.now() - 10 * 60_000).toISOString();
  const lock = { id: '0f0e0d0c-0b0a-4909-8807-060504030201', pid: 999999, host: `${hostname()}-ci-runner-2`, user: 'ci', command: 'apply', created: old, heartbeat: old, mode: 'exclusive' };
  writeFileSync(join(c.dir, '.imagectl', 'state.json.lock'), JSON.stringify(lock));
  const r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /broke the stale lock .*last heartbeat was/);
  t.notOk(existsSync(join(c.dir, '.imagectl', 'state.json.lock')), 'released at the end');
  t.match(readFileSync(join(c.dir, '.imagectl', 'state.json'), 'utf8'), /locked-3/);
});
