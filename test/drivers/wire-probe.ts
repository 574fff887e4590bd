// What the wire-mapping test needs from each built-in driver: its declared mapping, and what its
// real code sends and reads, driven through fake clients (no network) so every field is seen.
import { DriverError } from '../../src/drivers/contract.js';
import type { ObservedImage } from '../../src/fields/observed.js';
import type { WireMapping } from '../../src/drivers/wire-mapping.js';
import { isObject, type JsonObject, type JsonValue } from '../../src/util/json.js';

export interface WireProbe {
  mapping: WireMapping;
  /**
   * Everything the driver's create sends for complete desired fields, one wire image per creation
   * mode: the create body merged with the calls that complete it (tags, access).
   */
  creates(): Promise<JsonObject[]>;
  /** The image read from a wire image in which the server returned every key (even write-only ones). */
  read(): ObservedImage;
  /** The top-level wire keys an in-place update of this one field sends; rejects when it cannot. */
  updateSends(field: string): Promise<string[]>;
}

/** Thrown by fake clients once the request under test has been recorded. */
export class Recorded extends Error {}

/** Whether a pointer without list indexes (`/a/b/c`) reaches a value, through any list item. */
export function reaches(value: JsonValue | undefined, pointer: string): boolean {
  const [head, ...rest] = pointer.split('/').slice(1);
  if (head === undefined) return value !== undefined;
  if (Array.isArray(value)) return value.some((item) => reaches(item, pointer));
  if (!isObject(value) || !Object.hasOwn(value, head)) return false;
  return rest.length === 0 ? value[head] !== undefined : reaches(value[head], `/${rest.join('/')}`);
}

/** Top-level keys whose values differ between two wire images. */
export function changedKeys(before: JsonObject, after: JsonObject): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `/${k}`);
}

/** Runs `send` and keeps only a Recorded stop; any other error (a refusal) is the answer. */
export async function untilRecorded(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    if (!(err instanceof Recorded)) throw err;
  }
}

export function isInvalid(err: unknown): boolean {
  return err instanceof DriverError && err.kind === 'invalid' && err.definitive;
}
