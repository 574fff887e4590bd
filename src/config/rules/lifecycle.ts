// `lifecycle:` of an image. ignore_changes entries may be written the way people think of a field
// ('description', 'source.url') or as JSON Pointers ('/source/url'); the planner gets pointers.
// Each must name a field of the driver's image schema, or a typo would silently ignore nothing.
import { isObject, type JsonObject } from '../../util/json.js';
import type { Validators } from '../schema/validators.js';
import { displayPath, type Diagnostics } from '../diagnostics.js';
import { posAt } from '../yaml/positions.js';
import type { ImageInfo } from './refs.js';
import { didYouMean } from '../../util/suggest.js';
import type { Lifecycle } from '../../fields/lifecycle.js';

const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** 'description' → '/description'; 'source.url' → '/source/url'; '/source/url' unchanged. */
export function toPointer(entry: string): string {
  if (entry.startsWith('/')) return entry;
  return entry
    .split('.')
    .map((s) => `/${escape(s)}`)
    .join('');
}

/** Undefined when the pointer names a field of the schema; otherwise the unknown segment and its siblings. */
function unknownSegment(schema: JsonObject, pointer: string): { segment: string; known: string[] } | undefined {
  let cur: JsonObject = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const props = cur['properties'];
    const items = cur['items'];
    if (isObject(props)) {
      const next = props[seg];
      if (!isObject(next)) return { segment: seg, known: Object.keys(props) };
      cur = next;
    } else if (isObject(items) && /^\d+$/.test(seg)) {
      cur = items;
    } else {
      return undefined; // anyOf, $ref, open objects: the schema cannot say, so trust the user
    }
  }
  return undefined;
}

/**
 * `providerAllowsDuplicates`: the image's provider block says `allow_duplicate_names: true`; it is
 * folded into each image's lifecycle so the planner (and the config digest) see one flag.
 */
export function normaliseLifecycle(img: ImageInfo, v: Validators, diags: Diagnostics, providerAllowsDuplicates = false): Lifecycle {
  const raw = isObject(img.entry.value) ? img.entry.value['lifecycle'] : undefined;
  const lc: Lifecycle = { prevent_destroy: false, ignore_changes: [] };
  const own = isObject(raw) ? raw['allow_duplicate_name'] : undefined;
  // The image's own setting wins, so one image can say false under a permissive provider.
  if (own === true || (own !== false && providerAllowsDuplicates)) lc.allow_duplicate_name = true;
  if (!isObject(raw)) return lc;
  lc.prevent_destroy = raw['prevent_destroy'] === true;
  const list = raw['ignore_changes'];
  if (!Array.isArray(list)) return lc;
  const driver = img.driver === undefined ? undefined : v.drivers[img.driver];
  list.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry === '') return; // the schema reported it
    const pointer = toPointer(entry);
    if (driver !== undefined) {
      const bad = unknownSegment(driver.schema.image_schema, pointer);
      if (bad !== undefined) {
        const p = [...img.entry.path, 'lifecycle', 'ignore_changes', i];
        diags.add(
          posAt(img.entry.pf, p),
          `${displayPath(p)}: '${entry}' is not a field of ${driver.schema.driver} images${didYouMean(bad.segment, bad.known)}`,
        );
        return;
      }
    }
    if (!lc.ignore_changes.includes(pointer)) lc.ignore_changes.push(pointer);
  });
  return lc;
}
