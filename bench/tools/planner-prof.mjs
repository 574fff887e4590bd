// Profiling helper: loads a world's config and state (as bench/core.mjs does), then profiles one
// cold plan() call alone with the inspector and writes /tmp/planner.cpuprofile.
// Usage: node bench/tools/planner-prof.mjs DIR
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { loadConfig, LocalStateStore, plan, prepareDesired, resolveSecrets, schemasOf } from '../lib/core-modules.mjs';

const dir = process.argv[2];
const config = await loadConfig({ configFile: join(dir, 'imagectl.yaml'), cwd: dir });
const state = await new LocalStateStore(join(dir, 'state.json'), { backups: 0 }).read();
const desired = await prepareDesired(config, {}, state, resolveSecrets(config).imageSecrets);
const observed = {};
for (const r of Object.values(state.resources)) observed[r.address] = { status: 'found', image: { id: r.id, name: String(r.attributes.name), attributes: r.attributes, ...(r.etag ? { etag: r.etag } : {}) } };
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const c = process.cpuUsage();
plan({ desired, state, observed, schemas: schemasOf(), now: new Date().toISOString(), config_digest: config.digest });
const u = process.cpuUsage(c);
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/planner.cpuprofile', JSON.stringify(profile));
console.log(`plan: ${Math.round((u.user + u.system) / 1000)} ms cpu`);
