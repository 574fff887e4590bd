// How a built-in driver's fields travel to and from its wire, declared as data beside the code
// that does it (each driver's mapping.ts). The schema (schema.ts) says what a field *means*
// (its mode: in place, replacement, computed); this says where it *goes*. One test
// (test/drivers/wire-mapping.test.ts) ties the two together and to what the code really sends,
// so a field added to one and forgotten in the other fails there, not in production.
// External drivers map their own wire in their own process and declare only a schema.
import type { DriverSchema } from '../fields/schema.js';

/** One schema field (a pointer of DriverSchema.fields) on the wire. */
export interface WireField {
  /**
   * Where the value sits in the API's image, as a JSON Pointer without list indexes (like the
   * schema's pointers): `/categoryExtIds`, `/blockDeviceMappings/bsu/volumeType`.
   */
  wire: string;
  /** Sent when the image is created (in the create request or the calls that complete it). */
  create: boolean;
  /** Sent by an in-place update: exactly the schema's `mode: 'update'` fields. */
  update: boolean;
  /** Read back from the API into the image's attributes (false: write-only, never returned). */
  read: boolean;
  /** Why a field is not plainly sent and read (the calls it goes through, or why it never comes back). */
  note?: string;
}

/** Every pointer of the driver's DriverSchema.fields, and nothing else. */
export type WireMapping = Readonly<Record<string, WireField>>;

/**
 * The top-level fields an in-place update may change: the schema's own `mode: 'update'`, read
 * from the schema so the driver never keeps a second list that could disagree with the planner.
 */
export function inPlaceFields(schema: DriverSchema): readonly string[] {
  return Object.entries(schema.fields)
    .filter(([pointer, spec]) => spec.mode === 'update' && pointer.lastIndexOf('/') === 0)
    .map(([pointer]) => pointer.slice(1));
}
