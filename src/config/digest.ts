// The configuration's fingerprint, recorded in saved plans so `apply FILE` can refuse a plan made
// from a different configuration. It covers what the plan depends on, as written (secret
// references, not their values), in canonical JSON: reordering keys or moving images between
// included files does not change it.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { canonicalJson } from '../util/json.js';
import type { DesiredImage, ProviderBlock } from './types.js';

export function configDigest(input: {
  dir: string;
  statePath: string;
  providers: Readonly<Record<string, ProviderBlock>>;
  images: Readonly<Record<string, DesiredImage>>;
}): string {
  const providers = Object.fromEntries(
    Object.entries(input.providers).map(([n, p]) => [n, { driver: p.driver, simulator: p.simulator, settings: p.settings }]),
  );
  const images = Object.fromEntries(
    Object.entries(input.images).map(([a, i]) => [a, { provider: i.provider, fields: i.fields, depends_on: i.depends_on, lifecycle: i.lifecycle }]),
  );
  // Relative to the config folder, so the same repository checked out elsewhere digests the same.
  const state = path.relative(input.dir, input.statePath).split(path.sep).join('/');
  return createHash('sha256').update(canonicalJson({ providers, images, state })).digest('hex');
}
