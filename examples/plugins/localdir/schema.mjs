// What this driver tells imagectl in answer to `describe`: pure data, the same shape as a
// built-in driver's DriverSchema (see docs/PLUGINS.md, "describe").

const sha256 = { type: 'string', pattern: '^[A-Fa-f0-9]{64}$', description: 'sha256 of the file, hex' };

export const schema = {
  driver: 'localdir',
  provider_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['directory'],
    properties: {
      directory: { type: 'string', minLength: 1, description: 'Folder that holds the images (relative to the config file)' },
      token: { $ref: 'imagectl-defs#/$defs/secret', description: 'Access token, required when the folder has a .token-sha256 file' },
    },
  },
  provider_secrets: ['token'],
  image_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'url', 'checksum'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 1000 },
      labels: { type: 'array', items: { type: 'string', minLength: 1 } },
      url: { type: 'string', pattern: '^(https?|file):', description: 'Where the content is downloaded from' },
      checksum: sha256,
    },
  },
  fields: {
    '/name': { mode: 'replace', description: 'Names are unique in the folder; a rename makes a new image first.' },
    '/description': { mode: 'update', default: '', description: 'Kept in the sidecar JSON file.' },
    '/labels': { mode: 'update', normalize: 'set', default: [], description: 'A set: order and repeats do not matter.' },
    '/url': { mode: 'replace', description: 'The content itself.' },
    '/checksum': { mode: 'replace', normalize: 'lowercase' },
    '/size_bytes': { mode: 'computed' },
    '/created_at': { mode: 'computed' },
    '/path': { mode: 'computed', description: 'Absolute path of the image file.' },
  },
  unique_names: true,
  // Image ids derive from the idempotency key, so a create sent twice finds the first one.
  idempotent_create: true,
  // Nothing in these images points at something else in the folder, so there is nothing to look up.
  lookups: {},
};
