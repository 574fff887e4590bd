// kill -9 of apply in the middle of creating images, then a rerun: it must converge with no
// duplicate image in the cloud and nothing left journaled. The kill lands a seeded random delay
// after the first intent is journaled (the seed is printed; IMAGECTL_CRASH_SEED=N replays it), so
// runs reach different moments; crash-points-*.test.ts kills at each recovery path on purpose.
import t from 'tap';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/simulators/http.js';
import { cli, config } from './support.js';

const images = Array.from({ length: 6 }, (_, i) => `  img${i}:
    provider: prod
    name: golden-${i}
    type: DISK_IMAGE
    source: { url: http://images.example.com/disk-${i}.qcow2 }
`).join('');

const seed = Number(process.env['IMAGECTL_CRASH_SEED'] ?? randomInt(2 ** 31));
t.comment(`kill timing seed ${seed} (replay with IMAGECTL_CRASH_SEED=${seed})`);
const random = mulberry32(seed);

/** Waits for `check`; a wait that times out fails the test instead of passing without waiting. */
async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (seed ${seed})`);
}

t.test('SIGKILL mid-apply, rerun converges without duplicates', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 1500 });
  t.teardown(() => c.close());
  c.write(config(images));
  const statePath = join(c.dir, '.imagectl', 'state.json');
  const child = c.start(['apply', '--auto-approve', '--parallelism', '3']);
  await until('an intent journaled', () => {
    if (!existsSync(statePath)) return false;
    try {
      return Object.keys(JSON.parse(readFileSync(statePath, 'utf8')).pending).length > 0;
    } catch {
      return false;
    }
  }, 60_000);
  // Each task takes 1.5 s and three run at once: within 1.5 s some intent is still journaled.
  const delay = Math.floor(random() * 1500);
  t.comment(`killing ${delay} ms after the first intent was journaled`);
  await new Promise((r) => setTimeout(r, delay));
  child.kill('SIGKILL');
  await child.catch(() => undefined);
  t.ok(Object.keys(c.state().pending).length > 0, 'the killed run left intents');
  const pendingPlan = await c.run(['plan', '--detailed-exitcode']);
  t.equal(pendingPlan.code, 2, 'journaled intents are work for apply: --detailed-exitcode says 2');
  t.match(pendingPlan.stderr + pendingPlan.stdout, /interrupted operation/);

  const r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /resolved an interrupted create/);
  const names = c.sim.listImages().map((i) => (i as { name: string }).name).sort();
  t.same(names, Array.from({ length: 6 }, (_, i) => `golden-${i}`).sort(), 'exactly one image per address');
  t.same(c.state().pending, {});
  t.equal(Object.keys(c.state().resources).length, 6);

  const again = await c.run(['plan', '--detailed-exitcode']);
  t.equal(again.code, 0, again.stdout);
});

t.test('Ctrl-C stops new work, saves, exits 130', async (t) => {
  const c = await cli(t.testdir(), { taskDurationMs: 800 });
  t.teardown(() => c.close());
  c.write(config(images));
  const child = c.start(['apply', '--auto-approve', '--parallelism', '2']);
  const statePath = join(c.dir, '.imagectl', 'state.json');
  await until('the state file', () => existsSync(statePath), 60_000);
  child.kill('SIGINT');
  const res = await child.catch((e: { exitCode?: number; stdout?: string }) => e);
  t.equal(res.exitCode, 130);
  const st = c.state();
  t.same(st.pending, {}, 'in-flight calls finished and were saved');
  const created = Object.keys(st.resources).length;
  t.ok(created >= 1 && created < 6, `some but not all images were created (${created})`);
  t.equal(c.sim.listImages().length, created, 'the state holds every image that exists');
});
