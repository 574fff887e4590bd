// The database tables, created on first use and upgraded step by step: the same discipline as the
// state file format (migrations.ts one folder up). A step is never edited once released; a change
// is a new step. `migrations` records what ran, so a newer database is refused instead of misread.
//
// Why these tables:
// - workspaces: one row per state, the envelope (lineage, serial, salt) that every write checks
//   and bumps. Its `serial` is the optimistic-concurrency token.
// - resources / intents: one row per entry, so a write after each apply step sends the entries
//   that changed, not a multi-MB document. `json` (not jsonb) keeps the text exactly as written
//   and accepts every string JSON can hold (jsonb refuses \u0000).
// - history: every generation, as a full document every CHECKPOINT_EVERY generations and a delta
//   (entries put and removed) in between, so keeping all of them stays cheap.
// - locks: who holds a workspace's advisory lock, for `state lock-info` and messages.
// - lock_generations: the fencing token of each workspace (fence.ts).
import type { PoolClient } from 'pg';
import { ImagectlError } from '../../util/errors.js';

export interface Step {
  version: number;
  name: string;
  sql: (schema: string) => string[];
}

export const STEPS: readonly Step[] = [
  {
    version: 1,
    name: 'workspaces, entries, history and lock holders',
    sql: (s) => [
      `CREATE TABLE ${s}.workspaces (
        workspace text PRIMARY KEY,
        lineage text NOT NULL,
        serial bigint NOT NULL,
        format_version integer NOT NULL,
        secret_salt text NOT NULL,
        checkpoint_serial bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ${s}.resources (
        workspace text NOT NULL REFERENCES ${s}.workspaces ON DELETE CASCADE,
        address text NOT NULL,
        entry json NOT NULL,
        PRIMARY KEY (workspace, address))`,
      `CREATE TABLE ${s}.intents (
        workspace text NOT NULL REFERENCES ${s}.workspaces ON DELETE CASCADE,
        op_id text NOT NULL,
        entry json NOT NULL,
        PRIMARY KEY (workspace, op_id))`,
      `CREATE TABLE ${s}.history (
        workspace text NOT NULL,
        serial bigint NOT NULL,
        lineage text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('full', 'delta')),
        body json NOT NULL,
        resources integer NOT NULL,
        pending integer NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now(),
        command text, host text, os_user text, pid integer,
        PRIMARY KEY (workspace, serial))`,
      `CREATE TABLE ${s}.locks (
        workspace text NOT NULL,
        id text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('exclusive', 'shared')),
        backend_pid integer NOT NULL,
        host text NOT NULL, os_user text NOT NULL, pid integer NOT NULL, command text NOT NULL,
        created timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace, id))`,
    ],
  },
  {
    version: 2,
    name: 'lock generations (fencing tokens)',
    // One row per workspace, bumped by every exclusive lock; writes carry the holder's generation
    // (fence.ts), so a run whose lock was taken over can no longer write.
    sql: (s) => [`CREATE TABLE ${s}.lock_generations (workspace text PRIMARY KEY, generation bigint NOT NULL)`],
  },
];

export const SCHEMA_VERSION = STEPS.reduce((max, s) => Math.max(max, s.version), 0);

/** `"imagectl"`: the config schema allows only [a-z0-9_], quoting is belt and braces. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Brings the schema's tables to SCHEMA_VERSION. Two runners starting at once on an empty database
 * would both try CREATE TABLE; a transaction-scoped advisory lock on the schema name makes the
 * second wait and then find the work done.
 */
export async function ensureTables(client: PoolClient, schemaName: string): Promise<void> {
  const s = quoteIdent(schemaName);
  if ((await installedVersion(client, schemaName)) === SCHEMA_VERSION) return; // the common case: one query
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('imagectl-migrate'), hashtext($1))`, [schemaName]);
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schemaName]);
    // Only create what is missing: CREATE SCHEMA needs a privilege a shared schema's users may lack.
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const found = (await installedVersion(client, schemaName)) ?? 0;
    if (found > SCHEMA_VERSION) throw tooNew(schemaName, found);
    for (const step of STEPS.filter((x) => x.version > found)) {
      for (const statement of step.sql(s)) await client.query(statement);
      await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [step.version, step.name]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** The newest step recorded, or undefined when the tables do not exist yet. */
async function installedVersion(client: PoolClient, schemaName: string): Promise<number | undefined> {
  const table = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`${quoteIdent(schemaName)}.migrations`]);
  if (table.rows[0]?.t == null) return undefined;
  const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${quoteIdent(schemaName)}.migrations`);
  const v = r.rows[0]?.v ?? 0;
  if (v > SCHEMA_VERSION) throw tooNew(schemaName, v);
  return v;
}

function tooNew(schemaName: string, found: number): ImagectlError {
  return new ImagectlError(
    'STATE_TOO_NEW',
    `the postgres schema "${schemaName}" was set up by a newer imagectl (table version ${found}); ` +
      `this imagectl knows up to version ${SCHEMA_VERSION}; upgrade imagectl`,
    { origin: 'user' },
  );
}
