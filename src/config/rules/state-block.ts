// The `state:` block: where the state lives. The local JSON file is the default; a PostgreSQL
// database serves teams whose CI runs on many machines:
//
//   state: {backend: postgres, url: {env: IMAGECTL_PG_URL}, schema: imagectl, workspace: prod}
//
// `path` and the postgres settings may sit side by side: `backend` picks the one in use, and
// `imagectl state migrate` copies between the two. The URL holds a password, so like every
// secret it is only ever a reference ({env}/{file}), resolved in memory when the store opens,
// never written, digested by value or printed.
import { FileTooLargeError, LIMITS, readTextSync } from '../../util/bounded-read.js';
import * as path from 'node:path';
import { ImagectlError, errorMessage } from '../../util/errors.js';
import { isObject, type JsonObject } from '../../util/json.js';
import type { PostgresStateSettings, SecretRef } from '../types.js';

export const DEFAULT_PG_SCHEMA = 'imagectl';
export const DEFAULT_PG_WORKSPACE = 'default';
/** A PostgreSQL identifier we never need to quote-escape (it is still quoted in SQL). */
const SCHEMA_PATTERN = '^[a-z_][a-z0-9_]{0,62}$';
const WORKSPACE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';

export const STATE_SCHEMA: JsonObject = {
  type: 'object',
  additionalProperties: false,
  description: 'Where the state lives: a local JSON file (default) or a shared PostgreSQL database',
  properties: {
    backend: { enum: ['local', 'postgres'], description: 'Which store is used (default local)' },
    path: { type: 'string', minLength: 1, description: 'State file, relative to this file (default .imagectl/state.json)' },
    url: {
      $ref: 'imagectl-defs#/$defs/secret',
      description: 'PostgreSQL connection URL, as {env: NAME} or {file: PATH} (it holds a password)',
    },
    schema: { type: 'string', pattern: SCHEMA_PATTERN, description: `Database schema of imagectl's tables (default ${DEFAULT_PG_SCHEMA})` },
    workspace: {
      type: 'string',
      pattern: WORKSPACE_PATTERN,
      description: `One state per workspace in the database (default ${DEFAULT_PG_WORKSPACE})`,
    },
  },
  // The schema cannot say "url is required" in words a user reads; ajv's required error can.
  if: { required: ['backend'], properties: { backend: { const: 'postgres' } } },
  then: { required: ['url'] },
};

/** The postgres settings of a validated `state:` block, or undefined when it names no URL. */
export function postgresSettings(block: JsonObject): PostgresStateSettings | undefined {
  // Validated against the secret schema already: exactly one of env or file.
  const ref = block['url'];
  if (!isObject(ref)) return undefined;
  const url: SecretRef | undefined =
    typeof ref['env'] === 'string' ? { env: ref['env'] } : typeof ref['file'] === 'string' ? { file: ref['file'] } : undefined;
  if (url === undefined) return undefined;
  return {
    url,
    schema: typeof block['schema'] === 'string' ? block['schema'] : DEFAULT_PG_SCHEMA,
    workspace: typeof block['workspace'] === 'string' ? block['workspace'] : DEFAULT_PG_WORKSPACE,
  };
}

export function stateBackend(block: unknown): 'local' | 'postgres' {
  return isObject(block) && block['backend'] === 'postgres' ? 'postgres' : 'local';
}

/**
 * Reads the connection URL at the last moment, in memory only. Messages name the variable or
 * file, never the value.
 */
export function resolveStateUrl(ref: SecretRef, dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fail = (problem: string): ImagectlError =>
    new ImagectlError('SECRET_UNRESOLVED', `state.url: ${problem}`, { origin: 'user' });
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined) throw fail(`environment variable ${ref.env} is not set`);
    if (value.trim() === '') throw fail(`environment variable ${ref.env} is empty`);
    return value.trim();
  }
  try {
    const value = readTextSync(path.resolve(dir, ref.file), LIMITS.secret, ref.file).trim();
    if (value === '') throw fail(`secret file ${ref.file} is empty`);
    return value;
  } catch (e) {
    if (e instanceof ImagectlError) throw e;
    if (e instanceof FileTooLargeError) throw fail(`secret file ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(`cannot read secret file ${ref.file}: ${code === 'ENOENT' ? 'no such file' : errorMessage(e)}`);
  }
}
