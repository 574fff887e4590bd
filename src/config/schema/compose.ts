// Composes the ONE configuration JSON Schema (2020-12) from the top-level shape and every
// registered driver's provider and image schemas. Two renderings of the same composition:
//  - runtime: `$id` imagectl-config, driver refs left pointing at the separately registered
//    imagectl-defs; images are only checked to be objects here, because which image schema
//    applies depends on the driver of the image's provider, a cross-reference JSON Schema cannot
//    follow: validate.ts checks each image against `#/$defs/image-DRIVER` itself.
//  - published (schemas/config.schema.json): standalone for editors, the defs inlined under
//    `$defs`, and images checked against any driver's image schema.
import type { Driver } from '../../drivers/contract.js';
import { externalDriverSchema } from '../../drivers/external/spec.js';
import { isObject, type JsonObject, type JsonValue } from '../../util/json.js';
import { ADDRESS_PATTERN, DEFS_ID, defsSchema, RESERVED_NAMES } from './defs.js';
import { STATE_SCHEMA } from '../rules/state-block.js';

export const CONFIG_SCHEMA_ID = 'imagectl-config';
export const PUBLISHED_SCHEMA_ID = 'https://imagectl.dev/schemas/config.schema.json';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Keys every image may carry whatever its driver; the rest are the driver's fields. */
export const COMMON_IMAGE_KEYS: readonly string[] = ['provider', 'depends_on', 'lifecycle'];
/** Keys every provider block carries; the rest are the driver's settings. */
export const COMMON_PROVIDER_KEYS: readonly string[] = ['driver', 'simulator', 'allow_duplicate_names'];

const address = { type: 'string', pattern: ADDRESS_PATTERN, not: { enum: [...RESERVED_NAMES] } };

const ALLOW_DUPLICATE_NAMES = {
  type: 'boolean',
  description: "Every image of this provider may be created beside a same-named image no state owns (as lifecycle.allow_duplicate_name)",
};

const commonImageProperties: JsonObject = {
  provider: { type: 'string', minLength: 1, description: 'Name of a block under providers:' },
  depends_on: {
    type: 'array',
    uniqueItems: true,
    items: address,
    description: 'Addresses applied before this image (in addition to those its {ref}s name)',
  },
  lifecycle: {
    type: 'object',
    additionalProperties: false,
    properties: {
      prevent_destroy: { type: 'boolean', description: 'Refuse any plan that deletes or replaces this image' },
      allow_duplicate_name: {
        type: 'boolean',
        description: 'Create this image even when an image of the same name that no state owns exists (clouds that allow duplicate names)',
      },
      ignore_changes: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: "Fields whose differences are ignored: 'description', 'source.url' or '/source/url'",
      },
    },
  },
};

function union(a: JsonValue | undefined, extra: readonly string[]): string[] {
  const base = Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
  return [...new Set([...extra, ...base])];
}

function ownProperties(schema: JsonObject): JsonObject {
  const p = schema['properties'];
  return isObject(p) ? p : {};
}

/** The driver's provider schema plus the common keys, `driver` pinned to this driver. */
function providerDef(name: string, d: Driver): JsonObject {
  const s = d.schema.provider_schema;
  return {
    ...s,
    type: 'object',
    required: union(s['required'], ['driver']),
    properties: {
      driver: { const: name },
      simulator: { type: 'boolean', description: 'Serve this provider from an in-process simulator' },
      allow_duplicate_names: ALLOW_DUPLICATE_NAMES,
      ...ownProperties(s),
    },
  };
}

/** The driver's image schema plus the common keys every image carries. */
export function imageDef(d: Driver): JsonObject {
  const s = d.schema.image_schema;
  return { ...s, type: 'object', required: union(s['required'], ['provider']), properties: { ...commonImageProperties, ...ownProperties(s) } };
}

/**
 * A provider served by an external plugin (`driver: {command: ...}`): its settings checked
 * against the schema the plugin described (validated apart, see config/plugins.ts, since the
 * schema is only known at run time); `driver` itself is checked by the dispatch below.
 */
export function externalProviderDef(d: Driver): JsonObject {
  const s = d.schema.provider_schema;
  return { ...s, type: 'object', properties: { driver: true, simulator: true, allow_duplicate_names: ALLOW_DUPLICATE_NAMES, ...ownProperties(s) } };
}

function providerDispatch(names: string[]): JsonObject {
  return {
    type: 'object',
    required: ['driver'],
    properties: {
      // Inline, typed branches: error messages pick the branch by the value's shape (explain.ts).
      driver: { anyOf: [{ type: 'string', enum: names, description: 'Which built-in driver serves this provider' }, externalDriverSchema] },
    },
    allOf: names.map((n) => ({
      if: { required: ['driver'], properties: { driver: { const: n } } },
      then: { $ref: `#/$defs/provider-${n}` },
    })),
  };
}

export function composeConfigSchema(drivers: Readonly<Record<string, Driver>>, mode: 'runtime' | 'published'): JsonObject {
  const names = Object.keys(drivers).sort();
  const defs: JsonObject = {};
  for (const n of names) defs[`provider-${n}`] = providerDef(n, drivers[n] as Driver);
  for (const n of names) defs[`image-${n}`] = imageDef(drivers[n] as Driver);
  defs['provider'] = providerDispatch(names);
  // Used for an image whose provider (hence driver) is unknown: only the common keys are checked.
  defs['image-common'] = { type: 'object', required: ['provider'], properties: commonImageProperties };
  defs['image'] =
    mode === 'runtime'
      ? { type: 'object' }
      : { type: 'object', required: ['provider'], anyOf: names.map((n) => ({ $ref: `#/$defs/image-${n}` })) };
  defs['images'] = {
    type: 'object',
    description: 'Desired images by address',
    propertyNames: address,
    additionalProperties: { $ref: '#/$defs/image' },
  };
  // An included file holds images and nothing else.
  defs['include-file'] = { type: 'object', additionalProperties: false, properties: { images: { $ref: '#/$defs/images' } } };
  const root: JsonObject = {
    $schema: JSON_SCHEMA_DIALECT,
    $id: mode === 'runtime' ? CONFIG_SCHEMA_ID : PUBLISHED_SCHEMA_ID,
    title: 'imagectl configuration',
    type: 'object',
    required: ['version'],
    additionalProperties: false,
    properties: {
      version: { const: 1, description: 'Configuration format version' },
      state: STATE_SCHEMA,
      providers: { type: 'object', propertyNames: address, additionalProperties: { $ref: '#/$defs/provider' } },
      include: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Globs of image files, relative to this file' },
      images: { $ref: '#/$defs/images' },
      drift: DRIFT_SCHEMA,
    },
    $defs: defs,
  };
  return mode === 'runtime' ? root : inlineDefs(root);
}

/** `drift:` settings read by `imagectl drift`: ignore rules and the scopes searched for unmanaged images. */
const DRIFT_SCHEMA: JsonObject = {
  type: 'object',
  additionalProperties: false,
  description: 'Drift detection settings',
  properties: {
    ignore: {
      type: 'array',
      description: 'Findings to suppress (still listed as suppressed in JSON reports)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['address', 'reason'],
        properties: {
          address: { type: 'string', minLength: 1, description: 'Address glob (* and ?)' },
          path: { type: 'string', pattern: '^(/[^/]+)+$', description: 'JSON Pointer of the field, e.g. /description' },
          reason: { type: 'string', minLength: 1 },
          expires: { type: 'string', format: 'date', description: 'YYYY-MM-DD; after it the rule stops suppressing and warns' },
        },
      },
    },
    unmanaged: {
      type: 'array',
      description: 'Scopes where images imagectl does not manage are reported (drift --unmanaged)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['provider', 'name_prefix'],
        properties: { provider: { type: 'string', minLength: 1 }, name_prefix: { type: 'string' } },
      },
    },
  },
};

/** Rewrites `imagectl-defs#/$defs/X` to `#/$defs/X` and copies the shared defs in. */
function inlineDefs(root: JsonObject): JsonObject {
  const rewritten = rewriteRefs(root) as JsonObject;
  const shared = defsSchema['$defs'];
  const defs = rewritten['$defs'];
  if (isObject(shared) && isObject(defs)) rewritten['$defs'] = { ...rewriteRefs(shared) as JsonObject, ...defs };
  return rewritten;
}

function rewriteRefs(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = k === '$ref' && typeof x === 'string' && x.startsWith(`${DEFS_ID}#`) ? x.slice(DEFS_ID.length) : rewriteRefs(x);
  }
  return out;
}

/** The published file's exact text (what gen:config-schema writes and the test compares). */
export function renderPublishedSchema(drivers: Readonly<Record<string, Driver>>): string {
  return `${JSON.stringify(composeConfigSchema(drivers, 'published'), null, 2)}\n`;
}
