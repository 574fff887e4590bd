// Ahead-of-time compilation of the built-in configuration schema: ajv's standalone code for the
// validators config/ajv.ts would otherwise compile at every start. `npm run gen:schemas` writes
// it to src/config/generated/config-validators.ts; test/config/compiled-validators.test.ts fails
// when that file is stale. Build time only: nothing the CLI runs imports this file.
import { builtinDrivers } from '../../drivers/registry.js';
import { standaloneModule } from '../../util/standalone.js';
import { newAjv, sourceDigest } from './ajv.js';
import { CONFIG_SCHEMA_ID } from './compose.js';

export const GENERATED_VALIDATORS_PATH = 'src/config/generated/config-validators.ts';

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');

/** The generated module's exact text. */
export function renderCompiledValidators(): string {
  const ajv = newAjv({ source: true, esm: true, lines: true });
  // Export name → schema id; lookup queries are registered under an id of their own to be named.
  const refs: Record<string, string> = {
    root: CONFIG_SCHEMA_ID,
    includeFile: `${CONFIG_SCHEMA_ID}#/$defs/include-file`,
    imageCommon: `${CONFIG_SCHEMA_ID}#/$defs/image-common`,
  };
  const images: string[] = [];
  const lookups: string[] = [];
  for (const [name, d] of Object.entries(builtinDrivers)) {
    refs[`image_${ident(name)}`] = `${CONFIG_SCHEMA_ID}#/$defs/image-${name}`;
    images.push(`    ${JSON.stringify(name)}: image_${ident(name)},`);
    const kinds: string[] = [];
    for (const [kind, l] of Object.entries(d.schema.lookups)) {
      const id = `imagectl-lookup-${name}-${kind}`;
      ajv.addSchema(l.query_schema, id);
      refs[`lookup_${ident(name)}_${ident(kind)}`] = id;
      kinds.push(`${JSON.stringify(kind)}: lookup_${ident(name)}_${ident(kind)}`);
    }
    lookups.push(`    ${JSON.stringify(name)}: { ${kinds.join(', ')} },`);
  }
  const table = [
    'export const compiled: CompiledValidators = {',
    `  digest: '${sourceDigest()}',`,
    '  root,',
    '  includeFile,',
    '  imageCommon,',
    '  images: {',
    ...images,
    '  },',
    '  lookups: {',
    ...lookups,
    '  },',
    '};',
  ].join('\n');
  return standaloneModule({
    generator: 'src/config/schema/compile-validators.ts',
    about: [
      "The built-in configuration schema (src/config/schema/compose.ts over every registered driver) and the",
      "drivers' lookup queries, compiled by ajv ahead of time so that start-up does not compile them.",
      'config/ajv.ts uses this only while `digest` matches the schemas in the source.',
    ],
    imports: ["import type { CompiledValidators } from '../../ajv.js';"],
    ajv,
    refs,
    trailer: table,
  });
}
