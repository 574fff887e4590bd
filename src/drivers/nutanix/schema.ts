// Nutanix Prism Central v4 images: the pure metadata the planner and validator read.
// Field names follow the nutanix_images_v2 seed (snake_case); mapping.ts turns them into the
// wire's camelCase with $objectType discriminators.
import type { DriverSchema } from '../../fields/schema.js';

const uuid = { type: 'string', pattern: '^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$' };
const ref = { $ref: 'imagectl-defs#/$defs/ref' };
const secret = { $ref: 'imagectl-defs#/$defs/secret' };

const clusterLookup = {
  type: 'object',
  required: ['lookup', 'name'],
  additionalProperties: false,
  properties: { lookup: { const: 'cluster' }, name: { type: 'string', minLength: 1 } },
};

export const nutanixSchema: DriverSchema = {
  driver: 'nutanix',
  provider_schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      endpoint: {
        description: 'Prism Central base URL, e.g. https://pc.example.com:9440 (or {env: NAME})',
        anyOf: [{ type: 'string', pattern: '^https?://' }, { $ref: 'imagectl-defs#/$defs/secret' }],
      },
      username: { $ref: 'imagectl-defs#/$defs/stringOrSecret' },
      password: secret,
      insecure: { type: 'boolean', description: 'Skip TLS verification (warned on every run)' },
      ca_file: { type: 'string', minLength: 1, description: 'PEM file of a private CA' },
      allow_http: { type: 'boolean', description: 'Accept a plain-http endpoint that is not loopback (warned on every run)' },
      timeout_seconds: { type: 'number', exclusiveMinimum: 0, description: 'Per-request timeout (default 30)' },
      task_timeout_seconds: { type: 'number', exclusiveMinimum: 0, description: 'How long to wait for a task (default 3600)' },
      max_requests_per_second: { type: 'number', exclusiveMinimum: 0 },
    },
  },
  provider_secrets: ['password'],
  image_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'type', 'source'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 256 },
      description: { type: 'string', maxLength: 1000 },
      type: { enum: ['DISK_IMAGE', 'ISO_IMAGE'] },
      checksum: {
        type: 'object',
        additionalProperties: false,
        required: ['hex_digest', 'object_type'],
        properties: {
          hex_digest: { type: 'string', pattern: '^([a-fA-F0-9]{40}|[a-fA-F0-9]{64})$' },
          object_type: { enum: ['sha1', 'sha256'] },
        },
      },
      source: {
        type: 'object',
        additionalProperties: false,
        properties: {
          url: { type: 'string', minLength: 1, pattern: '^(https?|nfs)://' },
          should_allow_insecure_url: { type: 'boolean' },
          basic_auth: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'password'],
            properties: { username: { type: 'string', minLength: 1, maxLength: 1000 }, password: secret },
          },
          ext_id: { anyOf: [uuid, ref] },
        },
      },
      category_ext_ids: { type: 'array', maxItems: 1250, items: { anyOf: [uuid, ref] } },
      cluster_location_ext_ids: { type: 'array', maxItems: 200, items: { anyOf: [uuid, ref, clusterLookup] } },
    },
  },
  fields: {
    '/name': { mode: 'update', description: 'Renamed in place (PUT).' },
    '/description': { mode: 'update', description: 'Updated in place (PUT).' },
    '/type': { mode: 'update', description: 'DISK_IMAGE and ISO_IMAGE switch in place (PUT), as observed on real Prism Central.' },
    '/checksum': { mode: 'replace', description: 'Identifies the image content; only verified at download, so a new checksum means a new image.' },
    '/checksum/hex_digest': { mode: 'replace', normalize: 'lowercase' },
    '/source': { mode: 'replace', description: 'The content itself; Prism does not re-download on PUT.' },
    '/source/basic_auth': { mode: 'replace', write_only: true, description: 'Prism never returns the credentials of a source: kept from what was applied.' },
    '/source/basic_auth/password': { mode: 'replace', secret: true, write_only: true },
    '/category_ext_ids': { mode: 'update', normalize: 'set', description: 'Categories are attached in place (PUT).' },
    '/cluster_location_ext_ids': {
      mode: 'replace',
      normalize: 'set',
      description: 'Placement is decided when the image is imported; moving it means a new image.',
    },
    '/size_bytes': { mode: 'computed' },
    '/create_time': { mode: 'computed' },
    '/last_update_time': { mode: 'computed' },
    '/owner_ext_id': { mode: 'computed' },
    '/placement_policy_status': { mode: 'computed' },
  },
  idempotent_create: true,
  unique_names: false,
  lookups: {
    cluster: {
      description: 'A cluster ext_id found by name through GET /api/clustermgmt/v4.0/config/clusters',
      query_schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
  },
};
