// Connecting the providers a run needs: secrets resolved in memory, simulators started for
// `simulator: true`, one driver session each, all closed together at the end.
import type { LoadedConfig } from '../config/types.js';
import { DriverError, type Driver, type DriverEnv, type DriverSession, type ProviderConfig } from '../drivers/contract.js';
import type { DriverSchema } from '../fields/schema.js';
import { builtinDrivers } from '../drivers/registry.js';
import { startSimulator, type RunningSimulator } from '../simulators/registry.js';
import type { StateFile } from '../state/types.js';
import { ImagectlError } from '../util/errors.js';
import { othersSecrets } from './plugin-secrets.js';

export interface Connected {
  sessions: Record<string, DriverSession>;
  schemas: Record<string, DriverSchema>;
  close(): Promise<void>;
}

/**
 * The providers a run must connect: those the configuration's images use and those the state
 * still holds images on (a deposed image may live on the provider its address moved away from,
 * an interrupted operation on one no image uses any more).
 */
export function providersInUse(config: Pick<LoadedConfig, 'images'>, state: StateFile): string[] {
  return [...new Set([
    ...Object.values(config.images).map((i) => i.provider),
    ...Object.values(state.resources).map((r) => r.provider),
    ...Object.values(state.resources).flatMap((r) => (r.deposed ?? []).map((d) => d.provider)),
    ...Object.values(state.pending).map((i) => i.provider),
  ])];
}

export function schemasOf(): Record<string, DriverSchema> {
  return Object.fromEntries(Object.entries(builtinDrivers).map(([k, d]) => [k, d.schema]));
}

export async function connectProviders(
  config: LoadedConfig,
  resolved: Readonly<Record<string, ProviderConfig>>,
  names: readonly string[],
  env: DriverEnv,
  imageSecrets: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): Promise<Connected> {
  const sessions: Record<string, DriverSession> = {};
  const schemas = schemasOf();
  const sims: RunningSimulator[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(Object.values(sessions).map((s) => s.close()));
    await Promise.allSettled(sims.map((s) => s.close()));
  };
  let connecting = '';
  try {
    for (const name of [...new Set(names)].sort()) {
      connecting = name;
      const block = config.providers[name];
      const provider = resolved[name];
      if (!block || !provider) throw new ImagectlError('PROVIDER_UNKNOWN', `provider '${name}' is used by the state but not declared in ${config.file}`);
      // A plugin was described while the config loaded: this reuses that answer (drivers/external).
      // The plugin host (execa and its helpers) is loaded only for a config that uses one.
      const external = block.plugin ? await import('../drivers/external/index.js') : undefined;
      const plugin = block.plugin && external ? external.withholding(block.plugin, othersSecrets(config, name, resolved, (d) => schemas[d])) : undefined;
      const driver: Driver | undefined = plugin && external ? await external.loadExternalDriver(plugin) : builtinDrivers[block.driver];
      if (!driver) throw new ImagectlError('DRIVER_UNKNOWN', `provider '${name}': unknown driver '${block.driver}'`);
      schemas[driver.schema.driver] = driver.schema;
      let settings = provider.settings;
      if (block.simulator) {
        const sim = await startSimulator(block.driver, name, config.dir, settings);
        sims.push(sim);
        settings = { ...settings, ...sim.settings };
      }
      const secrets = Object.entries(imageSecrets).flatMap(([address, values]) => (config.images[address]?.provider === name ? Object.values(values) : []));
      sessions[name] = await driver.connect({ ...provider, settings }, { ...env, secrets });
    }
  } catch (e) {
    await close();
    // Refused credentials or a plugin that would not start: the user's to fix, not a crash.
    if (e instanceof DriverError) throw new ImagectlError('PROVIDER_CONNECT', `provider '${connecting}': ${e.message}`, { origin: 'cloud', cause: e });
    throw e;
  }
  return { sessions, schemas, close };
}
