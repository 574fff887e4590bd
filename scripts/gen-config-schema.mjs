#!/usr/bin/env node
// Writes schemas/config.schema.json, the published configuration schema for editors, from the
// same composition the validator uses (src/config/schema/compose.ts over every registered
// driver), so that editors and `imagectl validate` agree. Run it after a driver schema changes.
// Runs on the compiled output: `npm run gen:config-schema` builds first. `--check` only compares
// and exits 1 when the committed file is stale (test/config/schema.test.ts checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPublishedSchema } from '../dist/config/schema/compose.js';
import { builtinDrivers } from '../dist/drivers/registry.js';

const file = 'schemas/config.schema.json';
const text = renderPublishedSchema(builtinDrivers);
const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write(`${file} is stale: run npm run gen:config-schema\n`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${file}\n`);
}
