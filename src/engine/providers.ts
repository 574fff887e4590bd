// Connecting the providers a run needs: secrets resolved in memory, simulators started for
// `simulator: true`, one driver session each, all closed together at the end.
import type { LoadedConfig } from '../config/types.js';
import type { DriverEnv, DriverSchema, DriverSession, ProviderConfig } from '../drivers/contract.js';
import { builtinDrivers } from '../drivers/registry.js';
import { startSimulator, type RunningSimulator } from '../simulators/registry.js';
import { ImagectlError } from '../util/errors.js';

export interface Connected {
  sessions: Record<string, DriverSession>;
  schemas: Record<string, DriverSchema>;
  close(): Promise<void>;
}

export function schemasOf(): Record<string, DriverSchema> {
  return Object.fromEntries(Object.entries(builtinDrivers).map(([k, d]) => [k, d.schema]));
}

export async function connectProviders(
  config: LoadedConfig,
  resolved: Readonly<Record<string, ProviderConfig>>,
  names: readonly string[],
  env: DriverEnv,
): Promise<Connected> {
  const sessions: Record<string, DriverSession> = {};
  const sims: RunningSimulator[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(Object.values(sessions).map((s) => s.close()));
    await Promise.allSettled(sims.map((s) => s.close()));
  };
  try {
    for (const name of [...new Set(names)].sort()) {
      const block = config.providers[name];
      const provider = resolved[name];
      if (!block || !provider) throw new ImagectlError('PROVIDER_UNKNOWN', `provider '${name}' is used by the state but not declared in ${config.file}`);
      const driver = builtinDrivers[block.driver];
      if (!driver) throw new ImagectlError('DRIVER_UNKNOWN', `provider '${name}': unknown driver '${block.driver}'`);
      let settings = provider.settings;
      if (block.simulator) {
        const sim = await startSimulator(block.driver, name, config.dir, settings);
        sims.push(sim);
        settings = { ...settings, ...sim.settings };
      }
      sessions[name] = await driver.connect({ ...provider, settings }, env);
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { sessions, schemas: schemasOf(), close };
}
