// `npm run chaos`: the full chaos run (not part of `npm test`). Prints the figures and exits 1 if
// any promise broke. Options: --images N (default 240), --kills N (default 32), --seed N,
// --harder F (multiplies every fault rate by F, capped at 0.5), --keep (keep the files),
// --no-accidents (the clouds' faults only: no paused holder, second state, redirect or echoing plugin).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHAOS_FAULTS, formatFigures, runChaos } from '../test/chaos/harness.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '240' },
    kills: { type: 'string', default: '32' },
    seed: { type: 'string', default: '20260601' },
    harder: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    'no-accidents': { type: 'boolean', default: false },
  },
});
const harder = Number(values.harder);
const faults = Object.fromEntries(Object.entries(CHAOS_FAULTS).map(([k, v]) => [k, k.endsWith('Rate') ? Math.min(0.5, v * harder) : v]));
const dir = mkdtempSync(join(tmpdir(), 'imagectl-chaos-'));
const figures = await runChaos({
  dir,
  images: Number(values.images),
  kills: Number(values.kills),
  seed: Number(values.seed),
  killWindowMs: [400, 3500],
  faults,
  accidents: !values['no-accidents'],
  log: (l) => console.log(l),
});
console.log('');
console.log(formatFigures(figures));
for (const p of figures.problems) console.log(`  problem: ${p}`);
console.log(`\nreproduce: npm run chaos -- --images ${figures.images} --kills ${figures.kills} --seed ${figures.seed}${harder === 1 ? '' : ` --harder ${harder}`}`);
const ok = figures.duplicates === 0 && figures.orphans === 0 && figures.corruptStates === 0 && figures.secretsFound === 0 && figures.converged && figures.problems.length === 0;
if (values.keep || !ok) console.log(`files kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
