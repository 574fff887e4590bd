// What a plugin provider must not find in its environment (drivers/external/env.ts applies it):
// the variables every other provider block and every other provider's image reads from, and
// the secret values they hold, under whatever name (a copy exported for another tool).
import type { LoadedConfig } from '../config/types.js';
import type { ProviderConfig } from '../drivers/contract.js';
import type { DriverSchema } from '../fields/schema.js';
import type { Withheld } from '../drivers/external/protocol.js';

export function othersSecrets(
  config: LoadedConfig,
  provider: string,
  resolved: Readonly<Record<string, ProviderConfig>>,
  schemaOf: (driver: string) => DriverSchema | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Withheld {
  const names = new Set<string>();
  const values = new Set<string>();
  for (const [name, block] of Object.entries(config.providers)) {
    if (name === provider) continue;
    // An undescribed driver's secret keys are unknown: every value it reads counts.
    const secretKeys = schemaOf(block.driver)?.provider_secrets ?? Object.keys(block.secrets);
    for (const [key, ref] of Object.entries(block.secrets)) {
      if ('env' in ref) names.add(ref.env);
      const value = resolved[name]?.settings[key];
      if (secretKeys.includes(key) && typeof value === 'string' && value !== '') values.add(value);
    }
  }
  for (const image of Object.values(config.images)) {
    if (image.provider === provider) continue;
    for (const use of image.secrets) {
      if (!('env' in use.ref)) continue;
      names.add(use.ref.env);
      const value = env[use.ref.env];
      if (value !== undefined && value !== '') values.add(value);
    }
  }
  // Its own provider's variables stay, even when another block reads the same one.
  for (const ref of Object.values(config.providers[provider]?.secrets ?? {})) if ('env' in ref) names.delete(ref.env);
  const own = resolved[provider]?.settings ?? {};
  for (const v of Object.values(own)) if (typeof v === 'string') values.delete(v);
  return { names: [...names], values: [...values] };
}
