// Profiling helper: seeds N images into in-process simulators (latency as the bench), then runs
// `imagectl plan` (bulk, then --refresh=false) RUNS times each with IMAGECTL_TRACE=1, printing
// wall times and the phase trace; PROF=DIR adds --cpu-prof into DIR.
// Usage: node bench/tools/plan-prof.mjs N [RUNS]
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CLI, runNode } from '../lib/measure.mjs';
import { seed, startSims, writeWorld } from '../lib/scenario.mjs';

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);
const sims = await startSims({});
const dir = mkdtempSync(join(os.tmpdir(), 'imagectl-prof-'));
const config = writeWorld(dir, sims, n);
await seed(config);
sims.setLatency(Number(process.env.BENCH_LATENCY_MS ?? 25));
const prof = process.env.PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF}`] : [];
for (const args of [[], ['--refresh=false'], ...(process.env.PER ? [['--refresh-mode', 'per-resource']] : [])]) {
  for (let i = 0; i < runs; i++) {
    const r = await runNode([...prof, CLI, 'plan', '-c', config, '--detailed-exitcode', ...args], { cwd: dir, env: { IMAGECTL_TRACE: '1' } });
    const trace = r.stderr.split('\n').filter((l) => l.startsWith('[trace]')).map((l) => l.slice(8)).join('; ');
    console.log(`${args.join(' ') || 'bulk'}: exit ${r.code} wall ${Math.round(r.wallMs)} ms cpu ${Math.round(r.cpuMs ?? 0)} ms rss ${Math.round(r.rssMb ?? 0)} MB | ${trace}`);
    if (r.code !== 0) console.log(r.stderr.slice(-1500));
  }
}
await sims.close();
