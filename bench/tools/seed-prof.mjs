// Profiling helper: seeds N images into fresh in-memory simulators (as the bench does) and exits.
// Usage: node --cpu-prof bench/tools/seed-prof.mjs N
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { seed, startSims, writeWorld } from '../lib/scenario.mjs';

const n = Number(process.argv[2] ?? 1000);
const sims = await startSims({});
const dir = mkdtempSync(join(os.tmpdir(), 'imagectl-seed-'));
const t = performance.now();
await seed(writeWorld(dir, sims, n));
console.log(`seeded ${n} in ${Math.round(performance.now() - t)} ms (${dir})`);
await sims.close();
