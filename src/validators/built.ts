// The validators `npm run build` wrote to dist/validators/ (render.ts), loaded with require():
// no ajv compiler at start-up (compiling the configuration schema cost ~80 ms, loading ajv's
// compiler ~30 ms more). The CLI (dist/) and the tests (src/ through tap's TypeScript loader)
// load the same file: ../../dist/validators/ is that folder from both src/validators/ and
// dist/validators/. A file that is missing or was built from other schemas than the ones in the
// source is refused loudly, never replaced by compiling quietly.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ImagectlError, errorMessage } from '../util/errors.js';
import { DIGEST_EXPORT, bundleDigest, type Validate, type ValidatorBundle } from './bundle.js';

export const BUILT_DIR = fileURLToPath(new URL('../../dist/validators/', import.meta.url));

/** A bundle's validators by export name; throws VALIDATORS_STALE for a name the file lacks. */
export type BuiltValidators = (name: string) => Validate;

const require = createRequire(import.meta.url);
const loaded = new Map<string, BuiltValidators>();

function stale(bundle: ValidatorBundle, why: string): ImagectlError {
  return new ImagectlError('VALIDATORS_STALE', `validators are out of date (${bundle.name}: ${why}): run npm run build`, { origin: 'internal' });
}

/** `dir` is for tests; the built file is checked against the bundle's sources once per process. */
export function loadBuilt(bundle: ValidatorBundle, dir: string = BUILT_DIR): BuiltValidators {
  const file = `${dir}${dir.endsWith('/') ? '' : '/'}${bundle.name}.cjs`;
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  if (!existsSync(file)) throw stale(bundle, `${file} is missing`);
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>;
  } catch (e) {
    throw stale(bundle, `${file} does not load: ${errorMessage(e)}`);
  }
  if (mod[DIGEST_EXPORT] !== bundleDigest(bundle)) throw stale(bundle, 'built from other schemas than the ones in the source');
  const get: BuiltValidators = (name) => {
    const v = mod[name];
    if (typeof v !== 'function' || name === DIGEST_EXPORT) throw stale(bundle, `no validator ${name}`);
    return v as Validate;
  };
  loaded.set(file, get);
  return get;
}
