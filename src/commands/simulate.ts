// Command `imagectl simulate`: serve the cloud simulators on loopback for users' own CI and demos.
import { resolve, join } from 'node:path';
import { startNutanixSimulator } from '../simulators/nutanix/index.js';
import { DEFAULT_CLUSTERS } from '../simulators/nutanix/clusters.js';
import { printableSeed, startNumspotSimulator } from '../simulators/numspot/index.js';
import { FAULT_FLAGS, faultsFromFlags } from '../simulators/faults.js';
import { intFlag, parseArgs, str } from './args.js';
import type { Io } from './io.js';
import { ImagectlError } from '../util/errors.js';

const FLAGS = {
  values: [
    'nutanix-port', 'numspot-port', 'state-dir', 'latency-ms', 'task-duration-ms', 'pending-ms',
    'nutanix-username', 'nutanix-password', 'numspot-client-id', 'numspot-client-secret', 'numspot-space-id', 'numspot-api-version',
    'seed', ...Object.keys(FAULT_FLAGS),
  ],
  booleans: [],
};

function pick<T extends object>(entries: [keyof T, string | undefined][]): Partial<T> {
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function simulateCommand(argv: readonly string[], io: Io, until?: Promise<void>): Promise<number> {
  const p = parseArgs(argv, FLAGS);
  const dir = str(p, 'state-dir');
  const latencyMs = intFlag(p, 'latency-ms', 0, 0);
  let faults;
  try {
    faults = faultsFromFlags(Object.fromEntries(Object.keys(FAULT_FLAGS).map((f) => [f, str(p, f)])));
  } catch (e) {
    throw new ImagectlError('USAGE', e instanceof Error ? e.message : String(e));
  }
  const seed = str(p, 'seed') === undefined ? undefined : intFlag(p, 'seed', 0, 0);
  // Same faults for both clouds; each reads the cloud-level ones of its own API.
  const chaos = { ...(faults ? { faults } : {}), ...(seed === undefined ? {} : { seed }) };
  const nutanix = await startNutanixSimulator({
    port: intFlag(p, 'nutanix-port', 0, 0),
    latencyMs,
    taskDurationMs: intFlag(p, 'task-duration-ms', 300, 0),
    ...chaos,
    ...(dir === undefined ? {} : { statePath: join(resolve(dir), 'nutanix.json') }),
    ...pick<{ username: string; password: string }>([['username', str(p, 'nutanix-username')], ['password', str(p, 'nutanix-password')]]),
  });
  const api = str(p, 'numspot-api-version');
  const numspot = await startNumspotSimulator({
    port: intFlag(p, 'numspot-port', 0, 0),
    latencyMs,
    pendingMs: intFlag(p, 'pending-ms', 500, 0),
    ...(faults ? { faults } : {}),
    ...(seed === undefined ? {} : { prngSeed: seed }),
    ...(dir === undefined ? {} : { statePath: join(resolve(dir), 'numspot.json') }),
    ...(api === '2026-06' || api === '2026-02' ? { apiVersion: api } : {}),
    ...pick<{ clientId: string; clientSecret: string; spaceId: string }>([
      ['clientId', str(p, 'numspot-client-id')], ['clientSecret', str(p, 'numspot-client-secret')], ['spaceId', str(p, 'numspot-space-id')],
    ]),
  });
  io.out(`Nutanix Prism Central simulator: ${nutanix.url}\n  username: ${nutanix.username}\n  password: ${nutanix.password}\n`);
  io.out(`  clusters (for {lookup: cluster, name: ...}): ${DEFAULT_CLUSTERS.map((c) => `${c.name} (${c.extId})`).join(', ')}\n`);
  io.out(`Numspot simulator: ${numspot.url}\n  client_id: ${numspot.clientId}\n  client_secret: ${numspot.clientSecret}\n  space_id: ${numspot.spaceId}\n`);
  for (const line of printableSeed(numspot.seed)) io.out(`  ${line}\n`);
  if (faults) io.out(`Faults: ${Object.entries(faults).map(([k, v]) => `${k}=${String(v)}`).join(', ')}${seed === undefined ? '' : ` (seed ${seed})`}\n`);
  io.out(`State: ${dir === undefined ? 'in memory' : resolve(dir)}\nPress Ctrl-C to stop.\n`);
  await (until ?? new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  }));
  await Promise.all([nutanix.close(), numspot.close()]);
  return 0;
}
