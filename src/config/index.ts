// The configuration layer's entry point: find, parse, validate, merge, check references and
// secrets, and hand back a LoadedConfig, or throw a ConfigError carrying every problem found.
// Only ImagectlError (and its ConfigError) ever leaves this function.
import { FileTooLargeError, LIMITS, readText } from '../util/bounded-read.js';
import * as path from 'node:path';
import { ImagectlError, errorMessage } from '../util/errors.js';
import { isObject, type JsonObject } from '../util/json.js';
import { assemble } from './assemble.js';
import { Diagnostics } from './diagnostics.js';
import { discoverConfig } from './yaml/discover.js';
import { collectImages } from './rules/include.js';
import { normaliseLifecycle } from './rules/lifecycle.js';
import { parseYaml, type ParsedFile } from './yaml/parse.js';
import { describePlugins, pluginValidators, validatePluginProviders } from './rules/plugins.js';
import { checkReferences, collectUses, type ImageInfo } from './rules/refs.js';
import { checkImageSecrets, checkProviderSecrets } from './rules/secrets.js';
import type { LoadedConfig } from './types.js';
import type { Validators } from './schema/validators.js';
import { imageFields, providerDrivers, validateImage, validateRoot, type ImageEntry } from './schema/validate.js';

export type { LoadedConfig } from './types.js';
export { resolveSecrets, type ResolvedSecrets } from './rules/secrets.js';
export { discoverConfig, SEARCH_PLACES } from './yaml/discover.js';

export interface LoadOptions {
  /** `-c FILE`, relative to cwd. */
  configFile?: string;
  cwd: string;
}

/** Paths in messages: relative to the working directory when inside it, absolute otherwise. */
function displayName(cwd: string): (abs: string) => string {
  return (abs) => {
    const rel = path.relative(cwd, abs);
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  };
}

function imageInfo(e: ImageEntry, drivers: ReadonlyMap<string, string>): ImageInfo {
  const value: JsonObject = isObject(e.value) ? e.value : {};
  const provider = value['provider'];
  const fields = imageFields(value);
  const deps = value['depends_on'];
  return {
    entry: e,
    driver: typeof provider === 'string' ? drivers.get(provider) : undefined,
    fields,
    uses: collectUses(fields, e.pf, e.path),
    depends_on: Array.isArray(deps) ? deps.filter((d): d is string => typeof d === 'string') : [],
  };
}

async function load(opts: LoadOptions): Promise<LoadedConfig> {
  const abs = await discoverConfig(opts);
  const display = displayName(opts.cwd);
  let text: string;
  try {
    // Bounded: a huge file is refused before parsing (a 50 MB scalar took 25 s and 1.7 GB).
    text = await readText(abs, LIMITS.config, display(abs));
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new ImagectlError('CONFIG_UNREADABLE', e.message);
    throw new ImagectlError('CONFIG_UNREADABLE', `cannot read ${display(abs)}: ${errorMessage(e)}`);
  }
  const diags = new Diagnostics();
  const { parsed: main, warnings } = parseYaml(abs, display(abs), text, diags);
  // With broken syntax the structure is guesswork: report the syntax errors alone.
  diags.throwIfAny();
  const plugins = await describePlugins(main, diags);
  return validateAll(main, pluginValidators(main, plugins, diags), display, diags, warnings);
}

/** Everything after parsing, with `v`: validators that know the described plugins. */
async function validateAll(main: ParsedFile, v: Validators, display: (abs: string) => string, diags: Diagnostics, warnings: string[]): Promise<LoadedConfig> {
  validateRoot(main, v, diags);
  validatePluginProviders(main, v, diags);
  const { entries, files } = await collectImages(main, v, display, diags, warnings);
  const drivers = providerDrivers(main.value, v);
  const providers = isObject(main.value) && isObject(main.value['providers']) ? main.value['providers'] : {};
  const declared = new Set(Object.keys(providers));
  checkProviderSecrets(main, drivers, v, diags);
  // One pass per image, its fields split off once (diagnostics are sorted before they are shown).
  const infos = entries.map((e) => imageInfo(e, drivers));
  for (const info of infos) {
    validateImage(info.entry, info.fields, declared, drivers, v, diags);
    checkImageSecrets(info, v, diags);
  }
  checkReferences(infos, v, diags);
  const allowsDuplicates = (info: (typeof infos)[number]): boolean => {
    const block = isObject(info.entry.value) ? providers[String(info.entry.value['provider'])] : undefined;
    return isObject(block) && block['allow_duplicate_names'] === true;
  };
  const images = infos.map((info) => ({ info, lifecycle: normaliseLifecycle(info, v, diags, allowsDuplicates(info)) }));
  diags.throwIfAny();
  return assemble({ main, validators: v, images, warnings, files });
}

/**
 * Finds (or takes `-c FILE`), parses and validates the configuration and its included files.
 * Throws ConfigError with every positioned problem, or ImagectlError (no file, unreadable file).
 * Secrets are not read here: see resolveSecrets.
 */
export async function loadConfig(opts: LoadOptions): Promise<LoadedConfig> {
  try {
    return await load(opts);
  } catch (e) {
    if (e instanceof ImagectlError) throw e;
    // A bug of ours, not the user's: still no stack trace on their terminal (cause keeps it).
    throw new ImagectlError('CONFIG_INTERNAL', `internal error while loading the configuration: ${errorMessage(e)}`, {
      origin: 'internal',
      cause: e,
    });
  }
}
