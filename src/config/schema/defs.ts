// Shared JSON Schema definitions that driver schemas point at with
// `{"$ref": "imagectl-defs#/$defs/ref"}` and friends, so references, lookups and secret
// references are written the same way for every driver.
import type { JsonObject } from '../../util/json.js';

export const DEFS_ID = 'imagectl-defs';

/** Addresses are YAML keys: no dots, so `ADDRESS.ATTRIBUTE` splits without ambiguity. */
export const ADDRESS_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]*$';

/**
 * Names every JavaScript object already has (`constructor`, `toString`...) that ADDRESS_PATTERN
 * would let through. Addresses and provider names key plain objects all the way from the config
 * to the state, so one of these read back the inherited member instead of nothing: an image
 * called `constructor` crashed the planner. Refused once here rather than guarded at every lookup.
 */
export const RESERVED_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype)
  .filter((n) => new RegExp(ADDRESS_PATTERN).test(n))
  .sort();

export const defsSchema: JsonObject = {
  $id: DEFS_ID,
  $defs: {
    ref: {
      type: 'object',
      description: 'A value taken from another image after it is applied: {ref: ADDRESS.ATTRIBUTE}',
      required: ['ref'],
      additionalProperties: false,
      properties: { ref: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*\\.[a-z_][a-z0-9_]*$' } },
    },
    lookup: {
      type: 'object',
      description: 'A value found at plan time through the API: {lookup: KIND, ...query}',
      required: ['lookup'],
      properties: { lookup: { type: 'string', minLength: 1 } },
    },
    secret: {
      description: 'A secret value, read from the environment or a file, never written literally',
      oneOf: [
        { type: 'object', required: ['env'], additionalProperties: false, properties: { env: { type: 'string', minLength: 1 } } },
        { type: 'object', required: ['file'], additionalProperties: false, properties: { file: { type: 'string', minLength: 1 } } },
      ],
    },
    stringOrSecret: {
      anyOf: [{ type: 'string', minLength: 1 }, { $ref: '#/$defs/secret' }],
    },
  },
};
