import t from 'tap';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/index.js';
import { composeConfigSchema, PUBLISHED_SCHEMA_ID, renderPublishedSchema } from '../../../src/config/schema/compose.js';
import { configValidators } from '../../../src/config/schema/validators.js';
import { builtinDrivers } from '../../../src/drivers/registry.js';
import { VALID } from '../../fixtures/config/helpers.js';

const committedPath = new URL('../../../schemas/config.schema.json', import.meta.url);

t.test('schemas/config.schema.json is the freshly generated one (run npm run gen:config-schema)', async (t) => {
  t.equal(readFileSync(committedPath, 'utf8'), renderPublishedSchema(builtinDrivers));
});

t.test('the published schema stands alone and agrees with the validator', async (t) => {
  const schema = JSON.parse(readFileSync(committedPath, 'utf8')) as Record<string, unknown>;
  t.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  t.equal(schema['$id'], PUBLISHED_SCHEMA_ID);
  t.notMatch(JSON.stringify(schema), /imagectl-defs#/, 'no reference outside the file');
  // A fresh Ajv with nothing registered and meta-schema checks on, as an editor would load it.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  t.ok(ajv.validateSchema(schema), 'valid against the 2020-12 meta-schema');
  const validate = ajv.compile(schema);
  t.ok(validate(parse(VALID)), JSON.stringify(validate.errors));
  t.notOk(validate(parse(VALID.replace('type: ISO_IMAGE', 'type: FLOPPY'))));
  t.notOk(validate(parse(VALID.replace('version: 1', 'version: 2'))));
});

t.test('the runtime composition is valid against the meta-schema too', async (t) => {
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  t.ok(ajv.validateSchema(composeConfigSchema(builtinDrivers, 'runtime')), JSON.stringify(ajv.errors));
  for (const d of Object.values(builtinDrivers)) {
    for (const [kind, spec] of Object.entries(d.schema.lookups)) t.ok(ajv.validateSchema(spec.query_schema), `${d.schema.driver} lookup ${kind}`);
  }
});

t.test('validators are compiled once per process', async (t) => {
  t.equal(configValidators(), configValidators());
});

t.test('with two drivers, provider blocks dispatch on driver', async (t) => {
  const nutanix = builtinDrivers['nutanix'];
  if (nutanix === undefined) throw new Error('nutanix driver missing');
  const fake = {
    ...nutanix,
    schema: {
      ...nutanix.schema,
      driver: 'fake',
      provider_schema: { type: 'object', additionalProperties: false, properties: { region: { type: 'string' } } },
    },
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(composeConfigSchema({ nutanix, fake }, 'published'));
  t.ok(validate({ version: 1, providers: { a: { driver: 'fake', region: 'eu' }, b: { driver: 'nutanix', endpoint: 'https://x' } } }));
  t.notOk(validate({ version: 1, providers: { a: { driver: 'fake', endpoint: 'https://x' } } }), 'nutanix keys are not fake keys');
  t.notOk(validate({ version: 1, providers: { a: { driver: 'other' } } }));
});
