// Keeps `npm run bench` working: a tiny run (100 images, 1 ms latency, short tasks) must print
// every table. Never asserts on time: CI machines vary too much for that.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

t.test('the benchmark prints its tables', { skip: existsSync(`${root}dist/cli.js`) ? false : 'dist/ not built (npm test builds it)' }, async (t) => {
  const r = spawnSync(process.execPath, ['bench/run.mjs'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      BENCH_SIZES: '100',
      BENCH_LATENCY_MS: '1',
      BENCH_TASK_MS: '50',
      BENCH_APPLY_N: '20',
      BENCH_APPLY_PARALLELISM: '10',
      BENCH_VALIDATE_RUNS: '1',
      BENCH_PLAN_RUNS: '1',
      BENCH_CORE_RUNS: '1',
    },
  });
  t.equal(r.status, 0, r.stderr.slice(-2000));
  for (const heading of ['### plan, nothing to change', '### apply, creating 20 images', '### planner and state alone, 100 images', '### `imagectl validate`']) {
    t.match(r.stdout, heading);
  }
  t.match(r.stdout, /\| 100 \| bulk refresh \| [\d,]+ \| [\d,]+ \|/, 'wall and the traced refresh phase');
  t.match(r.stdout, /\| 100 \| per-resource/);
  t.match(r.stdout, /\| 100 \| lower bound \|/);
  t.match(r.stdout, /\| 100 \| floor: the same requests, fetch \+ JSON.parse only \|\s+\|\s*\d+ \|/, 'the bulk requests were replayed');
  t.match(r.stdout, /\| 20 \| 10 \| [\d.]+ \|/);
});
