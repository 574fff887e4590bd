// Numspot compute images: the pure metadata the planner and validator read. Field names follow
// the numspot_image seed (snake_case); the driver maps them to the wire's camelCase.
import type { DriverSchema } from '../../fields/schema.js';
import type { JsonObject } from '../../util/json.js';

const ref: JsonObject = { $ref: 'imagectl-defs#/$defs/ref' };
const secret = { $ref: 'imagectl-defs#/$defs/secret' };
const stringOrEnv = { $ref: 'imagectl-defs#/$defs/stringOrSecret' };

const tagQuery: JsonObject = { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } };
const lookupOf = (kind: string, query: JsonObject): JsonObject => ({
  type: 'object',
  required: ['lookup'],
  additionalProperties: false,
  minProperties: 2,
  properties: { lookup: { const: kind }, ...query },
});
const vmLookup = lookupOf('vm', { tags: tagQuery, id: { type: 'string' } });
const snapshotLookup = lookupOf('snapshot', { description: { type: 'string' }, tags: tagQuery, id: { type: 'string' } });
const imageLookup = lookupOf('image', { name: { type: 'string' }, image_type: { enum: ['official', 'private'] } });

const idOr = (prefix: string, ...alts: JsonObject[]): JsonObject => ({ anyOf: [{ type: 'string', pattern: `^${prefix}-[0-9a-f]{8}$` }, ref, ...alts] });

export const NAME_PATTERN = '^[A-Za-z0-9_ ()/.-]{3,128}$';
/** Root device /dev/sda1; others /dev/sdX, /dev/sdXX, /dev/xvdX, /dev/xvdXX (X in b–z, then a–z). */
export const DEVICE_NAME_PATTERN = '^(/dev/sda1|/dev/(sd|xvd)[b-z][a-z]?)$';

export const numspotSchema: DriverSchema = {
  driver: 'numspot',
  provider_schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { description: 'API base URL, e.g. https://api.cloudgouv-eu-west-1.numspot.com', anyOf: [{ type: 'string', pattern: '^https?://' }, secret] },
      space_id: { description: 'Space UUID (every compute path is under /compute/spaces/{space_id})', ...stringOrEnv },
      client_id: stringOrEnv,
      client_secret: secret,
      region: { type: 'string', description: 'Region name used as source_region_name default' },
      timeout_seconds: { type: 'number', exclusiveMinimum: 0 },
      pending_timeout_seconds: { type: 'number', exclusiveMinimum: 0, description: 'How long to wait for an image to leave pending (default 1800)' },
      max_requests_per_second: { type: 'number', exclusiveMinimum: 0 },
      insecure: { type: 'boolean' },
      ca_file: { type: 'string', minLength: 1 },
      allow_http: { type: 'boolean' },
    },
  },
  provider_secrets: ['client_secret'],
  image_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: NAME_PATTERN, description: '3-128 of A-Z a-z 0-9 _ space ( ) / . -; unique' },
      description: { type: 'string' },
      access: { type: 'object', additionalProperties: false, properties: { is_public: { type: 'boolean' } } },
      architecture: { enum: ['i386', 'x86_64'] },
      block_device_mappings: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          properties: {
            device_name: { type: 'string', pattern: DEVICE_NAME_PATTERN },
            virtual_device_name: { type: 'string', pattern: '^ephemeral[0-9]+$' },
            bsu: {
              type: 'object',
              additionalProperties: false,
              properties: {
                delete_on_vm_deletion: { type: 'boolean' },
                iops: { type: 'integer', minimum: 1, maximum: 13000 },
                snapshot_id: idOr('snap', snapshotLookup),
                volume_size: { type: 'integer', minimum: 1 },
                volume_type: { enum: ['standard', 'io1', 'gp2'] },
              },
            },
          },
        },
      },
      no_reboot: { type: 'boolean' },
      product_codes: { type: 'array', items: { type: 'string', minLength: 1 } },
      root_device_name: { type: 'string', minLength: 1 },
      source_image_id: idOr('ami', imageLookup),
      source_region_name: { type: 'string', minLength: 1 },
      tags: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'value'],
          properties: { key: { type: 'string', minLength: 1, maxLength: 128 }, value: { type: 'string', maxLength: 255 } },
        },
      },
      vm_id: idOr('i', vmLookup),
    },
  },
  fields: {
    '/name': { mode: 'replace', description: 'No rename on the API: a new name means a new image (created first).' },
    '/description': { mode: 'replace', description: 'Set only at creation.' },
    '/access': { mode: 'update', description: 'PUT /images/{id} where the API still offers it (removed 2026-06).' },
    '/access/is_public': { mode: 'update' },
    '/architecture': { mode: 'replace', description: 'Register only; the server defaults to i386.' },
    '/block_device_mappings': { mode: 'replace', description: 'Register only.' },
    '/block_device_mappings/bsu/delete_on_vm_deletion': { mode: 'replace', default: true },
    '/block_device_mappings/bsu/volume_type': { mode: 'replace', default: 'standard' },
    '/no_reboot': { mode: 'replace', write_only: true, description: 'From-VM only; never returned by the API.' },
    '/product_codes': { mode: 'replace', normalize: 'set', ignore_values: ['0001'], description: 'Set at creation; "0001" is added by the server.' },
    '/root_device_name': { mode: 'replace', description: 'Register only.' },
    '/source_image_id': { mode: 'replace', write_only: true, description: 'Copy only; never returned by the API.' },
    '/source_region_name': { mode: 'replace', write_only: true, description: 'Copy only; never returned by the API.' },
    '/tags': { mode: 'update', normalize: 'set', description: 'Through /bulk/tags; when declared, the whole set (imagectl: tags excepted).' },
    '/vm_id': { mode: 'replace', write_only: true, description: 'From-VM only; never returned by the API.' },
    '/creation_date': { mode: 'computed' },
    '/root_device_type': { mode: 'computed' },
    '/state': { mode: 'computed' },
    '/state_comment': { mode: 'computed' },
    '/type': { mode: 'computed' },
  },
  idempotent_create: false,
  unique_names: true,
  lookups: {
    vm: { description: 'A VM id found through GET /vms with filters (tags: {KEY: VALUE})', query_schema: { type: 'object', properties: { tags: tagQuery, id: { type: 'string' } } } },
    snapshot: { description: 'A snapshot id found through GET /snapshots (description, tags)', query_schema: { type: 'object', properties: { description: { type: 'string' }, tags: tagQuery, id: { type: 'string' } } } },
    image: { description: 'An image id found through GET /images (name, image_type)', query_schema: { type: 'object', properties: { name: { type: 'string' }, image_type: { type: 'string' } } } },
  },
};
