// Between rows and the state document. The database keeps each resource and intent as its own
// row (the JSON text the store wrote), and history as full documents with deltas in between.
// These pure functions put rows back together as the exact text a state file would hold (so
// parseState checks and migrates it like any file), and compute and replay deltas.
import { isObject, type JsonObject } from '../../util/json.js';
import type { Difference, EntryTexts as SnapshotTexts, Snapshot } from '../snapshot.js';
import { STATE_FORMAT } from '../types.js';

export interface Envelope {
  lineage: string;
  serial: number;
  version: number;
  secret_salt: string;
}

/** Entries as [key, JSON text] pairs, in any order. */
export type EntryTexts = Iterable<readonly [string, string]>;

/** `{"k": <text>, ...}` without parsing the entries again: they are JSON already. */
export function objectText(entries: EntryTexts): string {
  const parts: string[] = [];
  for (const [key, text] of entries) parts.push(`${JSON.stringify(key)}:${text}`);
  return `{${parts.join(',')}}`;
}

/** The whole state as JSON text, with the envelope first as in the file. */
export function documentText(env: Envelope, resources: EntryTexts, pending: EntryTexts): string {
  return (
    `{"format":${JSON.stringify(STATE_FORMAT)},"version":${env.version},"lineage":${JSON.stringify(env.lineage)},` +
    `"serial":${env.serial},"secret_salt":${JSON.stringify(env.secret_salt)},` +
    `"resources":${objectText(resources)},"pending":${objectText(pending)}}`
  );
}

/** Keys present before and gone after. */
export function removedKeys(before: SnapshotTexts | undefined, after: SnapshotTexts): string[] {
  if (before === undefined) return [];
  return [...before.keys()].filter((k) => !after.has(k));
}

/** What one write changed: the rows to upsert and delete, and the history delta. */
export interface Change {
  resources: { put: [string, string][]; removed: string[] };
  pending: { put: [string, string][]; removed: string[] };
}

export function changeOf(before: Snapshot | undefined, after: Snapshot, diff: Difference): Change {
  const pick = (texts: SnapshotTexts, keys: string[]): [string, string][] => keys.map((k) => [k, texts.get(k) ?? 'null']);
  return {
    resources: { put: pick(after.resources, diff.resources), removed: removedKeys(before?.resources, after.resources) },
    pending: { put: pick(after.pending, diff.pending), removed: removedKeys(before?.pending, after.pending) },
  };
}

/** A history delta: the envelope fields that may change, and the entries put and removed. */
export function deltaText(env: Envelope, change: Change): string {
  const side = (c: Change['resources']): string => `{"put":${objectText(c.put)},"removed":${JSON.stringify(c.removed)}}`;
  return `{"version":${env.version},"secret_salt":${JSON.stringify(env.secret_salt)},` +
    `"resources":${side(change.resources)},"pending":${side(change.pending)}}`;
}

/** Applies a delta (as parsed by pg) to a document (as parsed), returning a new document. */
export function applyDelta(doc: JsonObject, delta: JsonObject, serial: number): JsonObject {
  const side = (current: unknown, change: unknown): JsonObject => {
    const next: JsonObject = isObject(current) ? { ...current } : {};
    if (!isObject(change)) return next;
    if (isObject(change['put'])) Object.assign(next, change['put']);
    if (Array.isArray(change['removed'])) for (const k of change['removed']) if (typeof k === 'string') delete next[k];
    return next;
  };
  return {
    ...doc,
    version: delta['version'] ?? doc['version'] ?? null,
    secret_salt: delta['secret_salt'] ?? doc['secret_salt'] ?? null,
    serial,
    resources: side(doc['resources'], delta['resources']),
    pending: side(doc['pending'], delta['pending']),
  };
}
