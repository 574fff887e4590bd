// Every validator of a configuration, as one Validators value that the checks are given. The
// built-in schema (the composed configuration and the drivers' lookup queries) is built ahead of
// time by `npm run build` (CONFIG_BUNDLE, loaded by validators/built.ts). ajv itself is loaded,
// synchronously and on first need, only for what cannot be known ahead: plugins' described
// schemas, and the anyOf branches explain.ts re-checks to word an error.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Driver } from '../../drivers/contract.js';
import { builtinDrivers } from '../../drivers/registry.js';
import type { JsonObject } from '../../util/json.js';
import { newAjv } from '../../validators/ajv.js';
import { loadBuilt } from '../../validators/built.js';
import type { Validate, ValidatorBundle } from '../../validators/bundle.js';
import { defsSchema } from './defs.js';
import { CONFIG_SCHEMA_ID, composeConfigSchema, externalProviderDef, imageDef } from './compose.js';

export type { Validate } from '../../validators/bundle.js';

export interface Validators {
  root: Validate;
  includeFile: Validate;
  /** Image schema (with the common keys) per driver name. */
  image: (driver: string) => Validate;
  /** Used when the image's provider or driver is unknown. */
  imageCommon: Validate;
  /** A sub-schema compiled on its own (anyOf branches, lookup query schemas), cached by identity. */
  compile: (schema: JsonObject) => Validate | undefined;
  drivers: Readonly<Record<string, Driver>>;
  /** Providers served by an external plugin: provider name → the driver name it described. */
  external: Readonly<Record<string, string>>;
  /** Settings of a provider served by an external plugin, against the schema it described. */
  externalProvider: (driver: string) => Validate | undefined;
}

/** A described plugin schema that does not compile: reported at the providers using it. */
export class PluginSchemaError extends Error {
  constructor(readonly driver: string, message: string) {
    super(message);
  }
}

/** Export names of the built file. */
export const imageExport = (driver: string): string => `image/${driver}`;
export const lookupExport = (driver: string, kind: string): string => `lookup/${driver}/${kind}`;

/** The built-in configuration validators: what `npm run build` writes to dist/validators/config.cjs. */
export const CONFIG_BUNDLE: ValidatorBundle = {
  name: 'config',
  register(ajv) {
    ajv.addSchema(defsSchema);
    ajv.addSchema(composeConfigSchema(builtinDrivers, 'runtime'));
    const refs: Record<string, string> = {
      root: CONFIG_SCHEMA_ID,
      includeFile: `${CONFIG_SCHEMA_ID}#/$defs/include-file`,
      imageCommon: `${CONFIG_SCHEMA_ID}#/$defs/image-common`,
    };
    for (const [name, d] of Object.entries(builtinDrivers)) {
      refs[imageExport(name)] = `${CONFIG_SCHEMA_ID}#/$defs/image-${name}`;
      // Lookup queries are registered under an id of their own to be named.
      for (const [kind, l] of Object.entries(d.schema.lookups)) {
        const id = `imagectl-lookup-${name}-${kind}`;
        ajv.addSchema(l.query_schema, id);
        refs[lookupExport(name, kind)] = id;
      }
    }
    return refs;
  },
  sources: () => sourcesOf(builtinDrivers),
};

/** What the built-in validators are compiled from (exported for the test that a schema edit is seen). */
export function sourcesOf(drivers: Readonly<Record<string, Driver>>): unknown {
  const lookups = Object.fromEntries(
    Object.entries(drivers).map(([n, d]) => [n, Object.fromEntries(Object.entries(d.schema.lookups).map(([k, l]) => [k, l.query_schema]))]),
  );
  return { defs: defsSchema, config: composeConfigSchema(drivers, 'runtime'), lookups };
}

function build(plugins: Readonly<Record<string, Driver>>, external: Readonly<Record<string, string>>): Validators {
  const built = loadBuilt(CONFIG_BUNDLE);
  let ajv: Ajv2020 | undefined;
  const runtime = (): Ajv2020 => {
    if (ajv === undefined) {
      ajv = newAjv();
      CONFIG_BUNDLE.register(ajv); // plugin schemas and branches refer to the shared defs
    }
    return ajv;
  };
  const images = new Map<string, Validate>(Object.keys(builtinDrivers).map((n) => [n, built(imageExport(n))]));
  // Plugins' schemas stay out of the composed root (their `driver:` is an object, not a name).
  const providers = new Map<string, Validate>();
  for (const [name, d] of Object.entries(plugins)) {
    try {
      images.set(name, runtime().compile(imageDef(d)));
      providers.set(name, runtime().compile(externalProviderDef(d)));
    } catch (e) {
      throw new PluginSchemaError(name, e instanceof Error ? e.message : String(e));
    }
  }
  const compiled = new WeakMap<object, Validate | undefined>();
  for (const [name, d] of Object.entries(builtinDrivers)) {
    for (const [kind, l] of Object.entries(d.schema.lookups)) compiled.set(l.query_schema, built(lookupExport(name, kind)));
  }
  const imageCommon = built('imageCommon');
  return {
    root: built('root'),
    includeFile: built('includeFile'),
    image: (driver) => images.get(driver) ?? imageCommon,
    imageCommon,
    compile: (schema) => {
      if (!compiled.has(schema)) {
        let v: Validate | undefined;
        try {
          v = runtime().compile(schema);
        } catch {
          v = undefined; // a branch with a local $ref cannot stand alone: callers fall back to a generic message
        }
        compiled.set(schema, v);
      }
      return compiled.get(schema);
    },
    drivers: { ...builtinDrivers, ...plugins },
    external,
    externalProvider: (driver) => providers.get(driver),
  };
}

let builtins: Validators | undefined;
const withPlugins = new Map<string, Validators>();

/**
 * The validators of a configuration: the built-in drivers, plus the given plugin drivers (by
 * their described name) and which providers they serve. Built once per distinct set in the
 * process. Throws PluginSchemaError when a described schema does not compile.
 */
export function configValidators(plugins: Readonly<Record<string, Driver>> = {}, external: Readonly<Record<string, string>> = {}): Validators {
  if (Object.keys(external).length === 0) return (builtins ??= build({}, {}));
  const key = JSON.stringify([Object.entries(plugins).map(([n, d]) => [n, d.schema]), external]);
  let v = withPlugins.get(key);
  if (v === undefined) {
    v = build(plugins, external);
    withPlugins.set(key, v);
  }
  return v;
}
