// A set of validators built ahead of time: which schemas, which of them are exported, and what
// they are compiled from. The module owning a schema declares its bundle (the configuration's in
// config/schema/validators.ts, the state file's in state/schema.ts); `npm run build` writes each
// to dist/validators/NAME.cjs (scripts/build-validators.mjs) and built.ts loads it.
import { createHash } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { AJV_OPTIONS, ajvVersion } from './ajv.js';

/** A compiled validator: ajv's ValidateFunction, or the same code built ahead of time. */
export interface Validate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface ValidatorBundle {
  /** The built file is dist/validators/NAME.cjs. */
  name: string;
  /** Registers the schemas in `ajv` (from newAjv) and names the validators: export name → schema id. */
  register(ajv: Ajv2020): Record<string, string>;
  /** Everything the validators are compiled from, as JSON: when it changes, the built file is stale. */
  sources(): unknown;
}

/** The export of a built file that holds bundleDigest() of what it was built from. */
export const DIGEST_EXPORT = 'digest';

/** Fingerprint of what a bundle is built from: its sources, ajv's options and ajv's version. */
export function bundleDigest(bundle: ValidatorBundle): string {
  const from = JSON.stringify({ ajv: ajvVersion(), options: AJV_OPTIONS, sources: bundle.sources() });
  return createHash('sha256').update(from).digest('hex');
}
