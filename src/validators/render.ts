// Build time only (scripts/build-validators.mjs, after tsc): the text of dist/validators/NAME.cjs,
// a bundle's validators as ajv's standalone code. CommonJS, ajv's own output, so that built.ts can
// load it synchronously with require(); nothing the CLI runs imports this file.
import standaloneCode from 'ajv/dist/standalone/index.js';
import { newAjv } from './ajv.js';
import { DIGEST_EXPORT, bundleDigest, type ValidatorBundle } from './bundle.js';

export function renderBuilt(bundle: ValidatorBundle): string {
  const ajv = newAjv({ standalone: true });
  const refs = bundle.register(ajv);
  if (DIGEST_EXPORT in refs) throw new Error(`internal: bundle ${bundle.name} exports a validator named ${DIGEST_EXPORT}`);
  return [
    `// Built by \`npm run build\` (scripts/build-validators.mjs) from the ${bundle.name} bundle. Do not edit.`,
    // ajv's code has a branch for every path of every schema; what it accepts and refuses is
    // tested (test/*/built-validators.test.ts), its line coverage says nothing of imagectl's.
    '/* c8 ignore start */',
    standaloneCode.default(ajv, refs),
    '/* c8 ignore stop */',
    `exports.${DIGEST_EXPORT} = ${JSON.stringify(bundleDigest(bundle))};`,
    '',
  ].join('\n');
}
