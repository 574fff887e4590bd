// One Ajv instance and every compiled validator, built once per process: compiling is the slow
// part (tens of milliseconds), validating a small config afterwards is well under a millisecond.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Driver } from '../drivers/contract.js';
import { builtinDrivers } from '../drivers/registry.js';
import type { JsonObject } from '../util/json.js';
import { defsSchema } from './defs.js';
import { CONFIG_SCHEMA_ID, composeConfigSchema, externalProviderDef, imageDef } from './schema.js';

export interface Validators {
  ajv: Ajv2020;
  root: ValidateFunction;
  includeFile: ValidateFunction;
  /** Image schema (with the common keys) per driver name. */
  image: (driver: string) => ValidateFunction;
  /** Used when the image's provider or driver is unknown. */
  imageCommon: ValidateFunction;
  /** A sub-schema compiled on its own (anyOf branches, lookup query schemas), cached by identity. */
  compile: (schema: JsonObject) => ValidateFunction | undefined;
  drivers: Readonly<Record<string, Driver>>;
  /** Providers served by an external plugin: provider name → the driver name it described. */
  external: Readonly<Record<string, string>>;
  /** Settings of a provider served by an external plugin, against the schema it described. */
  externalProvider: (driver: string) => ValidateFunction | undefined;
}

/** A described plugin schema that does not compile: reported at the providers using it. */
export class PluginSchemaError extends Error {
  constructor(readonly driver: string, message: string) {
    super(message);
  }
}

let cached: Validators | undefined;

function build(drivers: Readonly<Record<string, Driver>>, plugins: Readonly<Record<string, Driver>> = {}, external: Readonly<Record<string, string>> = {}): Validators {
  // verbose: errors carry parentSchema, which error pruning reads to tell anyOf branches apart.
  // strict off: external drivers may use annotation keywords ajv does not know; logger off so
  // nothing is ever printed from deep inside the config layer. validateSchema off: checking our
  // own schemas against the 2020-12 meta-schema costs ~75 ms on every run, so the test suite does
  // it once instead (test/config/schema.test.ts). code.optimize off: ajv's pass over the generated
  // code roughly doubles compile time (about 80 of 165 ms CPU for the built-in schemas), which is
  // most of `imagectl validate`; the unoptimised validators are as correct and fast enough for configs.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false, code: { optimize: false } });
  addFormats.default(ajv);
  ajv.addSchema(defsSchema);
  ajv.addSchema(composeConfigSchema(drivers, 'runtime'));
  const get = (ref: string): ValidateFunction => {
    const v = ajv.getSchema(`${CONFIG_SCHEMA_ID}${ref}`);
    if (v === undefined) throw new Error(`internal: schema ${ref} missing`);
    return v;
  };
  const images = new Map<string, ValidateFunction>();
  for (const name of Object.keys(drivers)) images.set(name, get(`#/$defs/image-${name}`));
  // Plugins' schemas stay out of the composed root (their `driver:` is an object, not a name).
  const providers = new Map<string, ValidateFunction>();
  for (const [name, d] of Object.entries(plugins)) {
    try {
      images.set(name, ajv.compile(imageDef(d)));
      providers.set(name, ajv.compile(externalProviderDef(d)));
    } catch (e) {
      throw new PluginSchemaError(name, e instanceof Error ? e.message : String(e));
    }
  }
  const compiled = new WeakMap<object, ValidateFunction | undefined>();
  return {
    ajv,
    root: get(''),
    includeFile: get('#/$defs/include-file'),
    image: (driver) => images.get(driver) ?? get('#/$defs/image-common'),
    imageCommon: get('#/$defs/image-common'),
    compile: (schema) => {
      if (!compiled.has(schema)) {
        let v: ValidateFunction | undefined;
        try {
          v = ajv.compile(schema);
        } catch {
          v = undefined; // a branch with a local $ref cannot stand alone: callers fall back to a generic message
        }
        compiled.set(schema, v);
      }
      return compiled.get(schema);
    },
    drivers: { ...drivers, ...plugins },
    external,
    externalProvider: (driver) => providers.get(driver),
  };
}

// While a configuration that uses plugins loads, its validators (built-ins plus the plugins'
// described schemas) are the ones every check sees, without threading them through each call.
const scope = new AsyncLocalStorage<Validators>();
const withPlugins = new Map<string, Validators>();

/** The validators of the configuration being loaded: the built-in drivers, plus plugins inside withPluginDrivers. */
export function validators(): Validators {
  const scoped = scope.getStore();
  if (scoped) return scoped;
  cached ??= build(builtinDrivers);
  return cached;
}

/**
 * Runs `fn` with validators that also know the given plugin drivers (by their described name)
 * and which providers they serve. Built once per distinct set in the process. Throws
 * PluginSchemaError when a described schema does not compile.
 */
export function withPluginDrivers<T>(plugins: Readonly<Record<string, Driver>>, external: Readonly<Record<string, string>>, fn: () => T): T {
  if (Object.keys(external).length === 0) return fn();
  const key = JSON.stringify([Object.entries(plugins).map(([n, d]) => [n, d.schema]), external]);
  let v = withPlugins.get(key);
  if (!v) {
    v = build(builtinDrivers, plugins, external);
    withPlugins.set(key, v);
  }
  return scope.run(v, fn);
}
