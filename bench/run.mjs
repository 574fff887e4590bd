#!/usr/bin/env node
// `npm run bench`: imagectl against both simulators with injected latency, side by side in one
// run: plan with nothing to change (bulk refresh, the per-resource Terraform model, and the lower
// bound), apply of many creates against ceil(N / parallelism) × task time, the planner and state
// alone at the largest size, and `validate` start-up. Prints markdown tables (BENCH_OUT=FILE also
// writes them to FILE). It runs the built code: `npm run bench` builds first.
//
// Knobs (environment): BENCH_SIZES=100,1000,10000  BENCH_LATENCY_MS=25  BENCH_TASK_MS=2000
// BENCH_APPLY_N=1000  BENCH_APPLY_PARALLELISM=10,50  BENCH_VALIDATE_RUNS=5  BENCH_PLAN_RUNS=3  BENCH_CORE_RUNS=5  BENCH_OUT=FILE
// BENCH_DIR=DIR (kept afterwards)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { median, ROOT, runCli, runNode } from './lib/measure.mjs';
import { seed, startSims, writeWorld } from './lib/scenario.mjs';

const env = process.env;
const list = (v, d) => (v ?? d).split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const SIZES = list(env.BENCH_SIZES, '100,1000,10000');
const LATENCY = Number(env.BENCH_LATENCY_MS ?? 25);
const TASK_MS = Number(env.BENCH_TASK_MS ?? 2000);
const APPLY_N = Number(env.BENCH_APPLY_N ?? 1000);
const APPLY_P = list(env.BENCH_APPLY_PARALLELISM, '10,50');
const VALIDATE_RUNS = Number(env.BENCH_VALIDATE_RUNS ?? 5);
const PLAN_RUNS = Number(env.BENCH_PLAN_RUNS ?? 3);
const CORE_RUNS = Number(env.BENCH_CORE_RUNS ?? 5);
const keep = env.BENCH_DIR !== undefined;
const work = env.BENCH_DIR ?? mkdtempSync(join(os.tmpdir(), 'imagectl-bench-'));

const out = [];
const say = (line = '') => {
  out.push(line);
  console.log(line);
};
const f0 = (n) => (n === undefined || Number.isNaN(n) ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const f1 = (n) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(1));
const f2 = (n) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(2));
const table = (head, rows) => {
  say(`| ${head.join(' | ')} |`);
  say(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
};
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);

function fail(what, r) {
  throw new Error(`${what} exited ${r.code}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
}

/** `[trace] NAME: W ms wall, C ms cpu` lines (IMAGECTL_TRACE=1) → { NAME: { wall, cpu } }. */
function phasesOf(stderr) {
  const out = {};
  for (const m of stderr.matchAll(/^\[trace\] (.+): (\d+) ms wall, (\d+) ms cpu$/gm)) out[m[1]] = { wall: Number(m[2]), cpu: Number(m[3]) };
  return out;
}

/** Fewest sequential round trips of the list calls: Nutanix page 0 then the rest at once; Numspot token then list. */
function lowerBound(n) {
  const ntx = Math.ceil(n / 2);
  const ntxTrips = ntx > 100 ? 2 : 1;
  return { ms: Math.max(ntxTrips, 2) * LATENCY, requests: Math.max(1, Math.ceil(ntx / 100)) + 2 };
}

async function planWorld(n) {
  progress(`plan world N=${n}: seeding at zero latency`);
  const sims = await startSims({ latencyMs: 0, taskMs: 0 });
  const dir = join(work, `plan-${n}`);
  const config = writeWorld(dir, sims, n);
  const t = performance.now();
  const added = await seed(config);
  progress(`  seeded ${added} images in ${f0(performance.now() - t)} ms`);
  sims.setLatency(LATENCY);
  sims.takeRequests();
  // Each mode RUNS times (the slow per-resource baseline once at 10,000), keeping the run of median
  // wall time; IMAGECTL_TRACE gives the CLI's own timing of its refresh phase.
  let sent; // what the last run asked of the simulators
  const plan = async (label, args, runs) => {
    const results = [];
    for (let i = 0; i < runs; i++) {
      progress(`  plan ${label} (${i + 1}/${runs})`);
      const r = await runCli(['plan', '-c', config, '--detailed-exitcode', ...args], { cwd: dir, env: { IMAGECTL_TRACE: '1' } });
      if (r.code !== 0) fail(`plan ${label} (N=${n})`, r);
      sent = sims.takeExchanges();
      results.push({ ...r, requests: sent.reduce((k, p) => k + p.requests.length, 0), phases: phasesOf(r.stderr) });
    }
    return results.sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs - 1) / 2)];
  };
  const bulk = await plan('bulk', [], PLAN_RUNS);
  const floor = await replayFloor(dir, sent);
  sims.takeRequests();
  const fixed = await plan('no refresh', ['--refresh=false'], PLAN_RUNS);
  // Terraform's -parallelism=10 bounds its whole graph walk: 10 reads in flight in all. imagectl's
  // --parallelism is per provider, so the model is 5 per provider for the two clouds here; the
  // same mode at 10 per provider (20 in flight) is shown beside it.
  const perRuns = n >= 10000 ? 1 : PLAN_RUNS;
  const per = await plan('per-resource, 10 in flight', ['--refresh-mode', 'per-resource', '--parallelism', '5'], perRuns);
  const perWide = await plan('per-resource, 10 per provider', ['--refresh-mode', 'per-resource', '--parallelism', '10'], perRuns);
  await sims.close();
  return { n, dir, bulk, fixed, per, perWide, floor, bound: lowerBound(n) };
}

/** The bulk plan's requests sent again with only fetch and JSON.parse (bench/lib/replay.mjs): median ms. */
async function replayFloor(dir, providers) {
  progress('  replaying its requests with fetch + JSON.parse only');
  const file = join(dir, 'bulk-requests.json');
  writeFileSync(file, JSON.stringify({ providers }));
  const r = await runNode([join(ROOT, 'bench/lib/replay.mjs'), file, String(PLAN_RUNS)]);
  if (r.code !== 0) fail('replay of the bulk requests', r);
  return median(JSON.parse(r.stdout).runs);
}

/** Where the fixed cost goes, from the CLI's trace: config, state read, planner (wall ms). */
function fixedNote(ph) {
  const names = ['config', 'state read', 'connect', 'desired', 'planner'];
  return names.filter((k) => ph[k] !== undefined).map((k) => `${k} ${f0(ph[k].wall)}`).join(', ');
}

async function applyRun(n, parallelism) {
  progress(`apply N=${n} parallelism=${parallelism}`);
  const sims = await startSims({ latencyMs: LATENCY, taskMs: TASK_MS });
  const dir = join(work, `apply-${n}-p${parallelism}`);
  const config = writeWorld(dir, sims, n);
  const r = await runCli(['apply', '-c', config, '--auto-approve', '--parallelism', String(parallelism)], { cwd: dir });
  if (r.code !== 0) fail(`apply N=${n} p=${parallelism}`, r);
  const requests = sims.takeRequests();
  await sims.close();
  // Parallelism is per provider and the images are split between the two clouds.
  const perProvider = Math.ceil(n / 2);
  const boundMs = Math.ceil(perProvider / parallelism) * TASK_MS;
  return { n, parallelism, ...r, requests, boundMs };
}

async function validateRuns() {
  const quickstart = join(ROOT, 'examples', 'quickstart', 'imagectl.yaml');
  const runs = [];
  for (let i = 0; i < VALIDATE_RUNS; i++) {
    const r = await runCli(['validate', '-c', quickstart]);
    if (r.code !== 0) fail('validate', r);
    runs.push(r);
  }
  const bare = [];
  for (let i = 0; i < VALIDATE_RUNS; i++) bare.push(await runNode(['-e', '0']));
  return { runs, bare };
}

async function main() {
  const started = performance.now();
  const load0 = os.loadavg();
  say(`## imagectl benchmark`);
  say();
  say(`- machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()} (nproc), ${f1(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}`);
  say(`- node ${process.version}; load average at start ${load0.map(f2).join(' ')}`);
  say(`- command: \`${['BENCH_SIZES', 'BENCH_LATENCY_MS', 'BENCH_TASK_MS', 'BENCH_APPLY_N', 'BENCH_APPLY_PARALLELISM'].filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]} `).join('')}npm run bench\``);
  say(`- simulators in the bench process (in memory), latency ${LATENCY} ms per request, task time ${TASK_MS} ms; the CLI runs as \`node bin/imagectl.js\` in a child process`);
  say();

  const plans = [];
  for (const n of SIZES) plans.push(await planWorld(n));
  say(`### plan, nothing to change (half the images per cloud)`);
  say();
  say(`Median of ${PLAN_RUNS} runs per mode (per-resource once at 10,000). Terraform's -parallelism=10 bounds its whole walk, so its model here is 10 reads in flight in all (\`--parallelism 5\`: imagectl's flag is per provider); the same reads at 10 per provider are shown too. \`refresh phase\` is the CLI's own timing of the phase that talks to the clouds (list calls, the GETs they leave, and decoding the answers; IMAGECTL_TRACE=1); \`wall − no refresh\` is the same share seen from outside, the difference between two processes' wall times (noisier). The lower bound is the fewest sequential round trips the list calls need × latency (Nutanix page 0, then all other pages at once; Numspot token, then one list; providers in parallel). The floor is the same requests as one bulk plan sent, replayed with nothing but fetch and JSON.parse in the same round trips (bench/lib/replay.mjs): what downloading and decoding the answers costs on this machine, with the simulators encoding them on the same cores.`);
  say();
  const rows = [];
  for (const p of plans) {
    const outside = (r) => Math.max(0, r.wallMs - p.fixed.wallMs);
    const phase = (r) => r.phases.refresh?.wall;
    rows.push([f0(p.n), 'bulk refresh', f0(p.bulk.wallMs), f0(phase(p.bulk)), f0(outside(p.bulk)), f0(p.bulk.requests), f1(p.bulk.rssMb), `refresh phase ${f1(phase(p.bulk) / p.bound.ms)}× bound, ${f1(phase(p.bulk) / p.floor)}× the floor`]);
    const slower = (r) => `${f1(phase(r) / phase(p.bulk))}× slower refresh, ${f1(r.wallMs / p.bulk.wallMs)}× slower end to end`;
    rows.push([f0(p.n), 'per-resource, Terraform model (one read per image, 10 in flight in all)', f0(p.per.wallMs), f0(phase(p.per)), f0(outside(p.per)), f0(p.per.requests), f1(p.per.rssMb), slower(p.per)]);
    rows.push([f0(p.n), 'per-resource, 10 per provider (20 in flight)', f0(p.perWide.wallMs), f0(phase(p.perWide)), f0(outside(p.perWide)), f0(p.perWide.requests), f1(p.perWide.rssMb), slower(p.perWide)]);
    rows.push([f0(p.n), 'no refresh (CLI fixed cost)', f0(p.fixed.wallMs), '', '0', f0(p.fixed.requests), f1(p.fixed.rssMb), fixedNote(p.fixed.phases)]);
    rows.push([f0(p.n), 'lower bound', '', f0(p.bound.ms), '', f0(p.bound.requests), '', '']);
    rows.push([f0(p.n), 'floor: the same requests, fetch + JSON.parse only', '', f0(p.floor), '', f0(p.bulk.requests), '', `${f1(p.floor / p.bound.ms)}× bound`]);
  }
  table(['images', 'mode', 'wall ms', 'refresh phase ms', 'wall − no refresh ms', 'API requests', 'peak RSS MB', 'note'], rows);

  const applies = [];
  for (const p of APPLY_P) applies.push(await applyRun(APPLY_N, p));
  say(`### apply, creating ${f0(APPLY_N)} images (half per cloud; parallelism is per provider)`);
  say();
  table(
    ['images', 'parallelism', 'wall s', 'bound s = ceil(N per provider / parallelism) × task time', 'wall / bound', 'API requests', 'peak RSS MB'],
    applies.map((a) => [f0(a.n), String(a.parallelism), f1(a.wallMs / 1000), f1(a.boundMs / 1000), f2(a.wallMs / a.boundMs), f0(a.requests), f1(a.rssMb)]),
  );

  const largest = plans.at(-1);
  if (largest) {
    progress(`core N=${largest.n}`);
    // CORE_RUNS fresh processes (each one cold, as a CLI run is); the median of each column.
    const runs = [];
    for (let i = 0; i < CORE_RUNS; i++) {
      const r = await runNode([join(ROOT, 'bench', 'core.mjs'), largest.dir]);
      if (r.code !== 0) fail('core', r);
      const one = JSON.parse(r.stdout.trim().split('\n').at(-1));
      runs.push({ ...one, core: one.stateRead + one.planner + one.writeFull });
    }
    const c = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((x) => x[k]))]));
    say(`### planner and state alone, ${f0(c.images)} images (CPU time, median of ${CORE_RUNS} fresh processes)`);
    say();
    const core = c.core; // the median of per-run totals, not a sum of medians
    table(
      ['state read (parse + check)', 'planner', 'state write (full)', 'state write (one change)', 'planner + state', 'peak RSS MB', 'config load (info)', 'changes planned'],
      [[f0(c.stateRead), f0(c.planner), f0(c.writeFull), f0(c.writeOne), f0(core), f1(c.maxRssMb), f0(c.configLoad), String(c.changes)]],
    );
  }

  progress('validate');
  const v = await validateRuns();
  say(`### \`imagectl validate\` on the quickstart (${VALIDATE_RUNS} runs)`);
  say();
  table(
    ['median wall ms', 'min wall ms', 'median CPU ms', 'peak RSS MB', 'bare `node -e 0` median wall ms'],
    [[f0(median(v.runs.map((r) => r.wallMs))), f0(Math.min(...v.runs.map((r) => r.wallMs))), f0(median(v.runs.map((r) => r.cpuMs ?? NaN))), f1(median(v.runs.map((r) => r.rssMb ?? NaN))), f0(median(v.bare.map((r) => r.wallMs)))]],
  );
  say(`Load average at end ${os.loadavg().map(f2).join(' ')}; the whole run took ${f0((performance.now() - started) / 1000)} s.`);
  if (env.BENCH_OUT) writeFileSync(env.BENCH_OUT, out.join('\n') + '\n');
}

try {
  await main();
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
