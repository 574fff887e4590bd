// An external driver as the rest of imagectl sees it: a Driver like the built-in ones, whose
// schema came from the plugin's `describe` and whose connect starts the plugin (once per
// provider per run), hands it the provider settings with secrets resolved, and returns a
// session that stops the plugin on close.
import type { Driver, DriverEnv, DriverSession, ProviderConfig } from '../contract.js';
import type { DriverSchema } from '../../fields/schema.js';
import { describePlugin, startPlugin } from './handshake.js';
import type { PluginSpec } from './protocol.js';
import { ExternalSession } from './session.js';

async function connect(spec: PluginSpec, schema: DriverSchema, provider: ProviderConfig, env: DriverEnv): Promise<DriverSession> {
  const proc = await startPlugin(spec);
  try {
    for (const key of schema.provider_secrets) proc.scrubber.add(provider.settings[key]);
    // Known before any read: a secret echoed back in an image is refused even in a run that sends none.
    for (const value of env.secrets ?? []) proc.scrubber.add(value);
    await proc.call('configure', { provider: provider.name, settings: provider.settings, parallelism: env.parallelism });
    return new ExternalSession(proc, schema);
  } catch (e) {
    await proc.stop();
    throw e;
  }
}

export function externalDriver(spec: PluginSpec, schema: DriverSchema): Driver {
  return { schema, connect: (provider, env) => connect(spec, schema, provider, env) };
}

/** Describes the plugin (or reuses this process's earlier answer) and wraps it as a Driver. */
export async function loadExternalDriver(spec: PluginSpec): Promise<Driver> {
  return externalDriver(spec, await describePlugin(spec));
}
