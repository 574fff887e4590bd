// The state file format: creating a fresh state, reading text into a checked StateFile, and
// writing one back. Reading is defensive because the file is the only record of which cloud
// images imagectl owns: anything it cannot fully trust is refused with a message a user can act
// on (which file, what is wrong, which backups exist), never guessed at and never a stack trace.
import { randomBytes, randomUUID } from 'node:crypto';
import { ImagectlError } from '../util/errors.js';
import { isObject, type JsonObject } from '../util/json.js';
import { migrateState } from './migrations.js';
import { entrySchemaProblems, stateSchemaProblems } from './schema.js';
import { isKnownValid, markValid } from './entries.js';
import type { EntryTexts, Snapshot } from './snapshot.js';
import { STATE_FORMAT, STATE_VERSION, type StateFile } from './types.js';

/** The oldest format version imagectl ever wrote; anything lower is not ours. */
const FIRST_STATE_VERSION = 1;

/** A new history: fresh lineage, serial 0, its own salt for secret fingerprints. */
export function emptyState(): StateFile {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    lineage: randomUUID(),
    serial: 0,
    secret_salt: randomBytes(16).toString('hex'),
    resources: {},
    pending: {},
  };
}

export interface ParseOptions {
  /**
   * Says which backups exist, for the message of a refused file. A function, because it touches
   * the disk and is only worth calling when something is wrong.
   */
  describeBackups?: () => string;
}

/** Parses, migrates and validates state text read from `file` (the name is used in messages). */
export function parseState(text: string, file: string, opts: ParseOptions = {}): StateFile {
  const refuse = (code: string, problem: string): ImagectlError =>
    new ImagectlError(code, `state file ${file} ${problem}.\n${opts.describeBackups?.() ?? ''}`.trimEnd(), { origin: 'user' });

  // A test, not text.trim(): trimming copies the whole file (11 MB at 10,000 images).
  if (!/\S/.test(text)) throw refuse('STATE_CORRUPT', 'is empty (truncated?); refusing to treat it as a new state');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw refuse('STATE_CORRUPT', `is not valid JSON, probably truncated or corrupt (${(e as Error).message})`);
  }
  if (!isObject(doc) || doc['format'] !== STATE_FORMAT) {
    throw refuse('STATE_CORRUPT', `is not an imagectl state file (it has no "format": "${STATE_FORMAT}")`);
  }
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < FIRST_STATE_VERSION) {
    throw refuse('STATE_CORRUPT', `has no valid format version (found ${JSON.stringify(version ?? null)})`);
  }
  if (version > STATE_VERSION) {
    throw new ImagectlError(
      'STATE_TOO_NEW',
      `state file ${file} was written by a newer imagectl (format version ${version}); ` +
        `this imagectl reads up to version ${STATE_VERSION}; upgrade imagectl`,
      { origin: 'user' },
    );
  }
  const current = version < STATE_VERSION ? migrateState(doc, version) : doc;
  const problems = [...stateSchemaProblems(current), ...keyProblems(current)];
  if (problems.length > 0) {
    throw refuse('STATE_INVALID', `does not match the state schema:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const state = current as unknown as StateFile;
  markValid(Object.values(state.resources));
  markValid(Object.values(state.pending));
  return state;
}

/**
 * Throws unless `state` is a valid current-version state: imagectl must never write a file it
 * would refuse to read. Entries are checked from their JSON text (what read() will see), and only
 * those listed in `keys`, when the caller knows the others are unchanged from a valid state.
 */
export function assertWritable(state: StateFile, snapshot: Snapshot, keys?: { resources: string[]; pending: string[] }): void {
  const problems = stateSchemaProblems({ ...state, resources: {}, pending: {} });
  const checked: unknown[] = [];
  const check = (kind: 'resource' | 'intent', where: string, field: string, map: Record<string, unknown>, texts: EntryTexts, only?: string[]): void => {
    for (const key of only ?? texts.keys()) {
      const object = map[key];
      if (isKnownValid(object) && isObject(object) && object[field] === key) continue;
      const entry = JSON.parse(texts.get(key) ?? 'null') as unknown;
      const found = entrySchemaProblems(kind, entry, `/${where}/${key}`);
      if (isObject(entry) && entry[field] !== key) found.push(`/${where}/${key} has ${field} ${JSON.stringify(entry[field])}`);
      if (found.length === 0) checked.push(object);
      problems.push(...found);
    }
  };
  check('resource', 'resources', 'address', state.resources, snapshot.resources, keys?.resources);
  check('intent', 'pending', 'op_id', state.pending, snapshot.pending, keys?.pending);
  if (problems.length === 0) return markValid(checked);
  throw new ImagectlError('STATE_WRITE_INVALID', `refusing to write an invalid state:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
    origin: 'internal',
  });
}

/** The maps are keyed by address and op id; a key that disagrees would make lookups lie. */
function keyProblems(doc: JsonObject): string[] {
  const problems: string[] = [];
  const check = (map: unknown, field: string, where: string): void => {
    if (!isObject(map)) return; // the schema already reported it
    for (const key in map) {
      const entry = map[key];
      if (isObject(entry) && entry[field] !== key) problems.push(`/${where}/${key} has ${field} ${JSON.stringify(entry[field])}`);
    }
  };
  check(doc['resources'], 'address', 'resources');
  check(doc['pending'], 'op_id', 'pending');
  return problems;
}

/**
 * The file text. The envelope comes first in a fixed order (so `head` shows format and version)
 * and resources and intents are sorted by key, so the file diffs cleanly between generations.
 */
export function serializeState(state: StateFile): string {
  const ordered = {
    format: state.format,
    version: state.version,
    lineage: state.lineage,
    serial: state.serial,
    secret_salt: state.secret_salt,
    resources: sortKeys(state.resources),
    pending: sortKeys(state.pending),
  };
  // One native stringify of the whole file: assembling it from cached per-entry texts was
  // measured slower (string building and GC cost more than V8's serialiser).
  return JSON.stringify(ordered, null, 2) + '\n';
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key] as T;
  return out;
}
