// Ahead-of-time compilation of schemas/state.schema.json: ajv's standalone code for the three
// validators state/schema.ts would otherwise compile on every run that reads state (about 100 ms
// of a plan). `npm run gen:schemas` writes it to src/state/generated/state-validators.ts;
// test/state/compiled-validators.test.ts fails when that file is stale. Build time only: nothing
// the CLI runs imports this file.
import { standaloneModule } from '../util/standalone.js';
import { newStateAjv, stateSchemaSource, stateSchemaDigest } from './schema.js';

export const GENERATED_STATE_VALIDATORS_PATH = 'src/state/generated/state-validators.ts';

/** The generated module's exact text. */
export function renderStateValidators(): string {
  const ajv = newStateAjv({ source: true, esm: true, lines: true });
  const schema = JSON.parse(stateSchemaSource()) as { $id: string };
  ajv.addSchema(schema);
  const refs = { state: schema.$id, resource: `${schema.$id}#/$defs/resource`, intent: `${schema.$id}#/$defs/intent` };
  return standaloneModule({
    generator: 'src/state/compile-validators.ts',
    about: [
      'schemas/state.schema.json compiled by ajv ahead of time; state/schema.ts uses this only while',
      '`digest` matches the schema file.',
    ],
    ajv,
    refs,
    trailer: `export const digest = '${stateSchemaDigest()}';`,
  });
}
