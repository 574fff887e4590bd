// Profiling helper: loads a config RUNS times in one process and prints CPU ms per load.
// Usage: node [--cpu-prof] bench/tools/config-prof.mjs FILE [RUNS]
import { dirname } from 'node:path';
import { ROOT } from '../lib/measure.mjs';

const { loadConfig } = await import(new URL('dist/config/index.js', `file://${ROOT}`).href);
const file = process.argv[2];
for (let i = 0; i < Number(process.argv[3] ?? 3); i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const cfg = await loadConfig({ configFile: file, cwd: dirname(file) });
  const u = process.cpuUsage(c);
  console.log(`load ${Object.keys(cfg.images).length} images: ${Math.round(performance.now() - t)} ms wall, ${Math.round((u.user + u.system) / 1000)} ms cpu`);
}
