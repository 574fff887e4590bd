// The cheap core alone, in its own process: state read (parse + schema check), the pure planner,
// and state writes (a first full write, then one incremental write as the applier does), for
// the config and state of a seeded plan world. Prints one JSON line. Usage: node bench/core.mjs DIR
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, LocalStateStore, plan, prepareDesired, resolveSecrets, schemasOf } from './lib/core-modules.mjs';

const dir = process.argv[2];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = async (fn) => {
  const c = cpu();
  const w = performance.now();
  const value = await fn();
  return { value, cpuMs: cpu() - c, wallMs: performance.now() - w };
};

const cfg = await timed(() => loadConfig({ configFile: join(dir, 'imagectl.yaml'), cwd: dir }));
const config = cfg.value;
const secrets = resolveSecrets(config);
const statePath = join(dir, 'state.json');
const read = await timed(() => new LocalStateStore(statePath, { backups: 0 }).read());
const state = read.value;
const desired = await timed(() => prepareDesired(config, {}, state, secrets.imageSecrets));
const observed = {};
for (const r of Object.values(state.resources)) {
  const image = { id: r.id, name: String(r.attributes.name ?? r.address), attributes: r.attributes };
  if (r.etag !== undefined) image.etag = r.etag;
  observed[r.address] = { status: 'found', image };
}
const planned = await timed(() =>
  plan({ desired: desired.value, state, observed, schemas: schemasOf(), now: new Date().toISOString(), config_digest: config.digest }),
);
const copy = join(dir, 'core-copy.json');
copyFileSync(statePath, copy);
const store = new LocalStateStore(copy, { backups: 0 });
// As the applier does: the next state is built from the one this store read, one entry changed.
const current = await store.read();
const first = Object.values(current.resources)[0];
// A first write of a new file: left over from an earlier run, the file would make this write
// read it back and compare every entry (and the figure would depend on how many runs came before).
const fresh = join(dir, 'core-fresh.json');
rmSync(fresh, { force: true });
const full = await timed(() => new LocalStateStore(fresh, { backups: 0 }).write(state));
const one = await timed(() => store.write({ ...current, resources: { ...current.resources, [first.address]: { ...first, updated_at: new Date().toISOString() } } }));
const changes = planned.value.changes.filter((c) => c.action !== 'no-op').length;
console.log(JSON.stringify({
  images: Object.keys(state.resources).length,
  changes,
  configLoad: cfg.cpuMs,
  stateRead: read.cpuMs,
  desired: desired.cpuMs,
  planner: planned.cpuMs,
  writeFull: full.cpuMs,
  writeOne: one.cpuMs,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}));
