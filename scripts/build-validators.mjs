#!/usr/bin/env node
// The second step of `npm run build`, after tsc: writes each bundle of validators built ahead of
// time (src/validators/bundle.ts) to dist/validators/NAME.cjs, ajv's standalone code, so that the
// CLI and the tests load them instead of compiling the schemas at every start. Generated code
// lives in the build output only, never in git.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_BUNDLE } from '../dist/config/schema/validators.js';
import { STATE_BUNDLE } from '../dist/state/schema.js';
import { BUILT_DIR } from '../dist/validators/built.js';
import { renderBuilt } from '../dist/validators/render.js';

mkdirSync(BUILT_DIR, { recursive: true });
for (const bundle of [CONFIG_BUNDLE, STATE_BUNDLE]) writeFileSync(join(BUILT_DIR, `${bundle.name}.cjs`), renderBuilt(bundle));
