// Providers served by external driver plugins (`driver: {command: [...]}`). Their schemas are
// only known by asking the plugin, so loading starts each distinct plugin once for `hello` and
// `describe` and stops it again: no `configure`, no `list`, so `imagectl validate` still talks
// to no cloud. The described driver then validates its providers and images exactly like a
// built-in one (configValidators in config/schema/validators.ts). Answers are cached for the process, so the
// run that follows (plan, apply) connects without describing again.
import * as path from 'node:path';
import type { Driver } from '../../drivers/contract.js';
import type { PluginSpec, Withheld } from '../../drivers/external/protocol.js';
import { pluginSpec } from '../../drivers/external/spec.js';
import { builtinDrivers } from '../../drivers/registry.js';
import { errorMessage } from '../../util/errors.js';
import { isObject, type JsonObject } from '../../util/json.js';
import { PluginSchemaError, configValidators, type Validators } from '../schema/validators.js';
import { displayPath, type Diagnostics } from '../diagnostics.js';
import { explain } from '../schema/explain.js';
import type { ParsedFile } from '../yaml/parse.js';
import { posAt } from '../yaml/positions.js';
import { asSecretRef } from './refs.js';
import { report } from '../schema/validate.js';

export interface DescribedPlugins {
  /** By described driver name. */
  drivers: Record<string, Driver>;
  /** Provider name → described driver name. */
  external: Record<string, string>;
}

/** Every `{env: NAME}` in a parsed value: where the configuration reads settings and secrets from. */
function envRefs(v: unknown, out: Set<string> = new Set()): Set<string> {
  const ref = asSecretRef(v);
  if (ref !== undefined && 'env' in ref) out.add(ref.env);
  else if (Array.isArray(v)) for (const x of v) envRefs(x, out);
  else if (isObject(v)) for (const x of Object.values(v)) envRefs(x, out);
  return out;
}

/**
 * `describe` needs nothing from the configuration: the plugin starts without any variable it
 * names, nor any secret value under another name (images' refs and the built-in drivers' secret
 * keys; every ref of a plugin block, whose secret keys are not known yet).
 */
function describeWithheld(root: unknown, providers: JsonObject): Withheld {
  const names = [...envRefs(root)];
  const secretVars = isObject(root) ? envRefs(root['images']) : new Set<string>();
  for (const block of Object.values(providers)) {
    if (!isObject(block)) continue;
    const driver = typeof block['driver'] === 'string' ? builtinDrivers[block['driver']] : undefined;
    const keys = driver ? driver.schema.provider_secrets : Object.keys(block);
    for (const k of keys) envRefs(block[k], secretVars);
  }
  const values = [...secretVars].flatMap((n) => process.env[n] ?? []);
  return { names, values };
}

function pluginProviders(main: ParsedFile, diags: Diagnostics): { name: string; spec: PluginSpec }[] {
  const providers = isObject(main.value) && isObject(main.value['providers']) ? main.value['providers'] : {};
  const out: { name: string; spec: PluginSpec }[] = [];
  const withheld = describeWithheld(main.value, providers);
  for (const [name, block] of Object.entries(providers)) {
    if (!isObject(block) || !isObject(block['driver'])) continue;
    const found = pluginSpec(block['driver'], path.dirname(main.abs));
    const spec: PluginSpec | undefined = found === undefined ? undefined : { ...found, withhold: withheld };
    if (spec === undefined) continue; // the schema says what is wrong with the driver object
    if (block['simulator'] === true) {
      const at = ['providers', name, 'simulator'];
      diags.add(posAt(main, at), `${displayPath(at)}: simulators exist only for the built-in drivers, not for plugins`);
    }
    out.push({ name, spec });
  }
  return out;
}

/** Starts every plugin the configuration names for `describe`; a failure is a diagnostic at its `driver:`. */
export async function describePlugins(main: ParsedFile, diags: Diagnostics): Promise<DescribedPlugins> {
  const found = pluginProviders(main, diags);
  const out: DescribedPlugins = { drivers: {}, external: {} };
  if (found.length === 0) return out;
  // The plugin runner (execa) loads only when a plugin is named: it is ~80 ms of start-up.
  const { loadExternalDriver } = await import('../../drivers/external/index.js');
  const answers = await Promise.all(found.map((f) => loadExternalDriver(f.spec).then((d) => d, (e: unknown) => new Error(errorMessage(e)))));
  const labels = new Map<string, string>();
  found.forEach(({ name, spec }, i) => {
    const at = ['providers', name, 'driver'];
    const fail = (message: string): void => diags.add(posAt(main, at, { key: true }), `${displayPath(at)}: ${message}`);
    const d = answers[i];
    if (d === undefined || d instanceof Error) return fail(d?.message ?? 'no answer');
    const n = d.schema.driver;
    if (n in builtinDrivers) return fail(`plugin (${spec.label}) calls itself '${n}', the name of a built-in driver; a plugin needs a name of its own`);
    const other = labels.get(n);
    // The name is what state records for each image: it must mean one plugin.
    if (other !== undefined && other !== spec.label) return fail(`plugins (${other}) and (${spec.label}) both call themselves '${n}'`);
    labels.set(n, spec.label);
    out.drivers[n] = d;
    out.external[name] = n;
  });
  return out;
}

/** The settings of each plugin-served provider against the provider schema its plugin described. */
export function validatePluginProviders(main: ParsedFile, v: Validators, diags: Diagnostics): void {
  const providers = isObject(main.value) && isObject(main.value['providers']) ? main.value['providers'] : {};
  for (const [name, driver] of Object.entries(v.external)) {
    const validate = v.externalProvider(driver);
    const block = providers[name];
    if (validate === undefined || !isObject(block) || validate(block)) continue;
    report(diags, main, explain(validate.errors ?? [], v, ['providers', name]));
  }
}

/**
 * The validators for the rest of loading: the built-in ones plus the described plugins'. A plugin
 * whose described schema does not compile is reported at each provider that uses it.
 */
export function pluginValidators(main: ParsedFile, plugins: DescribedPlugins, diags: Diagnostics): Validators {
  try {
    return configValidators(plugins.drivers, plugins.external);
  } catch (e) {
    if (!(e instanceof PluginSchemaError)) throw e;
    for (const [name, driver] of Object.entries(plugins.external)) {
      if (driver !== e.driver) continue;
      const at = ['providers', name, 'driver'];
      diags.add(posAt(main, at, { key: true }), `${displayPath(at)}: plugin '${driver}' described a schema that is not valid JSON Schema: ${e.message}`);
    }
    diags.throwIfAny();
    throw e;
  }
}

