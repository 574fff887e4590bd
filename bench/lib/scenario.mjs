// A benchmark world: both simulators started in this process (in memory: no statePath, so no
// JSON file is rewritten per change), a config pointing at them, and, for plan runs, N images
// created through the real driver code at zero latency with the state written once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './measure.mjs';

const dist = (p) => import(new URL(`dist/${p}`, `file://${ROOT}`).href);

export const VM_ID = 'i-f2f6a5b3'; // a VM of the Numspot simulator's default seed
export const SECRETS = { BENCH_NUTANIX_PASSWORD: 'bench-password', BENCH_NUMSPOT_SECRET: 'bench-secret' };

const pad = (i) => String(i).padStart(5, '0');

/** N images, half per cloud (Nutanix gets the odd one). */
export function imagesYaml(n) {
  const lines = [];
  const ntx = Math.ceil(n / 2);
  for (let i = 0; i < ntx; i++) {
    lines.push(`  n-${pad(i)}:`, '    provider: ntx', `    name: bench-n-${pad(i)}`, '    type: ISO_IMAGE', `    source: { url: http://images.example.com/bench/n-${pad(i)}.iso }`);
  }
  for (let i = 0; i < n - ntx; i++) lines.push(`  s-${pad(i)}:`, '    provider: ns', `    name: bench-s-${pad(i)}`, `    vm_id: ${VM_ID}`);
  return lines.join('\n');
}

export function configYaml(sims, n) {
  return [
    'version: 1',
    'state: { path: state.json }',
    'providers:',
    '  ntx:',
    '    driver: nutanix',
    `    endpoint: ${sims.nutanix.url}`,
    `    username: ${sims.nutanix.username}`,
    '    password: { env: BENCH_NUTANIX_PASSWORD }',
    '  ns:',
    '    driver: numspot',
    `    host: ${sims.numspot.url}`,
    `    space_id: ${sims.numspot.spaceId}`,
    `    client_id: ${sims.numspot.clientId}`,
    '    client_secret: { env: BENCH_NUMSPOT_SECRET }',
    'images:',
    imagesYaml(n),
    '',
  ].join('\n');
}

export async function startSims({ latencyMs = 0, taskMs = 0 }) {
  Object.assign(process.env, SECRETS);
  const { startNutanixSimulator } = await dist('simulators/nutanix/index.js');
  const { startNumspotSimulator } = await dist('simulators/numspot/index.js');
  const nutanix = await startNutanixSimulator({ password: SECRETS.BENCH_NUTANIX_PASSWORD, latencyMs, taskDurationMs: taskMs, seed: 1 });
  const numspot = await startNumspotSimulator({ clientSecret: SECRETS.BENCH_NUMSPOT_SECRET, latencyMs, pendingMs: taskMs, prngSeed: 1 });
  return {
    nutanix,
    numspot,
    /** Requests both simulators answered since the last call (the record is then dropped). */
    takeRequests() {
      return this.takeExchanges().reduce((n, p) => n + p.requests.length, 0);
    },
    /**
     * What each simulator was asked since the last call, as requests to send again (replay.mjs);
     * the record is then dropped.
     */
    takeExchanges() {
      const of = (sim) => ({
        base: sim.url,
        requests: sim.exchanges.map((e) => ({
          method: e.method,
          path: e.path,
          query: Object.entries(e.queryAll ?? Object.fromEntries(Object.entries(e.query).map(([k, v]) => [k, [v]]))).flatMap(([k, vs]) => vs.map((v) => [k, v])),
          headers: e.headers,
          ...(e.body !== undefined ? { body: e.body } : {}),
        })),
      });
      const providers = [of(nutanix), of(numspot)];
      nutanix.exchanges.length = 0;
      numspot.exchanges.length = 0;
      return providers;
    },
    setLatency(ms) {
      nutanix.setFaults({ latencyMs: ms });
      numspot.setFaults({ latencyMs: ms });
    },
    close: () => Promise.all([nutanix.close(), numspot.close()]),
  };
}

export function writeWorld(dir, sims, n) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'imagectl.yaml');
  writeFileSync(file, configYaml(sims, n));
  return file;
}

/**
 * Creates every image of the config through the real drivers (plan + applier in this process)
 * against zero-latency simulators, journaling to memory, then writes the state file once. The
 * result is what `apply` would leave, without N whole-file state writes.
 */
export async function seed(configFile, parallelism = 32) {
  const { loadConfig, resolveSecrets } = await dist('config/index.js');
  const { connectProviders } = await dist('providers/connect.js');
  const { makePlan } = await dist('plan-pipeline/make-plan.js');
  const { applyPlan } = await dist('apply/apply.js');
  const { Journal } = await dist('apply/journal.js');
  const { recoverPending } = await dist('recovery/recover.js');
  const { openStateStore } = await dist('state/index.js');
  const config = await loadConfig({ configFile, cwd: ROOT });
  const secrets = resolveSecrets(config);
  const store = openStateStore(resolve(config.dir, config.state.path));
  const state = await store.read();
  const names = [...new Set(Object.values(config.images).map((i) => i.provider))];
  const connected = await connectProviders(config, secrets.providers, names, { warn: () => {}, parallelism });
  const memory = { description: 'memory', read: async () => state, write: async (s) => s, lock: async () => undefined, unlock: async () => {} };
  const journal = new Journal(memory, state);
  const events = { emit() {} };
  const common = { sessions: connected.sessions, schemas: connected.schemas };
  try {
    // A loaded machine can reset a keep-alive socket under a POST, which is never retried blind:
    // recover what was journaled and go again, as the next `apply` would.
    let added = 0;
    for (let pass = 0; ; pass++) {
      const { plan, desired } = await makePlan({ config, state: journal.state, ...common, secrets: secrets.imageSecrets, parallelism });
      if (Object.keys(journal.state.pending).length > 0) {
        await recoverPending(journal, connected.sessions, desired, secrets.imageSecrets, events, connected.schemas);
        continue;
      }
      if (plan.summary.add === 0) break;
      if (pass >= 4) throw new Error(`seeding: ${plan.summary.add} images still missing after ${pass} passes`);
      const result = await applyPlan(plan, { secrets: secrets.imageSecrets, ...common, journal, parallelism, events });
      added += result.added;
    }
    await store.write(journal.state);
    return added;
  } finally {
    await connected.close();
  }
}
