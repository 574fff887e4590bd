// Issue 14, repro A: a CI runner paused (SIGSTOP, a suspended VM) past its lock's staleness has
// its lock broken by the next apply, which converges; then the paused run resumes. Before the
// fix it went on writing: duplicates in the cloud, the other run's state overwritten, exit 0.
// Now its first state write or cloud call after resuming finds the lock gone and it stops:
// exit 1, one clear error, nothing written, the other run's result intact.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cli, config } from '../e2e/support.js';

const N = 4;
const nutanix = Array.from({ length: N }, (_, i) => `  nx${i}:
    provider: prod
    name: paused-nx-${i}
    type: DISK_IMAGE
    source: { url: https://images.example.com/paused-${i}.qcow2 }
`).join('');
const numspot = Array.from({ length: N }, (_, i) => `  ns${i}:
    provider: eu
    name: paused-ns-${i}
    source_image_id: { lookup: image, name: Debian-12-2026-08-10 }
    source_region_name: cloudgouv-eu-west-1
`).join('');

interface Snapshot { serial: number; resources: Record<string, unknown>; pending: Record<string, unknown> }

function readState(dir: string): Snapshot | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, '.imagectl', 'state.json'), 'utf8')) as Snapshot;
  } catch {
    return undefined;
  }
}

/** Polls `check` until it holds; false once `ms` passed (the caller asserts on it). */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(25);
  }
  return check();
}

t.test('a run paused past its lock stops when it resumes: exit 1, nothing written, no duplicate', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 1500 }, { pendingMs: 1500 });
  t.teardown(() => c.close());
  // Staleness after 1.5 s instead of 30 s, so the test waits seconds, not half a minute.
  c.env['IMAGECTL_LOCK_TUNING'] = 'heartbeat_ms=100,stale_ms=1500,poll_ms=50';
  c.write(config(nutanix + numspot));
  const first = c.start(['apply', '--auto-approve', '--parallelism', '1']);
  const pid = first.pid as number;
  t.teardown(() => {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  // Pause it half way: something applied, a call in flight (its intent journaled).
  const midway = await until(() => {
    const s = readState(c.dir);
    return s !== undefined && Object.keys(s.resources).length >= 1 && Object.keys(s.pending).length >= 1;
  }, 60_000);
  t.ok(midway, 'the first apply got half way');
  if (!midway) return;
  process.kill(pid, 'SIGSTOP');

  // The next apply waits until the paused run's heartbeat is stale, breaks its lock, converges.
  const second = await c.run(['apply', '--auto-approve', '--lock-timeout', '60s']);
  t.equal(second.code, 0, second.stdout + second.stderr);
  t.match(second.stderr, /broke the stale lock .*its last heartbeat was/);
  const converged = readState(c.dir);
  t.equal(Object.keys(converged?.resources ?? {}).length, 2 * N, 'the second run applied everything');

  process.kill(pid, 'SIGCONT');
  const resumed = await first;
  t.equal(resumed.exitCode, 1, `the resumed run fails:\n${String(resumed.stdout)}\n${String(resumed.stderr)}`);
  t.match(String(resumed.stderr), /Error: this run no longer holds its lock [0-9a-f-]+ on state file .*: it was broken by another process/);
  t.notMatch(String(resumed.stderr), /\n\s+at .*:\d+:\d+/, 'no stack trace');
  t.notMatch(String(resumed.stdout), /Apply complete/);
  t.same(readState(c.dir), converged, 'it wrote nothing after resuming');

  const nxNames = (c.sim.listImages() as { name?: string }[]).map((i) => i.name ?? '').filter((n) => n.startsWith('paused-'));
  const nsNames = (c.numspot.listImages() as { name?: string }[]).map((i) => i.name ?? '').filter((n) => n.startsWith('paused-'));
  t.equal(nxNames.length, N, `no Nutanix duplicate: ${nxNames.sort().join(' ')}`);
  t.equal(nsNames.length, N, `no Numspot duplicate: ${nsNames.sort().join(' ')}`);
  const plan = await c.run(['plan', '--detailed-exitcode']);
  t.equal(plan.code, 0, `converged, every image in the state: ${plan.stdout}${plan.stderr}`);
});

// Repro B: `state unlock ID` released the lock of a live run on the same host.
t.test('state unlock refuses a live run; --force breaks it, and that run stops at its next step', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 1000 }, { pendingMs: 1000 });
  t.teardown(() => c.close());
  c.write(config(nutanix));
  const lockPath = join(c.dir, '.imagectl', 'state.json.lock');
  const running = c.start(['apply', '--auto-approve', '--parallelism', '1']);
  const pid = running.pid as number;
  t.teardown(() => {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const locked = await until(() => {
    const s = readState(c.dir);
    return s !== undefined && Object.keys(s.pending).length >= 1;
  }, 60_000);
  t.ok(locked, 'the apply is under way');
  if (!locked) return;
  const id = (JSON.parse(readFileSync(lockPath, 'utf8')) as { id: string }).id;
  // Held still while the operator acts, so it cannot finish first; its pid is alive and its
  // heartbeat (every 5 s, stale after 30 s) fresh: it is a live holder by every measure.
  process.kill(pid, 'SIGSTOP');

  const refused = await c.run(['state', 'unlock', id]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, new RegExp(`Error: lock ${id} on state file .* is held by a run that looks alive: .*pid ${pid}`));
  t.match(refused.stderr, `imagectl state unlock ${id} --force`);
  t.equal((JSON.parse(readFileSync(lockPath, 'utf8')) as { id: string }).id, id, 'the lock is untouched');

  const forced = await c.run(['state', 'unlock', id, '--force']);
  t.equal(forced.code, 0, forced.stderr);
  t.match(forced.stdout, `Lock ${id} released.`);
  process.kill(pid, 'SIGCONT');
  const stopped = await running;
  t.equal(stopped.exitCode, 1, 'the run whose lock was broken stops');
  t.match(String(stopped.stderr), `Error: this run no longer holds its lock ${id}`);
  t.notMatch(String(stopped.stdout), /Apply complete/);
  const after = readState(c.dir);
  t.ok(Object.keys(after?.resources ?? {}).length < N, 'it did not go on applying');
  const rerun = await c.run(['apply', '--auto-approve']);
  t.equal(rerun.code, 0, rerun.stderr);
  const nxNames = (c.sim.listImages() as { name?: string }[]).map((i) => i.name ?? '').filter((n) => n.startsWith('paused-'));
  t.equal(nxNames.length, N, `the next apply converges without duplicates: ${nxNames.sort().join(' ')}`);
});
