// The configuration's fingerprint, recorded in saved plans so `apply FILE` can refuse a plan made
// from a different configuration. It covers what the plan depends on, as written (secret
// references, not their values), in canonical JSON: reordering keys or moving images between
// included files does not change it.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { canonicalJson } from '../util/json.js';
import type { DesiredImage, ProviderBlock } from './types.js';
import type { Lifecycle } from '../fields/lifecycle.js';

export function configDigest(input: {
  dir: string;
  statePath: string;
  providers: Readonly<Record<string, ProviderBlock>>;
  images: Readonly<Record<string, DesiredImage>>;
}): string {
  const providers = Object.fromEntries(
    Object.entries(input.providers).map(([n, p]) => [n, { driver: p.driver, simulator: p.simulator, settings: p.settings }]),
  );
  // Relative to the config folder, so the same repository checked out elsewhere digests the same.
  const state = path.relative(input.dir, input.statePath).split(path.sep).join('/');
  // canonicalJson({ providers, images, state }), its keys in sorted order, with the images written
  // out one by one rather than first copied into an object each (10,000 of them).
  const text = `{"images":${imagesJson(input.images)},"providers":${canonicalJson(providers)},"state":${canonicalJson(state)}}`;
  return createHash('sha256').update(text).digest('hex');
}

/** canonicalJson of { ADDRESS: { provider, fields, depends_on, lifecycle } }. */
function imagesJson(images: Readonly<Record<string, DesiredImage>>): string {
  const addresses = Object.keys(images).sort();
  let out = '{';
  for (const a of addresses) {
    const i = images[a] as DesiredImage;
    out +=
      `${out.length === 1 ? '' : ','}${JSON.stringify(a)}:{"depends_on":${canonicalJson(i.depends_on)},"fields":${canonicalJson(i.fields)}` +
      `,"lifecycle":${lifecycleJson(i.lifecycle)},"provider":${JSON.stringify(i.provider)}}`;
  }
  return `${out}}`;
}

/** canonicalJson(lifecycle) without listing and sorting its two keys again for every image. */
function lifecycleJson(lc: Lifecycle): string {
  // allow_duplicate_name only when set: absent and false mean the same, so digests made before
  // the key existed stay valid.
  const dup = lc.allow_duplicate_name === true ? '"allow_duplicate_name":true,' : '';
  return `{${dup}"ignore_changes":${canonicalJson(lc.ignore_changes)},"prevent_destroy":${JSON.stringify(lc.prevent_destroy)}}`;
}

// lifecycleJson writes every key of Lifecycle, in sorted order: a key added to the type is a
// compile error here until it is written there too.
type OnlyNever<T extends never> = T;
type LifecycleKeysUnwritten = OnlyNever<Exclude<keyof Lifecycle, 'ignore_changes' | 'prevent_destroy' | 'allow_duplicate_name'>>;
