#!/usr/bin/env node
// Writes, from the same composition the validator uses (src/config/schema/compose.ts over every
// registered driver), so that editors and `imagectl validate` agree:
//  - schemas/config.schema.json, the published schema for editors;
//  - src/config/generated/config-validators.ts, the built-in validators compiled ahead of time
//    (src/config/schema/compile-validators.ts), so that the CLI does not compile them at start-up;
//  - src/state/generated/state-validators.ts, schemas/state.schema.json compiled the same way
//    (src/state/compile-validators.ts).
// Runs on the compiled output: `npm run gen:schemas` builds first, and again after, so that dist/
// holds the new validators. `--check` only compares and exits 1 when a committed file is stale
// (test/config/schema.test.ts and test/config/compiled-validators.test.ts check the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_VALIDATORS_PATH, renderCompiledValidators } from '../dist/config/schema/compile-validators.js';
import { renderPublishedSchema } from '../dist/config/schema/compose.js';
import { GENERATED_STATE_VALIDATORS_PATH, renderStateValidators } from '../dist/state/compile-validators.js';
import { builtinDrivers } from '../dist/drivers/registry.js';

const outputs = [
  ['schemas/config.schema.json', renderPublishedSchema(builtinDrivers)],
  [GENERATED_VALIDATORS_PATH, renderCompiledValidators()],
  [GENERATED_STATE_VALIDATORS_PATH, renderStateValidators()],
];

let stale = false;
for (const [file, text] of outputs) {
  const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write(`${file} is stale: run npm run gen:schemas\n`);
      stale = true;
    }
  } else {
    writeFileSync(target, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
if (stale) process.exit(1);
