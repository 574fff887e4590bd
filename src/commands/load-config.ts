// The CLI's config loading: the configuration the flags (-c) name.
// Apart from run.ts so that `validate` does not import what plan/apply need (state store,
// drivers' sessions, simulators).
import { loadConfig } from '../config/index.js';
import type { LoadedConfig } from '../config/types.js';
import { str, type Parsed } from './args.js';

export async function loadFromFlags(p: Parsed): Promise<LoadedConfig> {
  const configFile = str(p, 'config');
  return loadConfig(configFile === undefined ? { cwd: process.cwd() } : { configFile, cwd: process.cwd() });
}
