// In-process simulators for providers declared with `simulator: true`: started for the run,
// persisted under the config's .imagectl/ folder so images survive between commands, and
// stopped at exit. This is how the quickstart works with no cloud account.
import { join } from 'node:path';
import type { JsonObject } from '../util/json.js';
import { faultsFromEnv } from './faults.js';
import type { startNumspotSimulator } from './numspot/index.js';
import type { startNutanixSimulator } from './nutanix/index.js';

export interface RunningSimulator {
  /** Settings that point the driver at the simulator (endpoint and the credentials it accepts). */
  settings: JsonObject;
  close(): Promise<void>;
}

type Starter = (name: string, dir: string, settings: JsonObject) => Promise<RunningSimulator>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const starters: Record<string, Starter> = {
  nutanix: async (name, dir, settings) => {
    const opts: Parameters<typeof startNutanixSimulator>[0] = {
      statePath: join(dir, '.imagectl', 'simulators', `${name}.nutanix.json`),
      taskDurationMs: 200,
      ...faultsFromEnv(),
    };
    const username = str(settings['username']);
    const password = str(settings['password']);
    if (username) opts.username = username;
    if (password) opts.password = password;
    // Each simulator is loaded only by a run that starts it: a run against a real cloud never does.
    const sim = await (await import('./nutanix/index.js')).startNutanixSimulator(opts);
    return { settings: { endpoint: sim.url, username: sim.username, password: sim.password }, close: () => sim.close() };
  },
  numspot: async (name, dir, settings) => {
    const opts: Parameters<typeof startNumspotSimulator>[0] = {
      statePath: join(dir, '.imagectl', 'simulators', `${name}.numspot.json`),
      pendingMs: 200,
    };
    const chaos = faultsFromEnv();
    if (chaos.faults) opts.faults = chaos.faults;
    if (chaos.seed !== undefined) opts.prngSeed = chaos.seed;
    const clientId = str(settings['client_id']);
    const clientSecret = str(settings['client_secret']);
    const spaceId = str(settings['space_id']);
    if (clientId) opts.clientId = clientId;
    if (clientSecret) opts.clientSecret = clientSecret;
    if (spaceId) opts.spaceId = spaceId;
    const sim = await (await import('./numspot/index.js')).startNumspotSimulator(opts);
    return { settings: { host: sim.url, client_id: sim.clientId, client_secret: sim.clientSecret, space_id: sim.spaceId }, close: () => sim.close() };
  },
};

export function hasSimulator(driver: string): boolean {
  return driver in starters;
}

export async function startSimulator(driver: string, name: string, dir: string, settings: JsonObject): Promise<RunningSimulator> {
  const start = starters[driver];
  if (!start) throw new Error(`driver '${driver}' has no simulator`);
  return start(name, dir, settings);
}
