// Builds the LoadedConfig from data that has passed every check: plain objects in, typed blocks
// out, each with its position for messages produced later (planner, lookups, drivers).
import * as path from 'node:path';
import { pluginSpec } from '../drivers/external/spec.js';
import { isObject, type JsonObject } from '../util/json.js';
import type { Validators } from './schema/validators.js';
import { configDigest } from './digest.js';
import { lazyProperties } from '../util/lazy.js';
import type { ParsedFile } from './yaml/parse.js';
import { collectPositions, posAt, type Path } from './yaml/positions.js';
import { asSecretRef, type ImageInfo } from './rules/refs.js';
import { COMMON_PROVIDER_KEYS } from './schema/compose.js';
import { postgresSettings, stateBackend } from './rules/state-block.js';
import type { DesiredImage, LoadedConfig, ProviderBlock, SecretRef, SourcePos } from './types.js';
import type { Lifecycle } from '../fields/lifecycle.js';

export const DEFAULT_STATE_PATH = '.imagectl/state.json';

/** Where a provider block sits: what its positions are found from. */
interface ProviderSource {
  pf: ParsedFile;
  name: string;
  keys: string[];
}

// Found in the YAML only when read, as for images: most loads never ask.
const providerPositions = lazyProperties({
  pos: (s: ProviderSource): SourcePos => posAt(s.pf, ['providers', s.name], { key: true }),
  positions: (s: ProviderSource): Record<string, SourcePos> =>
    Object.fromEntries(s.keys.map((key) => [key, posAt(s.pf, ['providers', s.name, key])])),
});

function providerBlocks(main: ParsedFile, root: JsonObject, v: Validators): Record<string, ProviderBlock> {
  const out: Record<string, ProviderBlock> = {};
  const providers = isObject(root['providers']) ? root['providers'] : {};
  for (const name of Object.keys(providers).sort()) {
    const block = providers[name];
    if (!isObject(block)) continue;
    const settings: JsonObject = {};
    const secrets: Record<string, SecretRef> = {};
    for (const [key, value] of Object.entries(block)) {
      if (COMMON_PROVIDER_KEYS.includes(key)) continue;
      settings[key] = value;
      const ref = asSecretRef(value);
      if (ref !== undefined) secrets[key] = ref;
    }
    const provider: Omit<ProviderBlock, 'pos' | 'positions'> = {
      name,
      // A plugin's provider goes by the driver name the plugin described (config/plugins.ts).
      driver: v.external[name] ?? String(block['driver']),
      simulator: block['simulator'] === true,
      settings,
      secrets,
    };
    out[name] = providerPositions(provider, { pf: main, name, keys: Object.keys(settings) });
    const plugin = pluginSpec(block['driver'], path.dirname(main.abs));
    if (plugin !== undefined) out[name].plugin = plugin;
  }
  return out;
}

/** Where an image sits: what its positions are found from. */
interface ImageSource {
  pf: ParsedFile;
  path: Path;
  fields: JsonObject;
}

// `pos` and `positions` are found in the YAML only when read: when something later goes wrong.
const withPositions = lazyProperties({
  pos: (s: ImageSource): SourcePos => posAt(s.pf, s.path, { key: true }),
  positions: (s: ImageSource): Record<string, SourcePos> => collectPositions(s.pf, s.path, s.fields),
});

function desiredImage(info: ImageInfo, lifecycle: Lifecycle): DesiredImage {
  const { entry } = info;
  const value = isObject(entry.value) ? entry.value : {};
  const image: Omit<DesiredImage, 'pos' | 'positions'> = {
    address: entry.address,
    provider: String(value['provider']),
    driver: info.driver ?? '',
    fields: info.fields,
    refs: info.uses.refs,
    lookups: info.uses.lookups,
    secrets: info.uses.secrets,
    depends_on: info.depends_on,
    lifecycle,
  };
  return withPositions(image, { pf: entry.pf, path: entry.path, fields: info.fields });
}

/** The local path always (migrate's other end); the postgres settings when a URL is given. */
function stateConfig(statePath: string, block: JsonObject): LoadedConfig['state'] {
  const pg = postgresSettings(block);
  return { path: statePath, ...(stateBackend(block) === 'postgres' ? { backend: 'postgres' as const } : {}), ...(pg ? { postgres: pg } : {}) };
}

export function assemble(input: {
  main: ParsedFile;
  validators: Validators;
  images: readonly { info: ImageInfo; lifecycle: Lifecycle }[];
  warnings: string[];
  files: string[];
}): LoadedConfig {
  const { main } = input;
  const root = isObject(main.value) ? main.value : {};
  const dir = path.dirname(main.abs);
  const state = isObject(root['state']) ? root['state'] : {};
  const statePath = path.resolve(dir, typeof state['path'] === 'string' ? state['path'] : DEFAULT_STATE_PATH);
  const providers = providerBlocks(main, root, input.validators);
  const images: Record<string, DesiredImage> = {};
  for (const { info, lifecycle } of input.images) images[info.entry.address] = desiredImage(info, lifecycle);
  const config: LoadedConfig = {
    file: main.abs,
    dir,
    version: 1,
    state: stateConfig(statePath, state),
    providers,
    images,
    digest: configDigest({ dir, statePath, providers, images }),
    warnings: input.warnings,
    files: input.files,
  };
  if (isObject(root['drift'])) config.drift = root['drift'];
  return config;
}
