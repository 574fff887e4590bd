#!/usr/bin/env node
// Writes schemas/config.schema.json from the same composition the validator uses
// (src/config/schema.ts over every registered driver), so editors and `imagectl validate` agree.
// Runs on the compiled output: `npm run gen:schemas` builds first. `--check` only compares and
// exits 1 when the committed file is stale (test/config/schema.test.ts checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPublishedSchema } from '../dist/config/schema.js';
import { builtinDrivers } from '../dist/drivers/registry.js';

const target = fileURLToPath(new URL('../schemas/config.schema.json', import.meta.url));
const text = renderPublishedSchema(builtinDrivers);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write('schemas/config.schema.json is stale: run npm run gen:schemas\n');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write('wrote schemas/config.schema.json\n');
}
