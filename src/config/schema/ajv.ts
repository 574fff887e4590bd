// Every validator of the configuration, built once per process. The built-in schema (the
// composed configuration and the drivers' lookup queries) is compiled ahead of time into
// generated/config-validators.ts by `npm run gen:schemas` (ajv's standalone code): compiling it
// here cost ~80 ms CPU and loading ajv's compiler ~30 ms more, most of `imagectl validate`.
// ajv itself is loaded, synchronously and on first need, only for what cannot be known ahead:
// plugins' described schemas, and the anyOf branches explain.ts re-checks to word an error.
// A generated module that no longer matches the schemas in the source (a driver schema edited
// without regenerating) is never used: everything is compiled here instead, as before.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Driver } from '../../drivers/contract.js';
import { builtinDrivers } from '../../drivers/registry.js';
import type { JsonObject } from '../../util/json.js';
import { defsSchema } from './defs.js';
import { compiled as generated } from '../generated/config-validators.js';
import { CONFIG_SCHEMA_ID, composeConfigSchema, externalProviderDef, imageDef } from './compose.js';

/** A compiled validator: ajv's ValidateFunction, or the same code generated ahead of time. */
export interface Validate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

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

/** The built-in validators compiled ahead of time: what generated/config-validators.ts exports. */
export interface CompiledValidators {
  /** sourceDigest() of the schemas and options they were compiled from. */
  digest: string;
  root: Validate;
  includeFile: Validate;
  imageCommon: Validate;
  /** By driver name. */
  images: Readonly<Record<string, Validate>>;
  /** By driver name, then lookup kind. */
  lookups: Readonly<Record<string, Readonly<Record<string, Validate>>>>;
}

/** A described plugin schema that does not compile: reported at the providers using it. */
export class PluginSchemaError extends Error {
  constructor(readonly driver: string, message: string) {
    super(message);
  }
}

// verbose: errors carry parentSchema, which error pruning reads to tell anyOf branches apart.
// strict off: external drivers may use annotation keywords ajv does not know; logger off so
// nothing is ever printed from deep inside the config layer. validateSchema off: checking our
// own schemas against the 2020-12 meta-schema costs ~75 ms, so the test suite does it once
// instead (test/config/schema.test.ts). code.optimize off: ajv's pass over the generated code
// roughly doubles compile time; the unoptimised validators are as correct and fast enough for
// configs. The ahead-of-time code is generated with these same options.
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false, code: { optimize: false } } as const;

const require = createRequire(import.meta.url);

/**
 * A fresh Ajv knowing the shared defs and the composed built-in configuration schema (registered,
 * not compiled). `code` adds code-generation options (gen:schemas asks for standalone source).
 */
export function newAjv(code: { source?: boolean; esm?: boolean; lines?: boolean } = {}): Ajv2020 {
  // require, not import: explain.ts compiles a branch synchronously, in the middle of a check.
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, ...code } });
  addFormats.default(ajv);
  ajv.addSchema(defsSchema);
  ajv.addSchema(composeConfigSchema(builtinDrivers, 'runtime'));
  return ajv;
}

/** Everything the built-in validators are compiled from, as one JSON text. */
function compiledFrom(drivers: Readonly<Record<string, Driver>>): string {
  const lookups = Object.fromEntries(
    Object.entries(drivers).map(([n, d]) => [n, Object.fromEntries(Object.entries(d.schema.lookups).map(([k, l]) => [k, l.query_schema]))]),
  );
  return JSON.stringify({ options: AJV_OPTIONS, defs: defsSchema, config: composeConfigSchema(drivers, 'runtime'), lookups });
}

/** Fingerprint of what the built-in validators are compiled from: tells a stale generated module. */
export function sourceDigest(drivers: Readonly<Record<string, Driver>> = builtinDrivers): string {
  return createHash('sha256').update(compiledFrom(drivers)).digest('hex');
}

/** The built-in validators compiled now by `ajv` (from newAjv): what the generated module holds, lookups aside. */
export function compileBuiltins(ajv: Ajv2020): Omit<CompiledValidators, 'digest' | 'lookups'> {
  const get = (ref: string): Validate => {
    const v = ajv.getSchema(`${CONFIG_SCHEMA_ID}${ref}`);
    if (v === undefined) throw new Error(`internal: schema ${ref} missing`);
    return v;
  };
  const images = Object.fromEntries(Object.keys(builtinDrivers).map((n) => [n, get(`#/$defs/image-${n}`)]));
  return { root: get(''), includeFile: get('#/$defs/include-file'), imageCommon: get('#/$defs/image-common'), images };
}

let fresh: boolean | undefined;

/** The built-in validators: ahead of time when the generated module is fresh, compiled now otherwise. */
function builtins(ajv: () => Ajv2020): Omit<CompiledValidators, 'digest'> {
  fresh ??= generated.digest === sourceDigest();
  // Without it, lookup queries are compiled by compile() below when first used, as they always were.
  return fresh ? generated : { ...compileBuiltins(ajv()), lookups: {} };
}

let cached: Validators | undefined;

function build(plugins: Readonly<Record<string, Driver>> = {}, external: Readonly<Record<string, string>> = {}): Validators {
  let ajv: Ajv2020 | undefined;
  const runtime = (): Ajv2020 => (ajv ??= newAjv());
  const base = builtins(runtime);
  const images = new Map<string, Validate>(Object.entries(base.images));
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
    for (const [kind, l] of Object.entries(d.schema.lookups)) {
      const v = base.lookups[name]?.[kind];
      if (v !== undefined) compiled.set(l.query_schema, v);
    }
  }
  return {
    root: base.root,
    includeFile: base.includeFile,
    image: (driver) => images.get(driver) ?? base.imageCommon,
    imageCommon: base.imageCommon,
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

// While a configuration that uses plugins loads, its validators (built-ins plus the plugins'
// described schemas) are the ones every check sees, without threading them through each call.
const scope = new AsyncLocalStorage<Validators>();
const withPlugins = new Map<string, Validators>();

/** The validators of the configuration being loaded: the built-in drivers, plus plugins inside withPluginDrivers. */
export function validators(): Validators {
  const scoped = scope.getStore();
  if (scoped) return scoped;
  cached ??= build();
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
    v = build(plugins, external);
    withPlugins.set(key, v);
  }
  return scope.run(v, fn);
}
