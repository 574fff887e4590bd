// One Ajv instance and every compiled validator, built once per process: compiling is the slow
// part (tens of milliseconds), validating a small config afterwards is well under a millisecond.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Driver } from '../drivers/contract.js';
import { builtinDrivers } from '../drivers/registry.js';
import type { JsonObject } from '../util/json.js';
import { defsSchema } from './defs.js';
import { CONFIG_SCHEMA_ID, composeConfigSchema } from './schema.js';

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
}

let cached: Validators | undefined;

function build(drivers: Readonly<Record<string, Driver>>): Validators {
  // verbose: errors carry parentSchema, which error pruning reads to tell anyOf branches apart.
  // strict off: external drivers may use annotation keywords ajv does not know; logger off so
  // nothing is ever printed from deep inside the config layer. validateSchema off: checking our
  // own schemas against the 2020-12 meta-schema costs ~75 ms on every run, so the test suite does
  // it once instead (test/config/schema.test.ts).
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false });
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
    drivers,
  };
}

/** The process-wide validators for the built-in drivers. */
export function validators(): Validators {
  cached ??= build(builtinDrivers);
  return cached;
}
