// Step-by-step upgrades of older state formats, the way Terraform's statefile/read.go does it:
// sniff the version, then run each step from that version up to the current one. Every step is
// a pure function of one version's JSON to the next, so v2 is one new entry in MIGRATIONS and
// one test with a v1 fixture; no step ever needs to know about versions other than its own.
import { ImagectlError } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import { STATE_VERSION } from './types.js';

/** Turns a version-n document into a version-(n+1) document. Must not mutate its input. */
export type Migration = (doc: JsonObject) => JsonObject;

/**
 * MIGRATIONS[n] upgrades version n to n+1. Only version 1 exists so far, so the table is empty.
 * When version 2 arrives: bump STATE_VERSION, update the schema and types, and add
 * `1: (doc) => ({ ...doc, new_field: ... })` here.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

/** Runs every step from `from` up to `to`; the result carries `version: to`. */
export function migrateState(
  doc: JsonObject,
  from: number,
  to: number = STATE_VERSION,
  table: Readonly<Record<number, Migration>> = MIGRATIONS,
): JsonObject {
  let current = doc;
  for (let v = from; v < to; v++) {
    const step = table[v];
    if (step === undefined) {
      throw new ImagectlError('STATE_MIGRATION_MISSING', `no migration of the state format from version ${v} to ${v + 1}`, {
        origin: 'internal',
      });
    }
    // Set the version here rather than trusting each step to, so a step cannot forget it.
    current = { ...step(current), version: v + 1 };
  }
  return current;
}
